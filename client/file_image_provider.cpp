#include "file_image_provider.h"

#include "file_image.h"

#include <QDir>
#include <QMutex>
#include <QRegularExpression>
#include <QThreadPool>

namespace confab::client {
namespace {

QMutex dirLock;
QString cacheDir;

class FileImageResponse : public QQuickImageResponse {
public:
    FileImageResponse(const QString& path, int maxSide)
    {
        // Lives until finished() is handled; emitted from the worker
        // (QQuickImageResponse allows any thread).
        QThreadPool::globalInstance()->start([this, path, maxSide] {
            QString error;
            m_image = path.isEmpty() ? QImage() : files::decodeImageFile(path, maxSide, &error);
            if (m_image.isNull())
                m_error = error.isEmpty() ? QStringLiteral("no such image") : error;
            emit finished();
        });
    }

    QQuickTextureFactory* textureFactory() const override
    {
        return QQuickTextureFactory::textureFactoryForImage(m_image);
    }
    QString errorString() const override { return m_error; }

private:
    QImage m_image;
    QString m_error;
};

} // namespace

void FileImageProvider::setCacheDirectory(const QString& dir)
{
    QMutexLocker lock(&dirLock);
    cacheDir = dir;
}

QString FileImageProvider::cacheDirectory()
{
    QMutexLocker lock(&dirLock);
    return cacheDir;
}

QQuickImageResponse* FileImageProvider::requestImageResponse(const QString& id, const QSize& requestedSize)
{
    // Only a file id names a file: nothing in `id` becomes a path otherwise.
    static const QRegularExpression digits(QStringLiteral("^[1-9][0-9]{0,18}$"));
    const QString dir = cacheDirectory();
    const QString path = digits.match(id).hasMatch() && !dir.isEmpty() ? QDir(dir).filePath(id) : QString();
    const int requested = qMax(requestedSize.width(), requestedSize.height());
    const int side = requested > 0 ? qMin(requested, kMaxShownSide) : kMaxShownSide;
    return new FileImageResponse(path, side);
}

} // namespace confab::client
