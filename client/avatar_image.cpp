#include "avatar_image.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QPainterPath>

namespace confab::client::avatar {
namespace {

void fail(QString* error, const QString& why)
{
    if (error)
        *error = why;
}

constexpr qint64 kUploadMaxFileBytes = 64 * 1024 * 1024;
constexpr int kUploadMaxSide = 12000;

} // namespace

QImage decodeForeign(const QByteArray& bytes, QString* error)
{
    if (bytes.isEmpty() || bytes.size() > kMaxBytes) {
        fail(error, QStringLiteral("an avatar must be 1 to %1 bytes").arg(kMaxBytes));
        return {};
    }
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);
    const QByteArray format = reader.format();
    if (format != "png" && format != "jpeg") {
        fail(error, QStringLiteral("an avatar must be a PNG or JPEG image"));
        return {};
    }
    const QSize size = reader.size(); // from the header: nothing decoded yet
    if (!size.isValid() || size.isEmpty() || size.width() > kMaxSide || size.height() > kMaxSide) {
        fail(error, QStringLiteral("an avatar must be at most %1×%1 pixels").arg(kMaxSide));
        return {};
    }
    // 1024×1024 at 4 bytes a pixel is 4 MiB; anything asking for more is lying.
    reader.setAllocationLimit(8);
    QImage image = reader.read();
    if (image.isNull()) {
        fail(error, QStringLiteral("the avatar could not be decoded: %1").arg(reader.errorString()));
        return {};
    }
    return image;
}

QImage readForeignFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        fail(error, QStringLiteral("no such avatar file"));
        return {};
    }
    if (file.size() > kMaxBytes) {
        fail(error, QStringLiteral("an avatar must be 1 to %1 bytes").arg(kMaxBytes));
        return {};
    }
    return decodeForeign(file.read(kMaxBytes + 1), error);
}

QImage roundImage(const QImage& image, int side)
{
    QImage out(side, side, QImage::Format_ARGB32_Premultiplied);
    out.fill(Qt::transparent);
    if (image.isNull() || side <= 0)
        return out;
    const QRect square = centredSquare(image.size());
    QPainter p(&out);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    QPainterPath circle;
    circle.addEllipse(QRectF(0, 0, side, side));
    p.setClipPath(circle);
    p.drawImage(QRect(0, 0, side, side), image, square);
    return out;
}

QImage loadForUpload(const QString& path, QString* error)
{
    if (QFileInfo(path).size() > kUploadMaxFileBytes) {
        fail(error, QStringLiteral("The picture is too large (at most 64 MB)."));
        return {};
    }
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (!reader.canRead() || !size.isValid() || size.isEmpty()) {
        fail(error, QStringLiteral("This file is not a picture Confab can read."));
        return {};
    }
    if (size.width() > kUploadMaxSide || size.height() > kUploadMaxSide) {
        fail(error, QStringLiteral("The picture is too large (at most %1×%1 pixels).").arg(kUploadMaxSide));
        return {};
    }
    reader.setAllocationLimit(kUploadMaxSide / 1024 * kUploadMaxSide / 1024 * 4 + 16);
    QImage image = reader.read();
    if (image.isNull())
        fail(error, QStringLiteral("The picture could not be read: %1").arg(reader.errorString()));
    return image;
}

QRect centredSquare(const QSize& size)
{
    const int side = qMin(size.width(), size.height());
    return QRect((size.width() - side) / 2, (size.height() - side) / 2, side, side);
}

Prepared prepareUpload(const QImage& source, QRect crop)
{
    if (source.isNull())
        return {};
    crop = crop.isEmpty() ? centredSquare(source.size()) : crop.intersected(source.rect());
    if (crop.isEmpty())
        return {};
    const QImage square =
        source.copy(crop)
            .convertToFormat(QImage::Format_ARGB32)
            .scaled(kUploadSide, kUploadSide, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    Prepared out;
    QBuffer png(&out.bytes);
    png.open(QIODevice::WriteOnly);
    if (square.save(&png, "PNG") && out.bytes.size() <= kMaxBytes) {
        out.mime = QStringLiteral("image/png");
        return out;
    }
    // Photos compress badly as PNG; JPEG has no alpha, so flatten on white.
    QImage flat(square.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    QPainter(&flat).drawImage(0, 0, square);
    out.bytes.clear();
    QBuffer jpeg(&out.bytes);
    jpeg.open(QIODevice::WriteOnly);
    if (flat.save(&jpeg, "JPEG", 85) && out.bytes.size() <= kMaxBytes)
        out.mime = QStringLiteral("image/jpeg");
    else
        out.bytes.clear();
    return out;
}

} // namespace confab::client::avatar
