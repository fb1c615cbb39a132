#pragma once

#include "retry_countdown.h"
#include "session.h"

#include <QObject>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

class CertificatePinStore;
struct ClientCore;

// The signed-in account and the connection, for the login page, the
// certificate dialog and the connection banner: sign in, sign up, sign out,
// trust a certificate. The state lives in ChatClient's private part; this is
// its view for QML.
class AccountController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.account")
    Q_PROPERTY(
        confab::client::Session::State connectionState READ connectionState NOTIFY connectionStateChanged)
    // "Connected", "Connecting…", "Offline — retrying in 4 s", ...
    Q_PROPERTY(QString connectionText READ connectionText NOTIFY connectionStateChanged)
    // Offline: whole seconds until the next try to connect (the session's
    // backoff, or the retry of a sign-in at start); -1 while a try is under
    // way or none is waiting.
    Q_PROPERTY(int retrySeconds READ retrySeconds NOTIFY retrySecondsChanged)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY signedInChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged) // signing in
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(QString keychainMessage READ keychainMessage NOTIFY keychainMessageChanged)
    Q_PROPERTY(QUrl serverUrl READ serverUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString lastUsername READ lastUsername CONSTANT)
    Q_PROPERTY(double userId READ userId NOTIFY signedInChanged)
    Q_PROPERTY(QString username READ username NOTIFY signedInChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY signedInChanged)
    // A wss:// server's self-signed certificate waiting for the user's
    // decision (connectionState is AwaitingTrust), empty when none:
    // {url, host ("host:port"), fingerprint ("AB:CD:…"), previousFingerprint
    // (the pinned one it replaces; "" on first use), changed (bool), subject,
    // expires (date)}.
    Q_PROPERTY(QVariantMap pendingCertificate READ pendingCertificate NOTIFY pendingCertificateChanged)

public:
    explicit AccountController(ClientCore* core);

    Session::State connectionState() const;
    QString connectionText() const;
    bool signedIn() const;
    bool busy() const;
    QString errorMessage() const;
    QString keychainMessage() const;
    QUrl serverUrl() const;
    QString lastUsername() const;
    double userId() const;
    QString username() const;
    QString displayName() const;
    QVariantMap pendingCertificate() const;
    // The profile's pinned certificates (and the names they were announced under).
    CertificatePinStore* pinStore() const;

    // `server` accepts "host:port", "ws://…" or "wss://…".
    Q_INVOKABLE void signIn(const QString& server, const QString& username, const QString& password);
    // `invite`: the code a server with --registration invite asks for (may be empty).
    Q_INVOKABLE void signUp(const QString& server, const QString& username, const QString& password,
                            const QString& displayName, const QString& invite = QString());
    Q_INVOKABLE void signOut(); // revokes and forgets the token
    // Pins the pending certificate for its server and carries on with the
    // sign-in, resume or reconnect that met it. `fingerprint` must be the
    // pending one (what the user was shown); otherwise nothing happens.
    Q_INVOKABLE void acceptCertificate(const QString& fingerprint);
    // Does not connect: the sign-in ends (signed out if it was a reconnect;
    // the stored login is kept) with a message saying why.
    Q_INVOKABLE void rejectCertificate();
    // Offline and waiting to try again: tries now ("Reconnect now").
    Q_INVOKABLE void reconnectNow();
    int retrySeconds() const;
    // The schedule of the sign-in retry at start may have moved.
    void refreshRetry();

signals:
    void connectionStateChanged();
    void signedInChanged();
    void busyChanged();
    void errorMessageChanged();
    void keychainMessageChanged();
    void serverUrlChanged();
    void pendingCertificateChanged();
    void retrySecondsChanged();

private:
    ClientCore* const d;
    RetryCountdown* m_retry;
};

} // namespace confab::client
