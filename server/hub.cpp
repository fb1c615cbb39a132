#include "hub.h"

#include "base/logging.h"
#include "cluster_node.h"
#include "connection.h"
#include "log_watcher.h"
#include "store/transaction.h"
#include "token_pruner.h"
#include "upload_pruner.h"
#include "ws/ws_frame.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "protocol/replies.h"

#include <QDateTime>

namespace confab::server {

namespace {
constexpr int kLastSeenIntervalMs = 1'000;

// COMMIT durations reach the metrics of the newest hub: a process runs one
// server (tests that run several in one process share this figure).
std::atomic<Metrics*> g_commitMetrics{nullptr};

void recordCommit(qint64 nanoseconds)
{
    if (Metrics* metrics = g_commitMetrics.load(std::memory_order_acquire))
        metrics->commitLatency.record(nanoseconds);
}
} // namespace

QString noSuchRoomMessage()
{
    return QStringLiteral("no such room or not a member");
}

Hub::Hub(const ServerConfig& config, std::shared_ptr<Store> store, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_executor(std::move(store))
    , m_lastSeen(m_executor, kLastSeenIntervalMs)
    , m_hasher(PasswordHasher::Limits{config.hashThreads, config.hashQueue, config.hashPerConnection,
                                      config.hashPerAddress})
    , m_sendLimiter(config.sendRatePerSecond, config.sendBurst)
    , m_userLoginLimiter(config.failedLoginRatePerSecond, config.failedLoginBurst)
    , m_addressLoginLimiter(config.failedLoginAddressRatePerSecond, config.failedLoginAddressBurst)
    , m_registerLimiter(config.registerRatePerSecond, config.registerBurst)
    , m_requestLimits(config)
    , m_delivery(*this)
{
    m_clock.start();
    // The one path outward: what a store job committed goes to the other
    // instances (a wake-up; the rows are in the change log already) and to
    // this instance's connections, after the job's own reply.
    m_executor.setChangeSink(this, [this](const QList<ChangeRecord>& changes) {
        if (m_cluster)
            m_cluster->changesCommitted();
        m_delivery.deliverCommitted(changes);
    });
    m_metrics.passwordHashesWaiting = [this] { return qint64(m_hasher.waiting()); };
    m_metrics.passwordHashesRun = [this] { return qint64(m_hasher.started()); };
    g_commitMetrics.store(&m_metrics, std::memory_order_release);
    Transaction::setCommitObserver(&recordCommit);
    m_memoryTimer.setInterval(1'000);
    connect(&m_memoryTimer, &QTimer::timeout, this, &Hub::releaseMemoryAfterBacklog);
    // Forget full buckets so the limiters only hold recently active keys.
    m_pruneTimer.setInterval(60'000);
    connect(&m_pruneTimer, &QTimer::timeout, this, [this] {
        m_sendLimiter.prune(monotonicMs());
        m_userLoginLimiter.prune(monotonicMs());
        m_addressLoginLimiter.prune(monotonicMs());
        m_registerLimiter.prune(monotonicMs());
        // A token issue outlives no minute: older changes concern none in flight.
        for (auto it = m_recentAccessChanges.begin(); it != m_recentAccessChanges.end();) {
            if (it->first < monotonicMs() - 60'000)
                it = m_recentAccessChanges.erase(it);
            else
                ++it;
        }
        m_requestLimits.prune(monotonicMs());
    });
}

Hub::~Hub()
{
    stop(); // the store threads have finished: no commit can record any more
    Metrics* mine = &m_metrics;
    g_commitMetrics.compare_exchange_strong(mine, nullptr);
}

void Hub::enableCluster(const DatabaseUrl& url, const cluster::BusTimings& timings)
{
    m_clusterSettings.emplace(url, timings);
}

Result<void> Hub::start()
{
    if (auto opened = m_executor.start(); !opened)
        return opened;
    if (m_clusterSettings) {
        // Before memberships are loaded: the bus reads changes from the
        // newest one at its start, so none can fall between the two.
        m_cluster = std::make_unique<cluster::ClusterNode>(*this, m_clusterSettings->first,
                                                           m_clusterSettings->second);
        m_executor.runBlocking<int>([origin = m_cluster->origin()](Store& s) {
            s.setChangeOrigin(origin);
            return 0;
        });
        if (auto joined = m_cluster->start(); !joined) {
            m_cluster.reset();
            return joined;
        }
    }
    auto memberships = m_executor.runBlocking<Result<QList<RoomMembership>>>(
        [](Store& store) { return store.memberships(); });
    if (!memberships)
        return memberships.error();
    m_rooms.load(memberships.value());
    auto statuses =
        m_executor.runBlocking<Result<QList<StatusEntry>>>([](Store& store) { return store.userStatuses(); });
    if (!statuses)
        return statuses.error();
    for (const StatusEntry& entry : statuses.value())
        setStatus(entry.userId, entry.status, entry.statusText);
    if (!m_cluster) {
        m_logWatcher = new LogWatcher(*this);
        if (auto watching = m_logWatcher->start(); !watching)
            return watching;
    }
    m_pruneTimer.start();
    m_memoryTimer.start();
    m_tokenPruner = std::make_unique<TokenPruner>(m_executor, this);
    m_tokenPruner->start();
    m_uploadPruner = std::make_unique<UploadPruner>(m_executor, this, m_config.uploadExpirySeconds);
    m_uploadPruner->start();
    qCInfo(lcServer) << "loaded" << memberships->size() << "rooms";
    return {};
}

void Hub::releaseMemoryAfterBacklog()
{
    qint64 peak = 0;
    if (!m_memoryRelease.observe(m_executor.queuedJobs(), monotonicMs(), &peak))
        return;
    QElapsedTimer clock;
    clock.start();
    if (releaseFreeMemory())
        qCInfo(lcServer) << "a backlog of" << peak << "store jobs has drained; returned free memory in"
                         << clock.elapsed() << "ms";
}

void Hub::stop()
{
    m_pruneTimer.stop();
    m_memoryTimer.stop();
    m_tokenPruner.reset();
    m_uploadPruner.reset();
    if (m_logWatcher)
        m_logWatcher->stop();
    if (m_cluster)
        m_cluster->stop(); // says bye: the others mark our users offline at once
    m_lastSeen.flush();
    m_executor.stop();
}

void Hub::insertMessage(NewMessage message, std::function<void(Result<InsertedMessage>)> done)
{
    Connection* requester = m_requester;
    if (!requester) {
        m_executor.insertMessage(this, 0, std::move(message), std::move(done));
        return;
    }
    requester->requestStarted(true);
    m_executor.insertMessage(this, requester->serial(), std::move(message),
                             [this, guard = QPointer<Connection>(requester),
                              done = std::move(done)](Result<InsertedMessage> inserted) {
                                 RequestScope scope(*this, guard);
                                 done(std::move(inserted));
                                 if (guard)
                                     guard->requestFinished(true);
                             });
}

qint64 Hub::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 Hub::monotonicMs() const
{
    return m_clock.elapsed();
}

QByteArray Hub::frame(QLatin1String type, const QJsonObject& payload)
{
    return ws::encodeFrame(ws::Opcode::Text, Envelope::make(QString(type), payload).serialize());
}

void Hub::reply(Connection* to, QLatin1String type, const QJsonObject& payload, const QJsonValue& id)
{
    to->send(Envelope::make(QString(type), payload, id));
}

void Hub::replyError(Connection* to, const Error& error, const QJsonValue& id)
{
    if (error.code == ErrorCode::Internal)
        qCWarning(lcServer) << "internal error for user" << to->userId() << ":" << error.message;
    to->sendError(error, id);
}

void Hub::sendToUser(Id userId, const QByteArray& frame, const Connection* except)
{
    const QList<Connection*> connections = m_sessions.connectionsOf(userId);
    quint64 sent = 0;
    for (Connection* c : connections) {
        if (c != except && c->sendFrame(frame))
            ++sent;
    }
    m_metrics.deliveries.fetch_add(sent, std::memory_order_relaxed);
}

bool Hub::isOnline(Id userId) const
{
    return m_sessions.isOnline(userId) || (m_cluster && m_cluster->isOnlineElsewhere(userId));
}

bool Hub::claimDelivery(Id messageId)
{
    return !m_cluster || m_cluster->claimDelivery(messageId);
}

void Hub::closeAllConnections(const QString& reason)
{
    const auto connections = findChildren<Connection*>(QString(), Qt::FindDirectChildrenOnly);
    for (Connection* c : connections)
        c->close(ws::close_code::GoingAway, reason);
}

void Hub::applyAccessChange(const ChangeRecord& change)
{
    const QString reason = change.kind == ChangeRecord::Kind::UserDisabled
                               ? QStringLiteral("account disabled")
                           : change.kind == ChangeRecord::Kind::PasswordChanged
                               ? QStringLiteral("signed out: the password was changed")
                               : QStringLiteral("credentials changed");
    m_recentAccessChanges.insert(change.userId, {monotonicMs(), change.kind});
    QList<Connection*> connections = m_sessions.connectionsOf(change.userId);
    if (change.kind == ChangeRecord::Kind::PasswordChanged) {
        // The session that changed it stays, on every instance.
        const QByteArray kept = QByteArray::fromHex(change.emoji.toLatin1());
        connections.removeIf([&kept](const Connection* c) { return c->tokenHash() == kept; });
    }
    for (Connection* c : connections) {
        c->sendError(makeError(ErrorCode::Unauthenticated, reason), QJsonValue(QJsonValue::Undefined));
        deauthenticate(c);
        c->close(ws::close_code::PolicyViolated, reason);
    }
    if (!connections.isEmpty())
        qCInfo(lcAuth).noquote() << "closed" << connections.size() << "connection(s) of user" << change.userId
                                 << "-" << reason;
}

std::optional<ChangeRecord::Kind> Hub::accessChangedSince(Id userId, qint64 sinceMs) const
{
    const auto it = m_recentAccessChanges.constFind(userId);
    if (it == m_recentAccessChanges.constEnd() || it->first < sinceMs)
        return std::nullopt;
    return it->second;
}

User Hub::withPresence(User user) const
{
    user.online = isOnline(user.id);
    return user;
}

Room Hub::withPresence(Room room) const
{
    for (User& member : room.members)
        member.online = isOnline(member.id);
    return room;
}

void Hub::authenticate(Connection* connection, User user, const QString& token, const QByteArray& tokenHash,
                       const QJsonValue& id)
{
    if (connection->isAuthenticated())
        deauthenticate(connection);
    connection->setAuthenticated(user.id, tokenHash);
    const bool first = m_sessions.attach(user.id, connection);
    const qint64 now = nowMs();
    user.online = true;
    if (first)
        user.lastSeenAt = now;
    const bool elsewhere = m_cluster && m_cluster->isOnlineElsewhere(user.id);
    setStatus(user.id, user.status, user.statusText); // as stored now
    if (!user.sendReceipts)
        user.sendReceipts = true; // a user just created: the default (auth_ok is the user's own copy)
    reply(connection, event::AuthOk, AuthOk{token, user, policy()}.toPayload(), id);
    qCInfo(lcAuth) << "user" << user.id << user.username << "signed in from" << connection->peerAddress();
    if (first) {
        const Id userId = user.id;
        m_lastSeen.record(userId, now);
        if (m_cluster)
            m_cluster->localPresence(userId, true, now);
        if (!elsewhere) // already online to everyone otherwise
            announcePresence(user.id, true, now);
    }
}

void Hub::deauthenticate(Connection* connection)
{
    if (!connection->isAuthenticated())
        return;
    const Id userId = connection->userId();
    const QSet<Id> typing = connection->typingRooms();
    for (Id roomId : typing)
        setTyping(connection, roomId, false);
    const bool last = m_sessions.detach(userId, connection);
    connection->clearAuthentication();
    if (last) {
        const qint64 now = nowMs();
        m_lastSeen.record(userId, now);
        if (m_cluster)
            m_cluster->localPresence(userId, false, now);
        if (!isOnline(userId)) // still online elsewhere otherwise
            announcePresence(userId, false, now);
    }
}

void Hub::connectionClosed(Connection* connection)
{
    m_hasher.dropConnection(connection->serial()); // its queued hashes are not run
    deauthenticate(connection);
    connection->deleteLater();
}

void Hub::setStatus(Id userId, UserStatus status, const QString& statusText)
{
    if (status == UserStatus::Available && statusText.isEmpty())
        m_statuses.remove(userId);
    else
        m_statuses.insert(userId, {status, statusText});
}

ServerPolicy Hub::policy() const
{
    return ServerPolicy{m_config.editWindowS, m_config.deleteWindowS, m_config.receipts};
}

void Hub::announcePresence(Id userId, bool online, qint64 lastSeenAt)
{
    const auto status = m_statuses.value(userId, {UserStatus::Available, QString()});
    const QByteArray text = frame(
        event::Presence, PresenceEvent{userId, online, lastSeenAt, status.first, status.second}.toPayload());
    sendToUsers(m_rooms.contactsOf(userId), text);
}

void Hub::setTyping(Connection* connection, Id roomId, bool isTyping)
{
    if (isTyping)
        connection->typingRooms().insert(roomId);
    else
        connection->typingRooms().remove(roomId);
    const Id userId = connection->userId();
    if (!m_typing.relay(userId, roomId, isTyping, monotonicMs()))
        return; // a repeat: the room knows already (TypingCoalescer)
    const QByteArray text = frame(event::Typing, TypingEvent{roomId, userId, isTyping}.toPayload());
    const QList<Id> members = m_rooms.members(roomId);
    for (Id member : members) {
        if (member != userId)
            sendToUser(member, text);
    }
    if (m_cluster)
        m_cluster->localTyping(roomId, userId, isTyping);
}

} // namespace confab::server
