#pragma once

#include "base/memory_release.h"
#include "base/token_bucket.h"
#include "connection.h"
#include "delivery/delivery.h"
#include "last_seen_writer.h"
#include "ops/metrics.h"
#include "password_hasher.h"
#include "request_limits.h"
#include "room_registry.h"
#include "server_config.h"
#include "session_registry.h"
#include "store/store_executor.h"
#include "typing_coalescer.h"

#include "cluster/remote_change.h"
#include "protocol/attention.h"
#include "protocol/types.h"
#include "store/database_url.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace confab::server {

class LogWatcher;
class TokenPruner;
class UploadPruner;
namespace cluster {
class ClusterNode;
}

// The message used for every room the caller may not see: a room that does
// not exist and a room the caller is not in must be indistinguishable.
QString noSuchRoomMessage();

// The server's shared state on the network thread and the operations handlers
// compose: store jobs, replies, fan-out, sign-in and sign-out with presence.
class Hub : public QObject {
    Q_OBJECT
public:
    Hub(const ServerConfig& config, std::shared_ptr<Store> store, QObject* parent = nullptr);
    ~Hub() override;

    // Makes this server one instance of a cluster sharing `url` (PostgreSQL):
    // call before start().
    void enableCluster(const DatabaseUrl& url, const cluster::BusTimings& timings);
    // Opens the store on its thread, joins the cluster (if enabled) and loads
    // room memberships.
    Result<void> start();
    // Completes queued store jobs (so everything acked or about to be is on disk).
    void stop();

    const ServerConfig& config() const { return m_config; }
    PasswordHasher& hasher() { return m_hasher; }
    RoomRegistry& rooms() { return m_rooms; }
    SessionRegistry& sessions() { return m_sessions; }
    RateLimiter& sendLimiter() { return m_sendLimiter; }
    RateLimiter& userLoginLimiter() { return m_userLoginLimiter; }
    RateLimiter& addressLoginLimiter() { return m_addressLoginLimiter; }
    RateLimiter& registerLimiter() { return m_registerLimiter; }
    RequestLimits& requestLimits() { return m_requestLimits; }
    StoreExecutor& executor() { return m_executor; }
    Delivery& delivery() { return m_delivery; }
    Metrics& metrics() { return m_metrics; }

    qint64 nowMs() const;       // wall clock, ms since the epoch (stored times)
    qint64 monotonicMs() const; // for rate limits

    // The client whose request is being handled: from the dispatcher's
    // call into a handler, and again inside the completions of the store
    // jobs it started. Jobs started meanwhile are that connection's: they
    // count as its requests in flight (Connection::requestStarted), and a
    // write is ordered for it alone (JobOrder::write(serial)) rather than
    // being a barrier for every client's reads.
    class RequestScope {
    public:
        RequestScope(Hub& hub, Connection* requester)
            : m_hub(hub)
            , m_previous(hub.m_requester)
        {
            hub.m_requester = requester;
        }
        ~RequestScope() { m_hub.m_requester = m_previous; }
        RequestScope(const RequestScope&) = delete;
        RequestScope& operator=(const RequestScope&) = delete;

    private:
        Hub& m_hub;
        Connection* m_previous;
    };

    // Runs job on a store thread; done runs here afterwards. `order` names
    // the client and whether the job only reads (StoreExecutor's routing);
    // without it the job is a write of the requesting client (RequestScope),
    // or, with none, a write that every later read waits for.
    template <typename R>
    void db(std::function<R(Store&)> job, std::function<void(R)> done, JobOrder order = {})
    {
        if (Connection* requester = m_requester) {
            if (order.connection == 0 && !order.readOnly)
                order = JobOrder::write(requester->serial());
            requester->requestStarted();
            done = [this, guard = QPointer<Connection>(requester), done = std::move(done)](R result) {
                RequestScope scope(*this, guard);
                done(std::move(result));
                if (guard)
                    guard->requestFinished();
            };
        }
        m_executor.run<R>(this, std::move(job), std::move(done), order);
    }
    // StoreExecutor::insertMessage for the requesting client, counted as above.
    void insertMessage(NewMessage message, std::function<void(Result<InsertedMessage>)> done);

