// ChatClient and ClientCore: construction, the session's events wired to
// the state, and helpers the controllers share. Signing in is in
// account_controller.cpp, loading and catching up the open room in
// chat_client_rooms.cpp, each controller's actions in its own file.
#include "chat_client.h"
#include "chat_client_private.h"

#include "attachment_display.h"
#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "server_address.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>

namespace confab::client {

ClientCore::ClientCore(ChatClient* owner, const ChatClient::Options& opts)
    : q(owner)
    , options(opts)
    , settings(opts.profile)
    , lastUsername(settings.lastUsername())
    , users(std::make_unique<UserDirectory>())
    , rooms(std::make_unique<RoomListModel>(users.get()))
    , messages(std::make_unique<MessageListModel>(users.get()))
    , memberCandidates(std::make_unique<UserListModel>())
    , userResults(std::make_unique<UserListModel>())
    , searchResults(std::make_unique<MessageResultsModel>(users.get(), rooms.get()))
    , mentions(std::make_unique<MessageResultsModel>(users.get(), rooms.get()))
    , tokens(std::make_unique<TokenStore>(opts.profile))
    , notifier(opts.notifier ? nullptr : std::make_unique<DesktopNotifier>())
    , notifications(std::make_unique<NotificationCenter>(opts.notifier ? opts.notifier : notifier.get()))
    , store(std::make_unique<LocalStore>(opts.storePath.isEmpty() ? LocalStore::pathFor(opts.profile)
                                                                  : opts.storePath))
    , session(std::make_unique<Session>())
    , uploads(std::make_unique<FileUploads>(session.get()))
    , downloads(std::make_unique<FileDownloads>(
          session.get(),
          QFileInfo(opts.storePath.isEmpty() ? LocalStore::pathFor(opts.profile) : opts.storePath)
              .dir()
              .filePath(QStringLiteral("files/cache/signed-out"))))
    , outbox(std::make_unique<Outbox>(session.get()))
    , typing(std::make_unique<TypingState>(session.get(), users.get()))
    , emoji(std::make_unique<EmojiModel>(&settings))
{
    tokens->setServiceName(opts.keychainService);
    session->setPinStore(&settings);
    typing->setExpiryMs(opts.typingExpiryMs);
    outbox->setRequestTimeout(opts.sendTimeoutMs);
    outbox->setUploads(uploads.get());
    server = parseServerAddress(opts.server.toString());
    if (!server.isValid())
        server = settings.lastServer();
    resumeRetry.setSingleShot(true);
    resumeRetry.setTimerType(Qt::PreciseTimer); // its countdown is shown, like the session's
    markReadSoon.setSingleShot(true);
    markReadSoon.setInterval(400);
}

ChatClient::ChatClient(const Options& options, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<ClientCore>(this, options))
{
    d->account = std::make_unique<AccountController>(d.get());
    d->roomsView = std::make_unique<RoomsController>(d.get());
    d->conversation = std::make_unique<ConversationController>(d.get());
    d->composer = std::make_unique<ComposerController>(d.get());
    d->search = std::make_unique<SearchController>(d.get());
    d->attention = std::make_unique<AttentionController>(d.get());
    d->profile = std::make_unique<ProfileController>(d.get());
    d->groups = std::make_unique<GroupController>(d.get());
    d->avatars = std::make_unique<AvatarController>(d.get());
    d->files = std::make_unique<FilesController>(d.get());
    d->receipts = std::make_unique<ReceiptTracker>(d->session.get(), d->messages.get());
    d->connectSession();
    d->connectStore();
    // After connectSession(): its slots see the session's state already taken in (me, the rooms).
    d->pins = std::make_unique<PinsController>(d.get());
    connect(d->conversation.get(), &ConversationController::roomChanged, this,
            [this] { d->receipts->setRoom(d->currentRoom, d->conversation->isDm()); });
    connect(d->conversation.get(), &ConversationController::roomChanged, d->groups.get(),
            &GroupController::refresh);
    connect(d->profile.get(), &ProfileController::profileChanged, this,
            [this] { d->receipts->updateEnabled(); });
    // While disconnected nobody's presence is known: everyone shows offline
    // until the server says otherwise again.
    d->users->setPresenceLive(false);
    connect(d->session.get(), &Session::stateChanged, this, [this] {
        const bool live = d->session->state() == Session::State::Online;
        d->users->setPresenceLive(live);
        if (!live) {
            d->memberCandidates->setAllOffline();
            d->userResults->setAllOffline();
        }
    });

    ConversationController* conversation = d->conversation.get();
    connect(&d->markReadSoon, &QTimer::timeout, this, [this] { d->markReadUnlessReading(); });
    connect(d->typing.get(), &TypingState::textChanged, conversation,
            &ConversationController::typingTextChanged);
    // The open room's name follows renames, and DM names their namesakes.
    connect(conversation, &ConversationController::roomChanged, conversation,
            &ConversationController::roomNameChanged);
    connect(d->rooms.get(), &QAbstractItemModel::dataChanged, conversation,
            [this](const QModelIndex& from, const QModelIndex& to, const QList<int>& roles) {
                const int row = d->rooms->rowOf(d->currentRoom);
                if (row >= from.row() && row <= to.row() &&
                    (roles.isEmpty() || roles.contains(RoomListModel::NameRole)))
                    emit d->conversation->roomNameChanged();
            });
    connect(d->rooms.get(), &QAbstractItemModel::modelReset, conversation,
            &ConversationController::roomNameChanged);
    connect(d->rooms.get(), &QAbstractItemModel::rowsInserted, conversation,
            &ConversationController::roomNameChanged);

    connect(d->tokens.get(), &TokenStore::loaded, this,
            [this](const QUrl& server, const QString& username, const QString& token) {
                if (d->signedIn || d->busy || server != d->server)
                    return;
                d->resuming = true;
                d->resumeToken = token;
                d->resumeUsername = username;
                d->resumeAttempts = 0;
                d->setBusy(true);
                d->showStoredState();
                d->session->resume(server, token);
            });
    connect(&d->resumeRetry, &QTimer::timeout, this, [this] {
        if (d->resuming)
            d->session->resume(d->server, d->resumeToken);
    });
    connect(d->tokens.get(), &TokenStore::unavailable, this,
            [this](const QString& message) { d->setKeychainMessage(message); });
    connect(d->tokens.get(), &TokenStore::saved, this, [this] { d->setKeychainMessage({}); });

    if (options.autoResume)
        d->tokens->load(d->server);
}

ChatClient::~ChatClient()
{
    d->saveCache(); // the last state for the next start (written before the store closes)
    // The session may emit while it is being destroyed (closing its socket);
    // nothing may reach the half-destroyed controller.
    for (QObject* source : std::initializer_list<QObject*>{
             d->session.get(), d->outbox.get(), d->typing.get(), d->tokens.get(), d->rooms.get(),
             d->messages.get(), d->store.get(), &d->resumeRetry, &d->markReadSoon, &d->cacheSoon})
        QObject::disconnect(source, nullptr, nullptr, nullptr);
}

void ClientCore::connectSession()
{
    Session* s = session.get();
    QObject::connect(s, &Session::stateChanged, q, [this] { onStateChanged(); });
    QObject::connect(s, &Session::authenticated, q,
                     [this](const User& user, const QString& token) { onAuthenticated(user, token); });
    QObject::connect(s, &Session::authenticationFailed, q,
                     [this](const Error& error) { onAuthenticationFailed(error); });
    QObject::connect(s, &Session::reconnected, q, [this] { refresh(true); });
    QObject::connect(s, &Session::pendingCertificateChanged, account.get(),
                     &AccountController::pendingCertificateChanged);
    QObject::connect(s, &Session::roomReceived, q, [this](const Room& room) {
        users->upsertAll(room.members);
        rooms->upsert(room);
    });
    QObject::connect(s, &Session::roomLeft, q, [this](Id roomId, const QString& reason) {
        // Removed by someone else: said, since the room vanishes from the list.
        if (reason == QLatin1String("removed") && rooms->contains(roomId))
            groups->noteRemoved(rooms->displayName(roomId));
        outbox->dropRoom(roomId);
        drafts.remove(roomId);
        pendingMarks.remove(roomId);
        store->removeRoom(roomId);
        rooms->remove(roomId);
        if (roomId == currentRoom)
            closeRoom();
    });
    QObject::connect(s, &Session::memberLeft, q,
                     [this](Id roomId, Id userId) { rooms->removeMember(roomId, userId); });
    QObject::connect(s, &Session::memberJoined, q,
                     [this](const MemberJoinedEvent& e) { rooms->addMember(e.roomId, e.user); });
    QObject::connect(s, &Session::roomUpdated, q, [this](const Room& room) {
        // The whole room (roles, owner, name, topic, visibility) replaces ours.
        users->upsertAll(room.members);
        rooms->upsert(room);
    });
    QObject::connect(s, &Session::messageReceived, q, [this](const Message& m) { onMessage(m); });
    QObject::connect(s, &Session::mentionReceived, q, [this](const MentionEvent& m) { onMention(m); });
    QObject::connect(s, &Session::messageUpdated, q, [this](const Message& m) { onMessageUpdated(m); });
    QObject::connect(s, &Session::reactionChanged, q, [this](const ReactionEvent& r) { onReaction(r); });
    QObject::connect(s, &Session::presenceChanged, q, [this](const PresenceEvent& p) {
        users->setPresence(p.userId, p.online, p.lastSeenAt);
        User known = users->user(p.userId);
        if (known.id != 0 && (known.status != p.status || known.statusText != p.statusText)) {
            known.status = p.status;
            known.statusText = p.statusText;
            users->upsert(known); // the status beside their name
        }
        memberCandidates->setPresence(p.userId, p.online);
        userResults->setPresence(p.userId, p.online);
    });
    QObject::connect(s, &Session::typingChanged, q, [this](const TypingEvent& t) {
        rooms->setTyping(t.roomId, t.userId, t.isTyping);
        typing->apply(t);
    });
    QObject::connect(s, &Session::readMarkerChanged, q, [this](Id roomId, Id messageId) {
        const Room room = rooms->room(roomId);
        if (room.lastMessage && messageId >= room.lastMessage->id) {
            rooms->markRead(roomId); // read on another device
            notifications->clearRoom(roomId);
        }
    });
    QObject::connect(s, &Session::userUpdated, q, [this](const User& user) { users->upsert(user); });
    QObject::connect(s, &Session::roomSettingsChanged, q,
                     [this](const RoomSettingsEvent& e) { rooms->setNotifyLevel(e.roomId, e.notify); });
    QObject::connect(outbox.get(), &Outbox::acknowledged, q,
                     [this](Id roomId, const QString& tempId, Id id, qint64 at) {
                         if (messages->roomId() == roomId)
                             messages->acknowledge(tempId, id, at);
                     });
    QObject::connect(outbox.get(), &Outbox::uploadProgress, q,
                     [this](Id roomId, const QString& tempId, qint64 done, qint64) {
                         if (messages->roomId() != roomId)
                             return;
                         for (const Outbox::Item& item : outbox->itemsFor(roomId)) {
                             if (item.tempId == tempId)
                                 messages->setPendingFiles(tempId,
                                                           attachment_display::ofPending(item.files, done));
                         }
                     });
    QObject::connect(outbox.get(), &Outbox::failed, q,
                     [this](Id roomId, const QString& tempId, const Error& error) {
                         if (messages->roomId() == roomId)
                             messages->setFailed(tempId);
                         setError(ChatClient::tr("A message was not sent: %1").arg(describeError(error)));
                     });
}

AccountController* ChatClient::account() const
{
    return d->account.get();
}
RoomsController* ChatClient::rooms() const
{
    return d->roomsView.get();
}
ConversationController* ChatClient::conversation() const
{
    return d->conversation.get();
}
ComposerController* ChatClient::composer() const
{
    return d->composer.get();
}
SearchController* ChatClient::search() const
{
    return d->search.get();
}
AttentionController* ChatClient::attention() const
{
    return d->attention.get();
}
ProfileController* ChatClient::profile() const
{
    return d->profile.get();
}
PinsController* ChatClient::pins() const
{
    return d->pins.get();
}

GroupController* ChatClient::groups() const
{
    return d->groups.get();
}

AvatarController* ChatClient::avatars() const
{
    return d->avatars.get();
}

FilesController* ChatClient::files() const
{
    return d->files.get();
}

Session* ChatClient::session() const
{
    return d->session.get();
}
bool ChatClient::windowActive() const
{
    return d->windowActive;
}

void ChatClient::setWindowActive(bool active)
{
    if (d->windowActive == active)
        return;
    d->windowActive = active;
    emit windowActiveChanged();
    if (active)
        d->markReadUnlessReading();
}

QString describeError(const Error& error)
{
    switch (error.code) {
    case ErrorCode::InvalidCredentials:
        return ChatClient::tr("Wrong username or password.");
    case ErrorCode::Conflict:
        return ChatClient::tr("That username is already taken.");
    case ErrorCode::RateLimited:
        return ChatClient::tr("Too many attempts. Try again in %1 s.")
            .arg(std::max<qint64>(1, qint64(std::ceil(double(error.retryAfterMs) / 1000.0))));
    case ErrorCode::TooLarge:
        return ChatClient::tr("The message is too long.");
    case ErrorCode::Unavailable:
        if (error.message.isEmpty() || error.message == QLatin1String("not connected"))
            return ChatClient::tr("Not connected to the server.");
        break;
    default:
        break;
    }
    if (error.message.isEmpty())
        return ChatClient::tr("Something went wrong.");
    QString sentence = error.message;
    sentence[0] = sentence.at(0).toUpper();
    return sentence.endsWith(QLatin1Char('.')) ? sentence : sentence + QLatin1Char('.');
}

Error errorOfReply(const Envelope& reply)
{
    const auto error = errorFromPayload(reply.payload);
    return error ? *error : makeError(ErrorCode::Internal, QStringLiteral("unexpected reply"));
}

bool isErrorReply(const Envelope& reply)
{
    return reply.type == event::Error;
}

QList<Mention> mentionsFromVariant(const QVariantList& list)
{
    QList<Mention> spans;
    for (const QVariant& v : list) {
        const QVariantMap map = v.toMap();
        Mention mention;
        mention.userId = Id(map.value(QStringLiteral("userId")).toDouble());
        mention.indexStart = map.value(QStringLiteral("indexStart")).toInt();
        mention.indexEnd = map.value(QStringLiteral("indexEnd")).toInt();
        if (mention.userId != 0 && mention.indexEnd > mention.indexStart)
            spans.append(mention);
    }
    return spans;
}

QList<User> withoutUser(QList<User> users, Id userId)
{
    users.removeIf([userId](const User& u) { return u.id == userId; });
    return users;
}

} // namespace confab::client
