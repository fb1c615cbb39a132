#pragma once

#include "protocol/avatars.h"

#include <QObject>
#include <QRect>
#include <QSet>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// Avatars for QML (ChatClient.avatars): setting and removing mine (the
// picture is loaded, cropped, scaled and encoded on a worker thread, then
// sent with set_avatar), and the profile's avatar cache: every user's
// avatarId goes to AvatarRegistry, and a picture Avatar.qml asks for is
// fetched (fetch_avatar), checked against its id (the SHA-256 of its bytes)
// and kept on disk under that id, next to the profile's local store.
class AvatarController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.avatars")
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(bool hasAvatar READ hasAvatar NOTIFY myAvatarChanged)

public:
    explicit AvatarController(ClientCore* core);
    ~AvatarController() override;

    bool busy() const { return m_busy; }
    QString errorMessage() const { return m_error; }
    bool hasAvatar() const;

    // A picture file (a local URL from a FileDialog); `crop` in its pixels,
    // empty for the centred square.
    Q_INVOKABLE void setAvatarFromFile(const QUrl& file, const QRect& crop = QRect());
    Q_INVOKABLE void removeAvatar();
    // Where the pictures are kept (tests).
    QString cacheDirectory() const;

signals:
    void busyChanged();
    void errorMessageChanged();
    void myAvatarChanged();
    // set_avatar answered (ok, or why not).
    void setFinished(bool ok);

private:
    void upload(const QByteArray& bytes, const QString& mime);
    void send(const SetAvatarRequest& request);
    void fetch(const QString& avatarId);
    void setBusy(bool busy);
    void setError(const QString& message);
    void userKnown(Id userId);

    ClientCore* const d;
    QSet<QString> m_fetching;
    bool m_busy = false;
    QString m_error;
    quint64 m_uploadSerial = 0; // a newer choice supersedes a picture still being prepared
};

} // namespace confab::client