    static void reply(Connection* to, QLatin1String type, const QJsonObject& payload, const QJsonValue& id);
    static void replyError(Connection* to, const Error& error, const QJsonValue& id);
    // A pushed event as one complete WebSocket text frame: serialized and
    // framed once, then shared (not copied) by every recipient's queue.
    static QByteArray frame(QLatin1String type, const QJsonObject& payload);

    // Every connection of the user, but `except`.
    void sendToUser(Id userId, const QByteArray& frame, const Connection* except = nullptr);
    template <typename Ids>
    void sendToUsers(const Ids& userIds, const QByteArray& frame)
    {
        for (Id userId : userIds)
            sendToUser(userId, frame);
    }

    // Online here or on another instance of the cluster.
    bool isOnline(Id userId) const;
    User withPresence(User user) const;
    Room withPresence(Room room) const;

    // Signs the connection in as `user` (switching identity if it was signed
    // in), replies auth_ok and announces presence when it is the user's first.
    void authenticate(Connection* connection, User user, const QString& token, const QByteArray& tokenHash,
                      const QJsonValue& id);
    // Signs the connection out: ends its typing, announces offline when last.
    void deauthenticate(Connection* connection);
    void connectionClosed(Connection* connection);

    // Tells the room's other members; remembered so a sign-out can end it.
    void setTyping(Connection* connection, Id roomId, bool isTyping);
    // Tells the user's contacts connected here.
    void announcePresence(Id userId, bool online, qint64 lastSeenAt);
    // True when the message committed here is this caller's to deliver: always
    // on one server; in a cluster, unless the bus already delivered it (a
    // COMMIT whose reply was lost: ClusterNode::claimDelivery).
    bool claimDelivery(Id messageId);
    // Closes every client connection (they reconnect and catch up).
    void closeAllConnections(const QString& reason);
    // An admin disabled the user or reset their password (from the cluster
    // bus or the LogWatcher): each of their connections here gets
    // `error unauthenticated` and is closed (1008). After change_password
    // (PasswordChanged) the same, but for the connections of the one
    // session kept (the token that asked).
    void applyAccessChange(const ChangeRecord& change);
    // The kind of the newest access change applied here for the user at or
    // after `sinceMs` (monotonicMs()), if any: a session whose token was
    // issued meanwhile may have been revoked by it (auth_handlers.cpp).
    std::optional<ChangeRecord::Kind> accessChangedSince(Id userId, qint64 sinceMs) const;
    cluster::ClusterNode* cluster() const { return m_cluster.get(); }
    // The status presence events carry (contract, second part: Attention):
    // loaded at start for users whose status is not the default, kept in
    // step by every user_updated delivered here, whichever instance committed it.
    void setStatus(Id userId, UserStatus status, const QString& statusText);
    // What this server allows (auth_ok's policy).
    ServerPolicy policy() const;

private:
    // Once a second: after a store backlog drained, hands the heap it grew
    // back to the kernel (BacklogMemoryRelease).
    void releaseMemoryAfterBacklog();
    ServerConfig m_config;
    Metrics m_metrics; // before everything that records into it
    StoreExecutor m_executor;
    LastSeenWriter m_lastSeen;
    PasswordHasher m_hasher;
    RoomRegistry m_rooms;
    SessionRegistry m_sessions;
    RateLimiter m_sendLimiter;
    RateLimiter m_userLoginLimiter;
    RateLimiter m_addressLoginLimiter;
    RateLimiter m_registerLimiter;
    QHash<Id, QPair<qint64, ChangeRecord::Kind>> m_recentAccessChanges; // pruned with the limiters
    QHash<Id, QPair<UserStatus, QString>> m_statuses; // only users with a status that is not the default
    RequestLimits m_requestLimits;
    Delivery m_delivery;
    TypingCoalescer m_typing;
    Connection* m_requester = nullptr; // RequestScope
    QElapsedTimer m_clock;
    QTimer m_pruneTimer;
    QTimer m_memoryTimer; // once a second: has a store backlog drained? (BacklogMemoryRelease)
    BacklogMemoryRelease m_memoryRelease;
    std::optional<std::pair<DatabaseUrl, cluster::BusTimings>> m_clusterSettings;
    std::unique_ptr<cluster::ClusterNode> m_cluster;
    LogWatcher* m_logWatcher = nullptr; // a child; single servers only
    std::unique_ptr<TokenPruner> m_tokenPruner;
    std::unique_ptr<UploadPruner> m_uploadPruner; // files (issue 16)
};

} // namespace confab::server
