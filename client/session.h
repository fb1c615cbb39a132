#pragma once

#include "certificate_trust.h"
#include "protocol/envelope.h"
#include "protocol/files.h"
#include "protocol/groups.h"
#include "protocol/lifecycle.h"
#include "protocol/replies.h"
#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QHash>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <map>

namespace confab::client {

Q_DECLARE_LOGGING_CATEGORY(lcSession)

// The client's one connection to a Confab server. Owns the QWebSocket, speaks
// the protocol through confab_shared, correlates replies with requests by id
// (with a timeout per request) and turns pushed events into typed signals.
// Reconnects by itself with exponential backoff and jitter and signs in again
// with the session token. Models and QML never see the socket.
//
// wss:// servers: a certificate the system's CAs vouch for connects as is. A
// self-signed one connects only when its fingerprint is the server's pin in
// the pin store; with no pin, or another one, every attempt (first sign-in
// and each reconnect alike) stops in AwaitingTrust with pendingCertificate()
// set until acceptPendingCertificate() (pins it and carries on with the
// sign-in or reconnect that was under way) or disconnectFromServer()/signOut().
class Session : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatClient")
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Disconnected, // not connected and not trying (signed out, or never started)
        Connecting,   // opening the socket
        Authenticating,
        Online,        // signed in: requests flow
        Reconnecting,  // lost the connection; waiting to retry (backoff)
        AwaitingTrust, // a wss:// server's certificate needs the user's decision (pendingCertificate())
    };
    Q_ENUM(State)

    using ReplyHandler = std::function<void(const Envelope& reply)>; // reply.type may be "error"

    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    State state() const { return m_state; }
    QUrl serverUrl() const { return m_url; }
    const User& user() const { return m_user; }
    QString token() const { return m_token; }
    // What the server allows (edit and delete windows, receipts), from auth_ok.
    const ServerPolicy& policy() const { return m_policy; }
    // My own user after set_profile or a user_updated about me.
    void setUser(const User& user) { m_user = user; }

    // Connects and signs in. Exactly one of these per session start; on
    // success authenticated() is emitted, on failure authenticationFailed().
    void signIn(const QUrl& server, const QString& username, const QString& password);
    void signUp(const QUrl& server, const QString& username, const QString& password,
                const QString& displayName, const QString& invite = QString());
    void resume(const QUrl& server, const QString& token); // silent sign-in with a stored token
    // Sends logout (revoking the token) when online, then disconnects for good.
    void signOut();
    // Drops the connection without signing out (tests; app shutdown; a
    // certificate the user does not trust).
    void disconnectFromServer();

    // Pins are read from and written to `store` (not owned; nullptr: no pins,
    // every self-signed certificate is asked about).
    void setPinStore(CertificatePinStore* store) { m_pinStore = store; }
    // Valid in AwaitingTrust only.
    const PendingCertificate& pendingCertificate() const { return m_pendingCertificate; }
    // Pins the pending certificate for its server and connects again. False
    // (and nothing happens) when no certificate is pending or `fingerprint`
    // is not the pending one (the dialog showed an older one).
    bool acceptPendingCertificate(const QString& fingerprint);

    // Sends a request when online; when not, `onReply` receives an error
    // envelope (code "unavailable", message "not connected") at once.
    // A reply that does not come within timeoutMs yields an error envelope
    // with code "internal" and message "timed out".
    QString request(QLatin1String type, const QJsonObject& payload, ReplyHandler onReply,
                    int timeoutMs = 15000);
    // Fire-and-forget (typing): no reply expected on success.
    void post(QLatin1String type, const QJsonObject& payload);
    // Files (issue 16): one upload chunk as a binary frame (docs/protocol.md
    // "Binary frames"). False, and nothing sent, when not online.
    bool sendFileChunk(Id fileId, qint64 offset, QByteArrayView data);

    // Reconnecting and waiting for the next try: the ms until it, else -1
    // (an attempt is under way, or the session is not reconnecting).
    int reconnectRemainingMs() const;
    // Reconnecting and waiting: tries at once instead (should that fail, the
    // backoff carries on from where it was). False when there is nothing to hurry.
    bool reconnectNow();

    // Backoff for tests: first delay and cap, in ms (jitter is +-20%).
    void setReconnectDelays(int firstMs, int maxMs);
    void setPingInterval(int ms);

