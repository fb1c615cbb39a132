#pragma once

#include "chat_client.h"
#include "client_settings.h"
#include "desktop_notifier.h"
#include "emoji_model.h"
#include "file_downloads.h"
#include "file_uploads.h"
#include "local_store.h"
#include "notification_center.h"
#include "outbox.h"
#include "protocol/lifecycle.h"
#include "protocol/replies.h"
#include "protocol/requests.h"
#include "receipt_tracker.h"
#include "token_store.h"
#include "typing_state.h"
#include "user_directory.h"

#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace confab::client {

// The client's state, shared by ChatClient and its controllers (each a view
// of it for QML) in chat_client*.cpp and *_controller.cpp. Members are
// declared so that everything is destroyed before what it points at (the
// controllers first, the outbox and the typing state before the session, the
// models before the directory).
struct ClientCore {
    ClientCore(ChatClient* q, const ChatClient::Options& options);

    ChatClient* const q;
    const ChatClient::Options options;
    ClientSettings settings;
    QString lastUsername;

    std::unique_ptr<UserDirectory> users;
    std::unique_ptr<RoomListModel> rooms;
    std::unique_ptr<MessageListModel> messages;
    std::unique_ptr<UserListModel> memberCandidates;
    std::unique_ptr<UserListModel> userResults;
    std::unique_ptr<MessageResultsModel> searchResults;
    std::unique_ptr<MessageResultsModel> mentions;
    std::unique_ptr<TokenStore> tokens;
    std::unique_ptr<DesktopNotifier> notifier;
    std::unique_ptr<NotificationCenter> notifications;
    std::unique_ptr<LocalStore> store; // before the outbox, which writes to it
    std::unique_ptr<Session> session;
    std::unique_ptr<FileUploads> uploads;     // before the outbox, which drives them
    std::unique_ptr<FileDownloads> downloads; // the profile's file cache
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<TypingState> typing;
    std::unique_ptr<EmojiModel> emoji;

    // The views for QML, created by ChatClient once the rest exists.
    std::unique_ptr<AccountController> account;
    std::unique_ptr<RoomsController> roomsView;
    std::unique_ptr<ConversationController> conversation;
    std::unique_ptr<ComposerController> composer;
    std::unique_ptr<SearchController> search;
    std::unique_ptr<AttentionController> attention;
    std::unique_ptr<ProfileController> profile;
    std::unique_ptr<PinsController> pins;
    std::unique_ptr<GroupController> groups;
    std::unique_ptr<AvatarController> avatars;
    std::unique_ptr<FilesController> files;
    std::unique_ptr<ReceiptTracker> receipts; // the open room's, for "Seen by"

    // Sign-in
    QUrl server;
    User me;
    bool signedIn = false;
    bool busy = false;
    bool resuming = false; // signing in with the keychain token
    QString resumeToken;
    QTimer resumeRetry; // the server could not be reached: try the token again
    int resumeAttempts = 0;
    QString errorMessage;
    QString keychainMessage;

    // The open room
    Id currentRoom = 0;
    quint64 roomSerial = 0; // bumped on every room switch; stale replies compare it
    bool pageLoading = false;
    QList<Message> liveWhileLoading;            // `message` events that raced the page
    QList<Message> updatesWhileLoading;         // `message_updated` events that raced it
    QList<ReactionEvent> reactionsWhileLoading; // `reaction` events that raced it
    bool loadingOlder = false;
    QHash<Id, Id> markedRead;     // roomId -> last read marker set (sent, or kept until online)
    int unreadAtOpen = 0;         // the open room's unread count when it was opened (the divider)
    bool placingDivider = false;  // older pages load to reach it: nothing is "seen" meanwhile
    bool openedFromCache = false; // the open room shows cached rows, no server page yet
    // roomId -> newest message marked read that the server has not accepted
    // yet (set offline, or its reply has not come); also in the store.
    QHash<Id, Id> pendingMarks;
    bool storeAdopted = false; // the store holds this account's data (adoptStored() ran)
    QTimer cacheSoon;          // the room list and the open room's page to the cache
    // The start: what the store held, until sign-in; the keychain's
    // username for the stored token; whether the chat shows the stored
    // state while the first connection is not up yet (not authenticated).
    std::optional<LocalStore::Snapshot> startSnapshot;
    QString resumeUsername;
    bool showingStored = false;
    // roomId -> its newest messages as last seen (the store's pages, then
    // what each room showed): a room opens with them before the server answers.
    QHash<Id, QList<Message>> cachedPages;
    QTimer markReadSoon;
    bool windowActive = true;
    QHash<Id, QString> drafts;
    // The composer: the message being edited in place, the one being replied to (0: none).
    Id editingId = 0;
    Id replyToId = 0;

