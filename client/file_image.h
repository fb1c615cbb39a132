#pragma once

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

class QIODevice;

// Images in files (issue 16). Everything a file's bytes and its declared
// `mime`, `width` and `height` say is hostile: the type is sniffed from the
// bytes, the dimensions are read from the header (QImageReader::size(),
// nothing decoded) and held to a pixel budget, and decoding runs under an
// allocation limit. Pure functions, run on worker threads and tested alone.
namespace confab::client::files {

// The pixel budget: what a photo or a screenshot may be, never a bomb (a
// 1 KB PNG may claim 100000×100000 = 40 GB of pixels).
inline constexpr int kMaxImageSide = 16384;
inline constexpr qint64 kMaxImagePixels = 40'000'000;
// Thumbnails the sender makes (files-protocol: PNG or JPEG, at most 256 KiB).
inline constexpr int kThumbnailSide = 320;
inline constexpr qint64 kMaxThumbnailBytes = 262'144;

enum class ImageType { None, Png, Jpeg, Gif, WebP };

// The type from the first bytes (magic numbers), whatever the name or the
// declared mime say.
ImageType sniffImageType(const QByteArray& head);
QString mimeOf(ImageType type); // "image/png", ...; "" for None

// What a file's header says, checked against the budget.
struct ImageCheck {
    ImageType type = ImageType::None;
    QSize size;    // from the header; invalid when unknown
    QString error; // empty: fine to decode (or to show as a thumbnail)
    bool ok() const { return error.isEmpty(); }
};
// `device` open for reading (it is peeked, not consumed); `declaredMime`
// empty to skip the type comparison.
ImageCheck inspectImage(QIODevice* device, const QString& declaredMime = {});
ImageCheck inspectImageFile(const QString& path, const QString& declaredMime = {});

// Whether a declared size (a file object's width and height) is worth
// fetching at all: inside the budget.
bool declaredSizeFits(int width, int height);

// Decodes after inspectImage() passed, scaled so that the long side is at
// most `maxSide` (0: full size), under an allocation limit that the budget
// bounds. A null image and *error otherwise.
QImage decodeImageFile(const QString& path, int maxSide = 0, QString* error = nullptr);
QImage decodeImage(const QByteArray& bytes, int maxSide = 0, QString* error = nullptr);

struct Thumbnail {
    QByteArray bytes; // PNG or JPEG, at most kMaxThumbnailBytes; empty on failure
    QString mime;
    QSize size;       // of the thumbnail
    QSize sourceSize; // of the image it was made of (upload_file's width and height)
    QString error;
};
// A thumbnail of the image file at `path`, long side kThumbnailSide (smaller
// images keep their size): PNG when it fits the bytes, else JPEG (no alpha:
// flattened on white), lower quality until it fits. Slow: worker threads only.
Thumbnail makeThumbnail(const QString& path);
Thumbnail thumbnailOf(const QImage& image);

} // namespace confab::client::files
