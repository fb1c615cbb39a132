#include "file_image.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QPainter>

namespace confab::client::files {
namespace {

void fail(QString* error, const QString& why)
{
    if (error)
        *error = why;
}

QByteArray readerFormat(ImageType type)
{
    switch (type) {
    case ImageType::Png:
        return "png";
    case ImageType::Jpeg:
        return "jpeg";
    case ImageType::Gif:
        return "gif";
    case ImageType::WebP:
        return "webp";
    case ImageType::None:
        break;
    }
    return {};
}

// The allocation limit in MiB that decoding `size` needs at 4 bytes a pixel
// (plus slack for the decoder's own buffers); the budget bounds it at 160 MB.
int allocationLimitMiB(QSize size)
{
    return int(qint64(size.width()) * size.height() * 4 / (1024 * 1024)) + 16;
}

QByteArray encode(const QImage& image, const char* format, int quality)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, format, quality))
        return {};
    return bytes;
}

QImage decodeFrom(QIODevice* device, int maxSide, QString* error)
{
    const ImageCheck check = inspectImage(device);
    if (!check.ok()) {
        fail(error, check.error);
        return {};
    }
    QImageReader reader(device, readerFormat(check.type));
    if (!reader.canRead()) {
        fail(error, QStringLiteral("this kind of image cannot be shown"));
        return {};
    }
    reader.setAutoTransform(true);
    reader.setAllocationLimit(allocationLimitMiB(check.size));
    QSize target = check.size;
    if (maxSide > 0 && qMax(target.width(), target.height()) > maxSide)
        target = target.scaled(maxSide, maxSide, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
    if (target != check.size)
        reader.setScaledSize(target); // JPEG decodes at the smaller size directly
    QImage image = reader.read();
    if (image.isNull())
        fail(error, QStringLiteral("the image could not be decoded: %1").arg(reader.errorString()));
    return image;
}

} // namespace

ImageType sniffImageType(const QByteArray& head)
{
    if (head.startsWith("\x89PNG\r\n\x1a\n"))
        return ImageType::Png;
    if (head.startsWith("\xff\xd8\xff"))
        return ImageType::Jpeg;
    if (head.startsWith("GIF87a") || head.startsWith("GIF89a"))
        return ImageType::Gif;
    if (head.size() >= 12 && head.startsWith("RIFF") && head.mid(8, 4) == "WEBP")
        return ImageType::WebP;
    return ImageType::None;
}

QString mimeOf(ImageType type)
{
    const QByteArray format = readerFormat(type);
    return format.isEmpty() ? QString() : QStringLiteral("image/") + QString::fromLatin1(format);
}

bool declaredSizeFits(int width, int height)
{
    return width > 0 && height > 0 && width <= kMaxImageSide && height <= kMaxImageSide &&
           qint64(width) * height <= kMaxImagePixels;
}

ImageCheck inspectImage(QIODevice* device, const QString& declaredMime)
{
    ImageCheck check;
    check.type = sniffImageType(device->peek(16));
    if (check.type == ImageType::None) {
        check.error = QStringLiteral("not a PNG, JPEG, GIF or WebP image");
        return check;
    }
    if (!declaredMime.isEmpty() && declaredMime.compare(mimeOf(check.type), Qt::CaseInsensitive) != 0 &&
        !(check.type == ImageType::Jpeg && declaredMime.compare(u"image/jpg", Qt::CaseInsensitive) == 0)) {
        check.error =
            QStringLiteral("declared as %1 but the bytes are %2").arg(declaredMime, mimeOf(check.type));
        return check;
    }
    const qint64 start = device->pos();
    {
        QImageReader reader(device, readerFormat(check.type));
        check.size = reader.size(); // the header only: nothing is decoded
    }
    if (!device->isSequential())
        device->seek(start);
    if (!check.size.isValid() || check.size.isEmpty()) {
        check.error = QStringLiteral("the image's size cannot be read");
        return check;
    }
    if (!declaredSizeFits(check.size.width(), check.size.height()))
        check.error = QStringLiteral("the image claims %1×%2 pixels, more than Confab decodes")
                          .arg(check.size.width())
                          .arg(check.size.height());
    return check;
}

ImageCheck inspectImageFile(const QString& path, const QString& declaredMime)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ImageCheck check;
        check.error = QStringLiteral("the file cannot be read");
        return check;
    }
    return inspectImage(&file, declaredMime);
}

QImage decodeImageFile(const QString& path, int maxSide, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(error, QStringLiteral("the file cannot be read"));
        return {};
    }
    return decodeFrom(&file, maxSide, error);
}

QImage decodeImage(const QByteArray& bytes, int maxSide, QString* error)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return decodeFrom(&buffer, maxSide, error);
}

Thumbnail thumbnailOf(const QImage& source)
{
    Thumbnail out;
    if (source.isNull()) {
        out.error = QStringLiteral("no image");
        return out;
    }
    out.sourceSize = source.size();
    QImage image = source.convertToFormat(QImage::Format_ARGB32);
    if (qMax(image.width(), image.height()) > kThumbnailSide)
        image = image.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    out.size = image.size();
    out.bytes = encode(image, "PNG", -1);
    if (!out.bytes.isEmpty() && out.bytes.size() <= kMaxThumbnailBytes) {
        out.mime = QStringLiteral("image/png");
        return out;
    }
    // Photos compress badly as PNG; JPEG has no alpha, so flatten on white.
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    QPainter(&flat).drawImage(0, 0, image);
    for (int quality : {85, 70, 50, 30}) {
        out.bytes = encode(flat, "JPEG", quality);
        if (!out.bytes.isEmpty() && out.bytes.size() <= kMaxThumbnailBytes) {
            out.mime = QStringLiteral("image/jpeg");
            return out;
        }
    }
    out.bytes.clear();
    out.error = QStringLiteral("the thumbnail could not be made small enough");
    return out;
}

Thumbnail makeThumbnail(const QString& path)
{
    QString error;
    const ImageCheck check = inspectImageFile(path);
    if (!check.ok()) {
        Thumbnail out;
        out.error = check.error;
        return out;
    }
    Thumbnail out = thumbnailOf(decodeImageFile(path, kThumbnailSide, &error));
    if (out.sourceSize.isValid()) {
        // Scaled decoding: the original's size is the header's, turned as
        // the EXIF orientation turned the thumbnail.
        const bool turned =
            (out.size.width() > out.size.height()) != (check.size.width() > check.size.height());
        out.sourceSize =
            turned && out.size.width() != out.size.height() ? check.size.transposed() : check.size;
    }
    if (!error.isEmpty())
        out.error = error;
    return out;
}

} // namespace confab::client::files
