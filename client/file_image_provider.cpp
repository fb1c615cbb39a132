#include "file_image_provider.h"

#include "file_image.h"

#include <QDir>
#include <QHash>
#include <QMutex>
#include <QRegularExpression>
#include <QThreadPool>

namespace confab::client {
namespace {

QMutex dirLock;
QHash<int, QString> cacheDirs;
int nextCache = 1;

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

int FileImageProvider::registerCacheDirectory(const QString& dir)
{
    QMutexLocker lock(&dirLock);
    cacheDirs.insert(nextCache, dir);
    return nextCache++;
}

void FileImageProvider::unregisterCacheDirectory(int cache)
{
    QMutexLocker lock(&dirLock);
    cacheDirs.remove(cache);
}

QString FileImageProvider::cacheDirectory(int cache)
{
    QMutexLocker lock(&dirLock);
    return cacheDirs.value(cache);
}

QQuickImageResponse* FileImageProvider::requestImageResponse(const QString& id, const QSize& requestedSize)
{
    // Only numbers name a file: nothing in `id` becomes a path otherwise.
    static const QRegularExpression shape(QStringLiteral("^([1-9][0-9]{0,8})/([1-9][0-9]{0,18})$"));
    const QRegularExpressionMatch match = shape.match(id);
    const QString dir = match.hasMatch() ? cacheDirectory(match.captured(1).toInt()) : QString();
    const QString path = dir.isEmpty() ? QString() : QDir(dir).filePath(match.captured(2));
    const int requested = qMax(requestedSize.width(), requestedSize.height());
    const int side = requested > 0 ? qMin(requested, kMaxShownSide) : kMaxShownSide;
    return new FileImageResponse(path, side);
}

} // namespace confab::client
