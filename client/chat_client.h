#pragma once

#include "message_list_model.h"
#include "message_results_model.h"
#include "room_list_model.h"
#include "session.h"
#include "user_list_model.h"

#include <QHash>
#include <QObject>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

class ClientSettings;
class DesktopNotifier;
class TokenStore;
class UserDirectory;

// What the QML views talk to: sign-in, the models, and every user action.
// Owns the Session, the models, the outbox of optimistic sends (kept in order
// across reconnects, each with its tempId so retries never duplicate), the
// per-room drafts, the keychain token and notifications. QML never touches
// sockets or SQL; this never touches QML items.
class ChatClient : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("created by the application")
    Q_PROPERTY(Session::State connectionState READ connectionState NOTIFY connectionStateChanged)
    Q_PROPERTY(QString connectionText READ connectionText NOTIFY connectionStateChanged)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY signedInChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged) // signing in
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(QString keychainMessage READ keychainMessage NOTIFY keychainMessageChanged)
    Q_PROPERTY(QUrl serverUrl READ serverUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(QString lastUsername READ lastUsername CONSTANT)
    Q_PROPERTY(double userId READ userId NOTIFY signedInChanged)
    Q_PROPERTY(QString username READ username NOTIFY signedInChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY signedInChanged)
    Q_PROPERTY(RoomListModel* rooms READ rooms CONSTANT)
    Q_PROPERTY(MessageListModel* messages READ messages CONSTANT)
    Q_PROPERTY(UserListModel* memberCandidates READ memberCandidates CONSTANT) // @ autocomplete
    Q_PROPERTY(UserListModel* userResults READ userResults CONSTANT)           // DM / group pickers
    Q_PROPERTY(MessageResultsModel* searchResults READ searchResults CONSTANT)
    Q_PROPERTY(MessageResultsModel* mentions READ mentions CONSTANT)
    Q_PROPERTY(double currentRoomId READ currentRoomId NOTIFY currentRoomChanged)
    // For a DM the other member's name, with "(@username)" when I or another DM partner share it.
    Q_PROPERTY(QString currentRoomName READ currentRoomName NOTIFY currentRoomNameChanged)
    Q_PROPERTY(bool currentRoomIsDm READ currentRoomIsDm NOTIFY currentRoomChanged)
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingTextChanged) // "Alice is typing…"
    Q_PROPERTY(bool loadingOlder READ loadingOlder NOTIFY loadingOlderChanged)
    Q_PROPERTY(bool windowActive READ windowActive WRITE setWindowActive NOTIFY windowActiveChanged)
    // A wss:// server's self-signed certificate waiting for the user's
    // decision (connectionState is AwaitingTrust), empty when none:
    // {url, host ("host:port"), fingerprint ("AB:CD:…"), previousFingerprint
    // (the pinned one it replaces; "" on first use), changed (bool), subject,
    // expires (date)}.
    Q_PROPERTY(QVariantMap pendingCertificate READ pendingCertificate NOTIFY pendingCertificateChanged)

public:
    struct Options {
        QUrl server; // --server; empty: the profile's last server
        QString profile = QStringLiteral("default");
        QString keychainService = QStringLiteral("Confab");
        bool autoResume = true; // sign in with the stored token at start
        // Tests shorten these: how long someone else's "is typing" lasts
        // without a refresh (TypingState::kExpiryMs), and how long a send
        // waits for its ack before it is shown as not sent.
        int typingExpiryMs = 8000;
        int sendTimeoutMs = 15000;
    };

    explicit ChatClient(const Options& options, QObject* parent = nullptr);
    ~ChatClient() override;

    Session* session() const;
    // The profile's pinned certificates (and the names they were announced under).
    CertificatePinStore* pinStore() const;
    RoomListModel* rooms() const;
    MessageListModel* messages() const;
    UserListModel* memberCandidates() const;
    UserListModel* userResults() const;
    MessageResultsModel* searchResults() const;
    MessageResultsModel* mentions() const;

    Session::State connectionState() const;
    QString connectionText() const; // "Connected", "Connecting…", "Offline — retrying in 4 s", ...
    bool signedIn() const;
    bool busy() const;
    QString errorMessage() const;
    QString keychainMessage() const;
    QUrl serverUrl() const;
    QString lastUsername() const;
    double userId() const;
    QString username() const;
    QString displayName() const;
    double currentRoomId() const;
    QString currentRoomName() const;
    bool currentRoomIsDm() const;
    QString typingText() const;
    bool loadingOlder() const;
    // The open room's newest page (or a jump's page) is still on its way.
    bool isRoomLoading() const;
    bool windowActive() const;
    void setWindowActive(bool active);
    QVariantMap pendingCertificate() const;

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

    Q_INVOKABLE void openRoom(double roomId); // newest page; marks read
    Q_INVOKABLE void loadOlder();             // beforeId = oldest loaded
    // Optimistic: appears at once as pending. `mentions` as from MentionTracker.
    Q_INVOKABLE void sendMessage(const QString& text, const QVariantList& mentions);
    Q_INVOKABLE void retry(const QString& tempId);
    Q_INVOKABLE void setTyping(bool typing);
    Q_INVOKABLE void markCurrentRoomRead();

    Q_INVOKABLE void queryMembers(const QString& prefix); // -> memberCandidates (search_users with roomId)
    Q_INVOKABLE void searchUsers(const QString& prefix);  // -> userResults
    Q_INVOKABLE void startDm(double userId);              // opens it when the reply comes
    Q_INVOKABLE void createGroup(const QString& name, const QVariantList& memberIds);
    Q_INVOKABLE void leaveRoom(double roomId);

    Q_INVOKABLE void searchMessages(const QString& query, bool currentRoomOnly); // -> searchResults
    Q_INVOKABLE void loadMoreSearchResults();
    Q_INVOKABLE void loadMentions(); // -> mentions
    // Opens the room with the message loaded and emits scrollToMessage.
    Q_INVOKABLE void jumpToMessage(double roomId, double messageId);

    Q_INVOKABLE void saveDraft(double roomId, const QString& text);
    Q_INVOKABLE QString draft(double roomId) const;

signals:
    void connectionStateChanged();
    void signedInChanged();
    void busyChanged();
    void errorMessageChanged();
    void keychainMessageChanged();
    void serverUrlChanged();
    void currentRoomChanged();
    void currentRoomNameChanged();
    // The page openRoom() or jumpToMessage() asked for has been shown (ok),
    // or could not be loaded (offline, an error): the room shows what it can.
    void roomLoaded(double roomId, bool ok);
    void typingTextChanged();
    void loadingOlderChanged();
    void windowActiveChanged();
    void pendingCertificateChanged();
    void scrollToMessage(int row);
    // A mention of me while the window is not active (also sent to the desktop).
    void mentionNotification(const QString& title, const QString& body, double roomId, double messageId);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace confab::client
