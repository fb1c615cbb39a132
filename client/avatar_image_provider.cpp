#include "avatar_image_provider.h"

#include "avatar_image.h"
#include "avatar_registry.h"

#include <QFile>
#include <QThreadPool>

namespace confab::client {
namespace {

class AvatarResponse : public QQuickImageResponse {
public:
    AvatarResponse(const QString& avatarId, const QString& path, int side)
    {
        // The response lives until finished() is handled, which it emits
        // itself from the worker (QQuickImageResponse allows any thread).
        QThreadPool::globalInstance()->start([this, avatarId, path, side] {
            QString error;
            const QImage image = path.isEmpty() ? QImage() : avatar::readForeignFile(path, &error);
            if (image.isNull()) {
                m_error = error.isEmpty() ? QStringLiteral("no such avatar") : error;
                if (!path.isEmpty()) {
                    QFile::remove(path); // a bad file is refetched, not retried forever
                    QMetaObject::invokeMethod(AvatarRegistry::instance(), [avatarId] {
                        AvatarRegistry::instance()->markBroken(avatarId);
                    });
                }
            } else {
                m_image = avatar::roundImage(image, side);
            }
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

QQuickImageResponse* AvatarImageProvider::requestImageResponse(const QString& id, const QSize& requestedSize)
{
    // Sized for the item (sourceSize), at least 16 and at most the upload size.
    const int side = qBound(16, qMax(requestedSize.width(), requestedSize.height()), avatar::kUploadSide);
    return new AvatarResponse(id, AvatarRegistry::instance()->pathOf(id), side > 16 ? side : 64);
}

} // namespace confab::client
