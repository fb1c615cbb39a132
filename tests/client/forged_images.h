#pragma once

// Images a hostile client could send, made by hand for the picture suites
// (tst_avatar_image, tst_file_image, tst_files_window): valid PNG chunks with
// correct CRCs around whatever header they want to claim.

#include <QBuffer>
#include <QByteArray>
#include <QImage>
#include <QtEndian>

namespace confab::test {

// CRC-32 as PNG chunks carry it (ISO 3309).
inline quint32 pngCrc32(const QByteArray& data)
{
    quint32 crc = 0xffffffffu;
    for (char c : data) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline QByteArray pngChunk(const char* type, const QByteArray& data)
{
    QByteArray out(4, 0);
    qToBigEndian(quint32(data.size()), out.data());
    const QByteArray body = QByteArray(type) + data;
    QByteArray crc(4, 0);
    qToBigEndian(pngCrc32(body), crc.data());
    return out + body + crc;
}

// A valid PNG header (signature, IHDR with a correct CRC) that claims a
// `width` x `height` RGBA image, followed by a tiny IDAT: a decompression
// bomb's shape.
inline QByteArray pngClaiming(quint32 width, quint32 height)
{
    QByteArray ihdr(13, 0);
    qToBigEndian(width, ihdr.data());
    qToBigEndian(height, ihdr.data() + 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 6; // RGBA
    return QByteArray::fromHex("89504e470d0a1a0a") + pngChunk("IHDR", ihdr) +
           pngChunk("IDAT", QByteArray::fromHex("789c030000000001")) + pngChunk("IEND", {});
}

// `image` encoded as `format` ("PNG", "JPEG", ...).
inline QByteArray encoded(const QImage& image, const char* format, int quality = -1)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, quality);
    return bytes;
}

} // namespace confab::test
