#include "avatar_controller.h"

#include "avatar_image.h"
#include "avatar_registry.h"
#include "chat_client_private.h"

#include "protocol/attention.h"
#include "protocol/avatars.h"
#include "protocol/envelope.h"
#include "protocol/event_names.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>

namespace confab::client {

AvatarController::AvatarController(ClientCore* core)
    : d(core)
{
    const QString store =
        d->options.storePath.isEmpty() ? LocalStore::pathFor(d->options.profile) : d->options.storePath;
    AvatarRegistry* registry = AvatarRegistry::instance();
    registry->setCacheDirectory(QFileInfo(store).dir().filePath(QStringLiteral("avatars")));
    connect(d->users.get(), &UserDirectory::userChanged, this, &AvatarController::userKnown);
    connect(registry, &AvatarRegistry::wanted, this, &AvatarController::fetch);
    for (Id id : d->users->userIds())
        userKnown(id);
    // Pictures asked for while offline are asked for again once online.
    connect(d->session.get(), &Session::stateChanged, this, [this] {
        if (d->session->state() == Session::State::Online)
            AvatarRegistry::instance()->refresh();
    });
}

AvatarController::~AvatarController() = default;

void AvatarController::userKnown(Id userId)
{
    const User user = d->users->user(userId);
    AvatarRegistry::instance()->setUserAvatar(userId, user.avatarId);
    if (userId == d->me.id)
        emit myAvatarChanged();
}

bool AvatarController::hasAvatar() const
{
    return !d->session->user().avatarId.isEmpty();
}

QString AvatarController::cacheDirectory() const
{
    return AvatarRegistry::instance()->cacheDirectory();
}

void AvatarController::setAvatarFromFile(const QUrl& file, const QRect& crop)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    const quint64 serial = ++m_uploadSerial;
    setError({});
    setBusy(true);
    QPointer<AvatarController> self(this);
    // Decoding a photo and encoding the PNG take a while: off the GUI thread.
    QThreadPool::globalInstance()->start([self, path, crop, serial] {
        QString error;
        const QImage image = avatar::loadForUpload(path, &error);
        const avatar::Prepared prepared =
            image.isNull() ? avatar::Prepared{} : avatar::prepareUpload(image, crop);
        if (!image.isNull() && prepared.mime.isEmpty())
            error = tr("The picture could not be made small enough.");
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, prepared, error, serial] {
            if (!self || serial != self->m_uploadSerial)
                return;
            if (prepared.mime.isEmpty()) {
                self->setBusy(false);
                self->setError(error);
                return;
            }
            self->upload(prepared.bytes, prepared.mime);
        });
    });
}

void AvatarController::upload(const QByteArray& bytes, const QString& mime)
{
    SetAvatarRequest request;
    request.bytes = bytes;
    request.mime = avatarMimeFromName(mime).value_or(AvatarMime::Png);
    // Keep what I uploaded: it is my picture's file, no need to fetch it back.
    const QString id = avatarIdOf(bytes);
    const QString path = AvatarRegistry::instance()->pathOf(id);
    QDir().mkpath(QFileInfo(path).path());
    QSaveFile out(path);
    if (out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size() && out.commit())
        AvatarRegistry::instance()->markStored(id);
    send(request);
}

void AvatarController::send(const SetAvatarRequest& request)
{
    d->session->request(event::SetAvatar, request.toPayload(), [this](const Envelope& reply) {
        setBusy(false);
        if (isErrorReply(reply)) {
            setError(describeError(errorOfReply(reply)));
            emit setFinished(false);
            return;
        }
        const auto parsed = UserReply::fromPayload(reply.payload);
        if (parsed) {
            d->session->setUser(parsed->user);
            d->me = parsed->user;
            d->users->upsert(parsed->user);
        }
        emit myAvatarChanged();
        emit setFinished(parsed.ok());
    });
}

void AvatarController::removeAvatar()
{
    ++m_uploadSerial;
    setError({});
    setBusy(true);
    SetAvatarRequest request;
    request.clear = true;
    send(request);
}

void AvatarController::fetch(const QString& avatarId)
{
    if (m_fetching.contains(avatarId) || !isAvatarId(avatarId) ||
        d->session->state() != Session::State::Online)
        return;
    m_fetching.insert(avatarId);
    d->session->request(event::FetchAvatar, FetchAvatarRequest{avatarId}.toPayload(),
                        [this, avatarId](const Envelope& reply) {
                            m_fetching.remove(avatarId);
                            // fromPayload checks the type, the size and that
                            // the bytes hash to the id: the file name.
                            const auto parsed = AvatarReply::fromPayload(reply.payload);
                            if (isErrorReply(reply) || !parsed || parsed->avatarId != avatarId)
                                return;
                            const QString path = AvatarRegistry::instance()->pathOf(avatarId);
                            QDir().mkpath(QFileInfo(path).path());
                            QSaveFile out(path);
                            if (out.open(QIODevice::WriteOnly) &&
                                out.write(parsed->bytes) == parsed->bytes.size() && out.commit())
                                AvatarRegistry::instance()->markStored(avatarId);
                        });
}

void AvatarController::setBusy(bool busy)
{
    if (m_busy != busy) {
        m_busy = busy;
        emit busyChanged();
    }
}

void AvatarController::setError(const QString& message)
{
    if (m_error != message) {
        m_error = message;
        emit errorMessageChanged();
    }
    if (!message.isEmpty())
        d->setError(message); // the banner every failed request uses
}

} // namespace confab::client
