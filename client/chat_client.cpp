// ChatClient: construction, sign-in and sign-out, connection state, drafts.
// Rooms and messages are in chat_client_rooms.cpp, searches and room
// management in chat_client_actions.cpp.
#include "chat_client.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "server_address.h"

#include <cmath>

namespace confab::client {

ChatClient::Private::Private(ChatClient* owner, const Options& opts)
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
    , notifier(std::make_unique<DesktopNotifier>())
    , session(std::make_unique<Session>())
    , outbox(std::make_unique<Outbox>(session.get()))
    , typing(std::make_unique<TypingState>(session.get(), users.get()))
{
    tokens->setServiceName(opts.keychainService);
    session->setPinStore(&settings);
    typing->setExpiryMs(opts.typingExpiryMs);
    outbox->setRequestTimeout(opts.sendTimeoutMs);
    server = parseServerAddress(opts.server.toString());
    if (!server.isValid())
        server = settings.lastServer();
    resumeRetry.setSingleShot(true);
    markReadSoon.setSingleShot(true);
    markReadSoon.setInterval(400);
}

ChatClient::ChatClient(const Options& options, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, options))
{
    d->connectSession();
    connect(&d->markReadSoon, &QTimer::timeout, this, [this] {
        if (d->windowActive)
            markCurrentRoomRead();
    });
    connect(d->typing.get(), &TypingState::textChanged, this, &ChatClient::typingTextChanged);
    // The open room's name follows renames, and DM names their namesakes.
    connect(this, &ChatClient::currentRoomChanged, this, &ChatClient::currentRoomNameChanged);
    connect(d->rooms.get(), &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to, const QList<int>& roles) {
                const int row = d->rooms->rowOf(d->currentRoom);
                if (row >= from.row() && row <= to.row() &&
                    (roles.isEmpty() || roles.contains(RoomListModel::NameRole)))
                    emit currentRoomNameChanged();
            });
    connect(d->rooms.get(), &QAbstractItemModel::modelReset, this, &ChatClient::currentRoomNameChanged);
    connect(d->rooms.get(), &QAbstractItemModel::rowsInserted, this, &ChatClient::currentRoomNameChanged);

    connect(d->tokens.get(), &TokenStore::loaded, this,
            [this](const QUrl& server, const QString&, const QString& token) {
                if (d->signedIn || d->busy || server != d->server)
                    return;
                d->resuming = true;
                d->resumeToken = token;
                d->resumeAttempts = 0;
                d->setBusy(true);
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
    // The session may emit while it is being destroyed (closing its socket);
    // nothing may reach the half-destroyed controller.
    for (QObject* source :
         std::initializer_list<QObject*>{d->session.get(), d->outbox.get(), d->typing.get(), d->tokens.get(),
                                         d->rooms.get(), &d->resumeRetry, &d->markReadSoon})
        QObject::disconnect(source, nullptr, this, nullptr);
}

void ChatClient::Private::connectSession()
{
    Session* s = session.get();
    connect(s, &Session::stateChanged, q, [this] { onStateChanged(); });
    connect(s, &Session::authenticated, q,
            [this](const User& user, const QString& token) { onAuthenticated(user, token); });
    connect(s, &Session::authenticationFailed, q,
            [this](const Error& error) { onAuthenticationFailed(error); });
    connect(s, &Session::reconnected, q, [this] { refresh(true); });
    connect(s, &Session::pendingCertificateChanged, q, &ChatClient::pendingCertificateChanged);
    connect(s, &Session::roomReceived, q, [this](const Room& room) {
        users->upsertAll(room.members);
        rooms->upsert(room);
    });
    connect(s, &Session::roomLeft, q, [this](Id roomId) {
        outbox->dropRoom(roomId);
        drafts.remove(roomId);
        rooms->remove(roomId);
        if (roomId == currentRoom)
            closeRoom();
    });
    connect(s, &Session::memberLeft, q,
            [this](Id roomId, Id userId) { rooms->removeMember(roomId, userId); });
    connect(s, &Session::messageReceived, q, [this](const Message& m) { onMessage(m); });
    connect(s, &Session::mentionReceived, q, [this](const MentionEvent& m) { onMention(m); });
    connect(s, &Session::presenceChanged, q, [this](const PresenceEvent& p) {
        users->setPresence(p.userId, p.online, p.lastSeenAt);
        memberCandidates->setPresence(p.userId, p.online);
        userResults->setPresence(p.userId, p.online);
    });
    connect(s, &Session::typingChanged, q, [this](const TypingEvent& t) {
        rooms->setTyping(t.roomId, t.userId, t.isTyping);
        typing->apply(t);
    });
    connect(s, &Session::readMarkerChanged, q, [this](Id roomId, Id messageId) {
        const Room room = rooms->room(roomId);
        if (room.lastMessage && messageId >= room.lastMessage->id)
            rooms->markRead(roomId); // read on another device
    });
    connect(outbox.get(), &Outbox::acknowledged, q,
            [this](Id roomId, const QString& tempId, Id id, qint64 at) {
                if (messages->roomId() == roomId)
                    messages->acknowledge(tempId, id, at);
            });
    connect(outbox.get(), &Outbox::failed, q, [this](Id roomId, const QString& tempId, const Error& error) {
        if (messages->roomId() == roomId)
            messages->setFailed(tempId);
        setError(tr("A message was not sent: %1").arg(describeError(error)));
    });
}

void ChatClient::Private::beginSignIn(const QUrl& url)
{
    if (session->state() != Session::State::Disconnected)
        session->disconnectFromServer();
    if (url != server) {
        server = url;
        emit q->serverUrlChanged();
    }
    resuming = false;
    resumeRetry.stop();
    setError({});
    setBusy(true);
}

void ChatClient::Private::onAuthenticated(const User& user, const QString& token)
{
    const bool again = signedIn && me.id == user.id; // silent re-auth after a reconnect
    me = user;
    users->upsert(user);
    rooms->setSelfUserId(user.id);
    messages->setSelfUserId(user.id);
    settings.setLastServer(server);
    settings.setLastUsername(user.username);
    if (!token.isEmpty())
        tokens->save(server, user.username, token);
    if (again)
        return;
    resuming = false;
    resumeToken.clear();
    setBusy(false);
    setError({});
    signedIn = true;
    emit q->signedInChanged();
    refresh(false);
}

void ChatClient::Private::onAuthenticationFailed(const Error& error)
{
    if (resuming && error.code != ErrorCode::InvalidCredentials && error.code != ErrorCode::BadRequest) {
        // The server is down or busy; the stored session is still good.
        setError(tr("%1 Retrying…").arg(describeError(error)));
        resumeRetry.start(std::min(30000, 2000 << std::min(resumeAttempts++, 4)));
        return;
    }
    const bool hadSession = resuming || signedIn;
    resuming = false;
    setBusy(false);
    if (hadSession && (error.code == ErrorCode::InvalidCredentials || error.code == ErrorCode::BadRequest)) {
        tokens->remove(server); // expired or revoked: it will never work again
        if (signedIn) {
            clearAccountState();
            signedIn = false;
            emit q->signedInChanged();
        }
        setError(tr("Your session has ended. Please sign in again."));
        return;
    }
    setError(describeError(error));
}

void ChatClient::Private::onStateChanged()
{
    emit q->connectionStateChanged();
}

void ChatClient::Private::clearAccountState()
{
    typing->stopLocal();
    outbox->clear();
    closeRoom();
    rooms->setRooms({});
    candidates.clear();
    memberCandidates->setUsers({});
    userResults->setUsers({});
    searchResults->clear();
    mentions->clear();
    drafts.clear();
    markedRead.clear();
    recent.clear();
    recentOrder.clear();
    users->clear();
    me = User{};
}

void ChatClient::Private::setBusy(bool value)
{
    if (busy == value)
        return;
    busy = value;
    emit q->busyChanged();
}

void ChatClient::Private::setError(const QString& message)
{
    if (errorMessage == message)
        return;
    errorMessage = message;
    emit q->errorMessageChanged();
}

void ChatClient::Private::setKeychainMessage(const QString& message)
{
    if (keychainMessage == message)
        return;
    keychainMessage = message;
    emit q->keychainMessageChanged();
}

void ChatClient::signIn(const QString& server, const QString& username, const QString& password)
{
    const QUrl url = parseServerAddress(server);
    if (!url.isValid()) {
        d->setError(tr("Enter a server address such as ws://192.168.1.10:7860 or wss://chat.example.com."));
        return;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        d->setError(tr("Enter your username and password."));
        return;
    }
    d->beginSignIn(url);
    d->session->signIn(url, username.trimmed(), password);
}

void ChatClient::signUp(const QString& server, const QString& username, const QString& password,
                        const QString& displayName, const QString& invite)
{
    const QUrl url = parseServerAddress(server);
    if (!url.isValid()) {
        d->setError(tr("Enter a server address such as ws://192.168.1.10:7860 or wss://chat.example.com."));
        return;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        d->setError(tr("Choose a username and a password."));
        return;
    }
    d->beginSignIn(url);
    d->session->signUp(url, username.trimmed(), password, displayName.trimmed(), invite.trimmed());
}

void ChatClient::signOut()
{
    d->resumeRetry.stop();
    d->resumeToken.clear();
    d->typing->stopLocal();
    d->session->signOut();
    d->tokens->remove(d->server);
    d->resuming = false;
    d->setBusy(false);
    d->setError({});
    const bool was = d->signedIn;
    d->clearAccountState();
    d->signedIn = false;
    if (was)
        emit signedInChanged();
}

void ChatClient::acceptCertificate(const QString& fingerprint)
{
    if (!d->session->acceptPendingCertificate(fingerprint))
        return;
    d->setError({});
}

void ChatClient::rejectCertificate()
{
    const PendingCertificate pending = d->session->pendingCertificate();
    if (!pending.isValid())
        return;
    d->resumeRetry.stop();
    d->resuming = false;
    d->resumeToken.clear();
    d->session->disconnectFromServer();
    d->setBusy(false);
    if (d->signedIn) {
        d->typing->stopLocal();
        d->clearAccountState();
        d->signedIn = false;
        emit signedInChanged();
    }
    d->setError(pending.changed()
                    ? tr("Not connected: the certificate of %1 has changed and you did not accept it.")
                          .arg(serverAuthority(pending.server))
                    : tr("Not connected: you did not trust the certificate of %1.")
                          .arg(serverAuthority(pending.server)));
}

QVariantMap ChatClient::pendingCertificate() const
{
    const PendingCertificate& pending = d->session->pendingCertificate();
    if (!pending.isValid())
        return {};
    return {{QStringLiteral("url"), pending.server.toDisplayString()},
            {QStringLiteral("host"), serverAuthority(pending.server)},
            {QStringLiteral("fingerprint"), pending.fingerprint},
            {QStringLiteral("previousFingerprint"), pending.previousFingerprint},
            {QStringLiteral("changed"), pending.changed()},
            {QStringLiteral("subject"), pending.subject},
            {QStringLiteral("expires"), pending.expires}};
}

Session* ChatClient::session() const
{
    return d->session.get();
}
CertificatePinStore* ChatClient::pinStore() const
{
    return &d->settings;
}
RoomListModel* ChatClient::rooms() const
{
    return d->rooms.get();
}
MessageListModel* ChatClient::messages() const
{
    return d->messages.get();
}
UserListModel* ChatClient::memberCandidates() const
{
    return d->memberCandidates.get();
}
UserListModel* ChatClient::userResults() const
{
    return d->userResults.get();
}
MessageResultsModel* ChatClient::searchResults() const
{
    return d->searchResults.get();
}
MessageResultsModel* ChatClient::mentions() const
{
    return d->mentions.get();
}
Session::State ChatClient::connectionState() const
{
    return d->session->state();
}
bool ChatClient::signedIn() const
{
    return d->signedIn;
}
bool ChatClient::busy() const
{
    return d->busy;
}
QString ChatClient::errorMessage() const
{
    return d->errorMessage;
}
QString ChatClient::keychainMessage() const
{
    return d->keychainMessage;
}
QUrl ChatClient::serverUrl() const
{
    return d->server;
}
QString ChatClient::lastUsername() const
{
    return d->lastUsername;
}
double ChatClient::userId() const
{
    return double(d->me.id);
}
QString ChatClient::username() const
{
    return d->me.username;
}
QString ChatClient::displayName() const
{
    return d->me.displayName.isEmpty() ? d->me.username : d->me.displayName;
}
QString ChatClient::typingText() const
{
    return d->typing->text();
}
bool ChatClient::loadingOlder() const
{
    return d->loadingOlder;
}
bool ChatClient::windowActive() const
{
    return d->windowActive;
}

QString ChatClient::connectionText() const
{
    switch (d->session->state()) {
    case Session::State::Disconnected:
        return d->signedIn ? tr("Offline") : tr("Not connected");
    case Session::State::Connecting:
        return tr("Connecting…");
    case Session::State::Authenticating:
        return tr("Signing in…");
    case Session::State::Online:
        return tr("Connected");
    case Session::State::Reconnecting:
        return tr("Offline — reconnecting…");
    case Session::State::AwaitingTrust:
        return d->session->pendingCertificate().changed()
                   ? tr("The server's certificate has changed")
                   : tr("Waiting for you to check the server's certificate");
    }
    return {};
}

void ChatClient::setWindowActive(bool active)
{
    if (d->windowActive == active)
        return;
    d->windowActive = active;
    emit windowActiveChanged();
    if (active)
        markCurrentRoomRead();
}

void ChatClient::saveDraft(double roomId, const QString& text)
{
    if (text.trimmed().isEmpty())
        d->drafts.remove(Id(roomId));
    else
        d->drafts.insert(Id(roomId), text);
}

QString ChatClient::draft(double roomId) const
{
    return d->drafts.value(Id(roomId));
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

} // namespace confab::client