signals:
    void stateChanged();
    void authenticated(const confab::User& user, const QString& token);
    void authenticationFailed(const confab::Error& error); // bad credentials/token: no retry
    void signedOut();
    // After a reconnect + silent re-auth: callers catch up (afterId per room).
    void reconnected();

    void roomReceived(const confab::Room& room);
    // `reason` "left" (I left, maybe on another device) or "removed".
    void roomLeft(confab::Id roomId, const QString& reason);
    // `byUserId`: who removed the member; the member themself for a leave (0: not said).
    void memberLeft(confab::Id roomId, confab::Id userId, confab::Id byUserId);
    // Groups: someone became a member (with their role); the room's name,
    // topic, visibility, owner or roles changed (the whole room).
    void memberJoined(const confab::MemberJoinedEvent& event);
    void roomUpdated(const confab::Room& room);
    void messageReceived(const confab::Message& message);
    // `message_updated`: an edit or a deletion (the whole message, new revision).
    void messageUpdated(const confab::Message& message);
    void reactionChanged(const confab::ReactionEvent& reaction);
    void mentionReceived(const confab::MentionEvent& mention);
    void presenceChanged(const confab::PresenceEvent& presence);
    void typingChanged(const confab::TypingEvent& typing);
    void readMarkerChanged(confab::Id roomId, confab::Id messageId);
    // Attention: my level for a room changed on another device; a member's
    // read marker moved; someone's profile or status changed.
    void roomSettingsChanged(const confab::RoomSettingsEvent& settings);
    void receiptReceived(const confab::ReceiptEvent& receipt);
    void userUpdated(const confab::User& user);
    // Groups: a message of a room was pinned or unpinned (PinsController).
    void pinsChanged(const confab::PinsChangedEvent& change);
    // Files (issue 16): a download chunk (a binary frame of kind 2); the
    // server's upload progress and completion; a pushed error about a file
    // (error.fileId set: a refused chunk, a download that stopped).
    void downloadChunkReceived(confab::Id fileId, qint64 offset, const QByteArray& data);
    void uploadProgressed(const confab::UploadProgressEvent& progress);
    void uploadDone(const confab::FileInfo& file);
    void fileErrorReceived(const confab::Error& error);
    // The next reconnect try was scheduled, or began (reconnectRemainingMs()).
    void reconnectScheduleChanged();
    // pendingCertificate() was set or cleared.
    void pendingCertificateChanged();

private:
    void start(const QUrl& server, QLatin1String type, const QJsonObject& payload);
    void openSocket();
    void onConnected();
    void onAuthReply(const Envelope& reply);
    void giveUp(const Error& error);
    void onSocketLost(QWebSocket* socket, const QString& why);
    void onSslErrors(QWebSocket* socket, const QList<QSslError>& errors);
    void setPendingCertificate(const PendingCertificate& pending);
    void onTextMessage(const QString& text);
    void onBinaryMessage(const QByteArray& frame);
    void onFileError(const Envelope& push);
    void dispatchPush(const Envelope& push);
    void scheduleReconnect();
    void finishSignOut();
    // Stops the keepalive and retires the socket (a graceful close or an abort).
    void dropSocket(bool graceful);
    // Every pending handler gets "unavailable"/"not connected" (in request order).
    void failPending();
    QString sendRequest(QLatin1String type, const QJsonObject& payload, ReplyHandler onReply, int timeoutMs);
    void setState(State state);

    State m_state = State::Disconnected;
    QUrl m_url;
    User m_user;
    QString m_token;
    ServerPolicy m_policy;

    QWebSocket* m_socket = nullptr; // a new one per attempt; old ones are retired
    QLatin1String m_authType;       // login/register/auth for the first sign-in
    QJsonObject m_authPayload;      // cleared once sent (it may hold a password)
    quint64 m_authRequest = 0;      // pending key of the auth in flight, 0 if none
    bool m_signedIn = false;        // had auth_ok; reconnects until signOut/disconnectFromServer
    bool m_signingOut = false;
    CertificatePinStore* m_pinStore = nullptr;
    PendingCertificate m_pendingCertificate;
    // What onSslErrors decided for the current socket, for onSocketLost.
    PendingCertificate m_untrustedCertificate;
    QString m_refusedCertificate;              // why it was refused outright
    QHash<QString, QString> m_memoryPins;      // by serverAuthority(), when there is no pin store
    quint64 m_nextRequest = 1;                 // ids "c1", "c2", ...: never reused
    std::map<quint64, ReplyHandler> m_pending; // by request number, so in request order

    int m_reconnectFirstMs = 1000;
    int m_reconnectMaxMs = 30000;
    int m_reconnectAttempt = 0;
    QTimer m_reconnectTimer;
    QTimer m_connectTimer; // the TCP + WebSocket handshake must finish in time
    QTimer m_pingTimer;
    QTimer m_pongTimer; // no pong in time: the connection is dead
};

} // namespace confab::client