    // Recent messages by id, so a `mention` (which carries no spans) can
    // show the full message in the inbox.
    QHash<Id, Message> recent;
    QList<Id> recentOrder;

    // Searches: a newer query supersedes replies to older ones.
    quint64 memberQuerySerial = 0;
    QList<User> candidates; // what memberCandidates shows
    Id candidatesRoom = 0;
    quint64 userQuerySerial = 0;
    quint64 searchSerial = 0;
    SearchMessagesRequest searchRequest;
    std::optional<Id> searchNextBeforeId;
    bool searchLoading = false;
    int searchAutoPages = 0;

    // chat_client.cpp
    void connectSession();
    void beginSignIn(const QUrl& url);
    void onAuthenticated(const User& user, const QString& token);
    void onAuthenticationFailed(const Error& error);
    void onStateChanged();
    void clearAccountState();
    void setBusy(bool value);
    void setError(const QString& message);
    void setKeychainMessage(const QString& message);

    // chat_client_store.cpp
    void connectStore();
    void onStoreLoaded(const LocalStore::Snapshot& stored);
    // Resuming with the stored token of the store's owner: the chat shows
    // the last known rooms and pages at once, marked offline, until the
    // server answers (then it catches up as after a reconnect).
    void showStoredState();
    // After sign-in: the stored outbox, drafts and read markers of this
    // account are taken back; another account's data is wiped.
    void adoptStored(const LocalStore::Snapshot& stored);
    void markReadUpTo(Id roomId, Id messageId); // sent now, or when online again
    void sendReadMarker(Id roomId, Id messageId);
    void sendPendingMarks();
    void saveCache();

    // chat_client_rooms.cpp
    void refresh(bool reconnect);
    void loadRoom(Id roomId, std::optional<Id> endingAt, std::function<void()> done);
    void catchUp(Id roomId, quint64 serial, Id afterId, std::function<void()> done);
    // fetch_changes from `afterRevision` until the server has no more:
    // edits, deletions and reactions missed while away.
    void catchUpChanges(Id roomId, quint64 serial, qint64 afterRevision, std::function<void()> done);
    void appendCaughtUp(const QList<Message>& messages);
    void restorePending(Id roomId, const QList<Message>& known);
    void finishPageLoad();
    void divideAfterCache(quint64 serial, Id cachedNewest);
    void closeRoom();
    void setLoadingOlder(bool value);
    // The page before the oldest loaded message; `done(ok)` once it is in.
    void fetchOlder(quint64 serial, std::function<void(bool ok)> done);
    // Puts the "New messages" line above the first of unreadAtOpen messages,
    // loading older pages (at most `pagesLeft`) to reach it; `scroll`: and
    // shows it (not after a jump to another message).
    void placeUnreadDivider(quint64 serial, bool scroll, int pagesLeft);
    // Marks the open room read unless the user is reading down from the
    // divider: then the view marks what it has shown (markSeen).
    void markReadUnlessReading();
    void onMessage(const Message& message);
    void onMention(const MentionEvent& mention);
    // Asks NotificationRule about a new message and shows what it allows.
    void notifyAbout(const Message& message);
    void onMessageUpdated(const Message& message);
    void onReaction(const ReactionEvent& reaction);
    void rememberRecent(const Message& message);

    // Sends `type` and calls `onOk` with the reply, or shows the error.
    void call(QLatin1String type, const QJsonObject& payload, std::function<void(const Envelope&)> onOk);
};

// A user-facing sentence for a server or connection error.
QString describeError(const Error& error);
// The Error in an "error" reply (internal when it cannot be read).
Error errorOfReply(const Envelope& reply);
bool isErrorReply(const Envelope& reply);
// `users` without the one with `userId` (pickers never offer me).
QList<User> withoutUser(QList<User> users, Id userId);
// MentionTracker's spans ({userId, indexStart, indexEnd} maps), empty ones left out.
QList<Mention> mentionsFromVariant(const QVariantList& list);

} // namespace confab::client
