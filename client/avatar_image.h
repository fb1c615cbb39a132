#pragma once

#include <QByteArray>
#include <QImage>
#include <QRect>
#include <QString>

// Avatar images (issue 15), as pure functions so that they run on worker
// threads and are tested alone: reading a picture someone else set (hostile
// bytes: type, file size and dimensions checked before anything is decoded),
// and preparing my own for upload (crop to a square, scale, encode).
namespace confab::client::avatar {

// What is decoded from the server, at most (the server's limit is on bytes;
// this one is on pixels, which bytes do not bound: a 1 KB PNG may claim
// 100000×100000).
inline constexpr int kMaxSide = 1024;
inline constexpr qint64 kMaxBytes = 256 * 1024;
// What I upload: a square of this side.
inline constexpr int kUploadSide = 256;

// Decodes a PNG or JPEG of at most kMaxBytes and kMaxSide×kMaxSide, checked
// from the header before decoding (QImageReader::size()), under an allocation
// limit. A null image and *error set otherwise.
QImage decodeForeign(const QByteArray& bytes, QString* error = nullptr);
// The same from a file of the avatar cache; the file's size is checked
// before it is read.
QImage readForeignFile(const QString& path, QString* error = nullptr);
// `image` drawn into a circle of side `side` (transparent outside), what
// Avatar.qml shows: Qt 6.4's Quick has no mask effect without Qt5Compat.
QImage roundImage(const QImage& image, int side);

// A local picture I chose to upload: any format Qt reads, EXIF orientation
// applied, at most 64 MiB and 12000×12000 (a photo, not a bomb).
QImage loadForUpload(const QString& path, QString* error = nullptr);
// The largest square centred in `size`.
QRect centredSquare(const QSize& size);

struct Prepared {
    QByteArray bytes;
    QString mime; // "image/png" or "image/jpeg"; empty on failure
};
// `crop` (clamped to the image; empty: centredSquare) scaled to
// kUploadSide×kUploadSide, encoded as PNG, or as JPEG (quality 85) when the
// PNG would be over kMaxBytes.
Prepared prepareUpload(const QImage& source, QRect crop = {});

} // namespace confab::client::avatar
