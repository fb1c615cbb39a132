#include "cluster_node.h"

#include "cluster/bus_worker.h"
#include "cluster/cluster_log.h"
#include "connection.h"
#include "hub.h"

#include "protocol/event_names.h"
#include "protocol/replies.h"
#include "protocol/reply_size.h"

#include <QDateTime>
#include <QPointer>

namespace confab::server::cluster {

ClusterNode::ClusterNode(Hub& hub, const DatabaseUrl& url, const BusTimings& timings)
    : m_hub(hub)
    , m_url(url)
    , m_timings(timings)
    , m_origin(makeOrigin())
    , m_presence(timings.instanceTimeoutMs)
{
    m_clock.start();
    m_thread.setObjectName(QStringLiteral("confab-cluster-bus"));
    m_liveness.setInterval(qMax(100, m_timings.heartbeatMs / 2));
    connect(&m_liveness, &QTimer::timeout, this, &ClusterNode::checkLiveness);
    m_ownTimer.setSingleShot(true);
    connect(&m_ownTimer, &QTimer::timeout, this, &ClusterNode::deliverOwnMessages);
}

ClusterNode::~ClusterNode()
{
    stop();
}

Result<void> ClusterNode::start()
{
    BusWorker::Callbacks callbacks;
    callbacks.lines = [this](QList<BusLine> lines) { onLines(lines); };
    callbacks.changes = [this](QList<RemoteChange> changes) { onChanges(changes); };
    callbacks.state = [this](bool up, qint64 downMs) { onBusState(up, downMs); };
    m_worker = new BusWorker(m_url, m_origin, m_timings, this, std::move(callbacks));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    Result<void> opened;
    QMetaObject::invokeMethod(
        m_worker, [&] { opened = m_worker->open(); }, Qt::BlockingQueuedConnection);
    if (!opened) {
        stop();
        return opened;
    }
    m_busUp = true;
    m_busUpSince = m_clock.elapsed();
    m_liveness.start();
    publish({BusLine::hello(m_origin)});
    return {};
}

void ClusterNode::stop()
{
    m_liveness.stop();
    if (!m_worker)
        return;
    BusWorker* worker = std::exchange(m_worker, nullptr);
    QMetaObject::invokeMethod(
        worker,
        [worker] {
            worker->shutdown();
            delete worker; // its QSqlDatabase belongs to this thread
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_busUp = false;
}

void ClusterNode::publish(const QList<BusLine>& lines)
{
    if (!m_worker)
        return;
    QStringList encoded;
    encoded.reserve(lines.size());
    for (const BusLine& line : lines)
        encoded.append(line.encode());
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, encoded] { worker->publish(encoded); }, Qt::QueuedConnection);
}

void ClusterNode::localPresence(Id userId, bool online, qint64 at)
{
    publish({BusLine::presence(m_origin, userId, online, at)});
}

void ClusterNode::localTyping(Id roomId, Id userId, bool isTyping)
{
    publish({BusLine::typing(m_origin, roomId, userId, isTyping)});
}

void ClusterNode::changesCommitted()
{
    if (m_worker)
        m_worker->changesCommitted();
}

void ClusterNode::publishSnapshot()
{
    QList<Id> online = m_hub.sessions().onlineUsers();
    publish(BusLine::snapshot(m_origin, ++m_snapshotSerial, online));
}

void ClusterNode::onLines(const QList<BusLine>& lines)
{
    const qint64 now = m_clock.elapsed();
    const qint64 wallNow = QDateTime::currentMSecsSinceEpoch();
    for (const BusLine& line : lines) {
        switch (line.kind) {
        case BusLine::Kind::Changes: // the bus thread reads them
        case BusLine::Kind::Heartbeat:
            m_presence.heard(line.origin, now);
            break;
        case BusLine::Kind::Hello:
            m_presence.heard(line.origin, now);
            publishSnapshot();
            break;
        case BusLine::Kind::Bye:
            announceRemote(m_presence.drop(line.origin), wallNow);
            break;
        case BusLine::Kind::Presence:
            if (m_presence.set(line.origin, line.userId, line.flag, now))
                announceRemote({line.userId}, line.at);
            break;
        case BusLine::Kind::Snapshot:
            announceRemote(
                m_presence.snapshotPart(line.origin, line.serial, line.part, line.parts, line.userIds, now),
                wallNow);
            break;
        case BusLine::Kind::Typing: {
            m_presence.heard(line.origin, now);
            if (!m_hub.rooms().isMember(line.roomId, line.userId))
                break;
            const auto text =
                Hub::frame(event::Typing, TypingEvent{line.roomId, line.userId, line.flag}.toPayload());
            for (Id member : m_hub.rooms().members(line.roomId)) {
                if (member != line.userId)
                    m_hub.sendToUser(member, text);
            }
            break;
        }
        }
    }
}

void ClusterNode::announceRemote(const QList<Id>& userIds, qint64 at)
{
    for (Id userId : userIds) {
        if (!m_hub.sessions().isOnline(userId))
            m_hub.announcePresence(userId, m_presence.isOnline(userId), at);
    }
}

void ClusterNode::checkLiveness()
{
    const qint64 now = m_clock.elapsed();
    // Silence is only evidence while we could have heard: not while our own
    // connection is down, nor before a whole timeout has passed since it came back.
    if (!m_busUp || now - m_busUpSince < m_timings.instanceTimeoutMs)
        return;
    const QList<QString> before = m_presence.instances();
    const QList<Id> gone = m_presence.expire(now);
    for (const QString& origin : before) {
        if (!m_presence.instances().contains(origin))
            qCWarning(lcCluster).noquote() << "instance" << origin << "went silent; its users are offline";
    }
    announceRemote(gone, QDateTime::currentMSecsSinceEpoch());
}

void ClusterNode::onBusState(bool up, qint64 downMs)
{
    m_busUp = up;
    if (!up)
        return;
    m_busUpSince = m_clock.elapsed();
    m_presence.refreshAll(m_busUpSince);
    publish({BusLine::hello(m_origin)});
    publishSnapshot();
    if (downMs > m_timings.retentionMs / 2) {
        // Older changes may have been pruned before we could read them: have
        // every client reconnect and catch up from its own last message id.
        qCWarning(lcCluster) << "cut off from the database for" << downMs
                             << "ms; closing client connections so that they catch up";
        m_hub.closeAllConnections(QStringLiteral("server resynchronising"));
    }
}

bool ClusterNode::claimDelivery(Id messageId)
{
    const qint64 now = m_clock.elapsed();
    const auto it = m_claims.constFind(messageId);
    if (it != m_claims.constEnd()) {
        m_claims.erase(it); // both sides have come: nobody asks again
        return false;
    }
    // Claims only the other side would have cleared (the bus was down, or a
    // COMMIT reply was lost): forgotten after kClaimMemoryMs, checked at
    // most once a minute.
    static constexpr qint64 kPruneEveryMs = 60'000;
    if (now - m_claimsPrunedAt > kPruneEveryMs) {
        m_claims.removeIf(
            [now](QHash<Id, qint64>::iterator claim) { return now - claim.value() > kClaimMemoryMs; });
        m_claimsPrunedAt = now;
    }
    m_claims.insert(messageId, now);
    return true;
}

// This instance's messages, read back by the bus kOwnGraceMs ago: the ones
// the handler has not claimed meanwhile committed without it hearing so.
void ClusterNode::deliverOwnMessages()
{
    const qint64 now = m_clock.elapsed();
    while (!m_ownPending.isEmpty() && m_ownPending.constFirst().first <= now) {
        const RemoteChange remote = m_ownPending.takeFirst().second;
        if (!claimDelivery(remote.change.messageId))
            continue;
        qCInfo(lcCluster) << "message" << remote.change.messageId
                          << "committed here without its COMMIT reply: delivered from the change log";
        m_hub.delivery().deliverLogged(remote.change);
    }
    if (!m_ownPending.isEmpty())
        m_ownTimer.start(int(qMax<qint64>(1, m_ownPending.constFirst().first - now)));
}

void ClusterNode::onChanges(const QList<RemoteChange>& changes)
{
    for (const RemoteChange& remote : changes) {
        const ChangeRecord& c = remote.change;
        if (!remote.own) {
            m_hub.delivery().deliverLogged(c); // the same path as this instance's changes
        } else if (!m_claims.contains(c.messageId)) {
            // Our own message (the bus passes no other own change): rarely
            // not claimed yet, as the handler's completion may still be on
            // its way. Give it kOwnGraceMs.
            m_ownPending.append({m_clock.elapsed() + kOwnGraceMs, remote});
            if (!m_ownTimer.isActive())
                m_ownTimer.start(kOwnGraceMs);
        } else {
            m_claims.remove(c.messageId); // delivered when it committed
        }
    }
}

} // namespace confab::server::cluster
