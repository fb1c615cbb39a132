#include "cluster/bus_worker.h"

#include "cluster/cluster_log.h"
#include "store/postgres_connection.h"
#include "store/sql_util.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace confab::server::cluster {
namespace {

std::optional<ChangeRecord::Kind> kindFromSql(const QString& kind)
{
    if (kind == QLatin1String("message"))
        return ChangeRecord::Kind::Message;
    if (kind == QLatin1String("read"))
        return ChangeRecord::Kind::Read;
    if (kind == QLatin1String("room"))
        return ChangeRecord::Kind::Room;
    if (kind == QLatin1String("member_left"))
        return ChangeRecord::Kind::MemberLeft;
    if (kind == QLatin1String("user_disabled"))
        return ChangeRecord::Kind::UserDisabled;
    if (kind == QLatin1String("credentials_changed"))
        return ChangeRecord::Kind::CredentialsChanged;
    return std::nullopt;
}

QList<Id> idsFromText(const QString& text)
{
    QList<Id> ids;
    for (QStringView part : QStringView(text).split(u',', Qt::SkipEmptyParts)) {
        if (const Id id = part.toLongLong(); id > 0)
            ids.append(id);
    }
    return ids;
}

constexpr int kChangePage = 500;
constexpr int kGapsPerQuery = 100;
// Between taking its change id and committing, a transaction only COMMITs;
// an id missing for this long was rolled back (or its commit stalled so long
// that live delivery no longer matters: the message is in the history).
constexpr qint64 kGapTimeoutMs = 10'000;

} // namespace

BusWorker::BusWorker(const DatabaseUrl& url, const QString& origin, const BusTimings& timings,
                     QObject* context, Callbacks callbacks)
    : m_url(url)
    , m_origin(origin)
    , m_timings(timings)
    , m_context(context)
    , m_callbacks(std::move(callbacks))
    , m_cursor(kGapTimeoutMs)
    , m_heartbeat(this) // children: they move to the bus thread with the worker
    , m_poll(this)
    , m_prune(this)
    , m_reconnect(this)
{
    m_clock.start();
    static std::atomic<quint64> counter{0};
    m_connectionName = QStringLiteral("confab-bus-%1").arg(++counter);
    m_heartbeat.setInterval(m_timings.heartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        m_pending.append(BusLine::heartbeat(m_origin).encode());
        scheduleFlush();
    });
    m_poll.setInterval(m_timings.pollMs);
    connect(&m_poll, &QTimer::timeout, this, [this] { readChanges(); });
    m_prune.setInterval(60'000);
    connect(&m_prune, &QTimer::timeout, this, &BusWorker::prune);
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &BusWorker::reconnect);
}

BusWorker::~BusWorker()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

template <typename F>
void BusWorker::post(F&& f)
{
    QMetaObject::invokeMethod(m_context, std::forward<F>(f), Qt::QueuedConnection);
}

Result<void> BusWorker::open()
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    configurePostgresConnection(m_db, m_url, 3, QStringLiteral("confab-bus"));
    connect(m_db.driver(), &QSqlDriver::notification, this, &BusWorker::onNotification);
    QString why;
    if (!connectNow(&why))
        return makeError(ErrorCode::Internal, QStringLiteral("cluster bus: %1").arg(why));
    QSqlQuery newest(m_db);
    if (!newest.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM cluster_events")) || !newest.next())
        return makeError(
            ErrorCode::Internal,
            QStringLiteral("cluster bus: cannot read cluster_events: %1").arg(newest.lastError().text()));
    m_cursor.reset(newest.value(0).toLongLong());
    m_heartbeat.start();
    m_poll.start();
    m_prune.start();
    qCInfo(lcCluster).noquote() << "cluster bus up as" << m_origin << "from change" << m_cursor.newest();
    return {};
}

bool BusWorker::connectNow(QString* why)
{
    if (!m_db.open()) {
        *why = m_db.lastError().text().trimmed();
        m_db.close();
        return false;
    }
    if (!m_db.driver()->subscribeToNotification(QString::fromLatin1(kChannel))) {
        *why = QStringLiteral("LISTEN failed: %1").arg(m_db.driver()->lastError().text());
        m_db.close();
        return false;
    }
    m_up = true;
    m_backoffMs = 0;
    return true;
}

void BusWorker::lost(const QString& why)
{
    if (!m_up)
        return;
    qCWarning(lcCluster).noquote() << "cluster bus lost the database:" << why;
    m_up = false;
    m_downFor.start();
    m_pending.clear();
    m_changesPending = false;
    m_db.close();
    post([state = m_callbacks.state] { state(false, 0); });
    scheduleReconnect();
}

void BusWorker::scheduleReconnect()
{
    m_backoffMs =
        m_backoffMs == 0 ? m_timings.reconnectMinMs : qMin(m_backoffMs * 2, m_timings.reconnectMaxMs);
    m_reconnect.start(m_backoffMs);
}

void BusWorker::reconnect()
{
    QString why;
    if (!connectNow(&why)) {
        qCDebug(lcCluster).noquote() << "cluster bus reconnect failed:" << why;
        scheduleReconnect();
        return;
    }
    const qint64 downMs = m_downFor.elapsed();
    qCInfo(lcCluster) << "cluster bus reconnected after" << downMs << "ms";
    post([state = m_callbacks.state, downMs] { state(true, downMs); });
    // Catch up on what was committed meanwhile, then wake the others: they
    // may have missed our changes' wake-ups too.
    if (readChanges())
        noteChanges();
}

void BusWorker::publish(const QStringList& lines)
{
    if (!m_up)
        return;
    m_pending += lines;
    scheduleFlush();
}

void BusWorker::noteChanges()
{
    if (!m_up)
        return;
    m_changesPending = true;
    scheduleFlush();
}

// Everything published while a flush is queued goes out in the same NOTIFY
// (one per 7.9 KB): under load one notification carries many lines, so the
// global NOTIFY lock is taken per batch, not per message.
void BusWorker::scheduleFlush()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(
        this, [this] { flush(); }, Qt::QueuedConnection);
}

bool BusWorker::flush()
{
    m_flushQueued = false;
    if (!m_up)
        return false;
    if (m_changesPending)
        m_pending.append(BusLine::changes(m_origin).encode());
    m_changesPending = false;
    const QStringList payloads = packPayloads(std::exchange(m_pending, {}));
    for (const QString& payload : payloads) {
        auto sent = sql::exec(m_db, QStringLiteral("SELECT pg_notify(:channel, :payload)"),
                              {{":channel", QString::fromLatin1(kChannel)}, {":payload", payload}},
                              "notifying the cluster");
        if (!sent) {
            lost(sent.error().message);
            return false;
        }
    }
    return true;
}

void BusWorker::onNotification(const QString& name, QSqlDriver::NotificationSource, const QVariant& payload)
{
    if (name != QLatin1String(kChannel))
        return;
    QList<BusLine> lines = unpackPayload(payload.toString());
    bool changes = false;
    lines.removeIf([&](const BusLine& line) {
        if (line.origin == m_origin)
            return true; // our own NOTIFY comes back to us too
        changes = changes || line.kind == BusLine::Kind::Changes;
        return false;
    });
    if (!lines.isEmpty())
        post([handler = m_callbacks.lines, lines] { handler(lines); });
    if (changes)
        readChanges();
}

bool BusWorker::fetchChanges(const QString& where, const QList<sql::Bind>& binds, QList<RemoteChange>* out,
                             int* rowCount)
{
    auto rows = sql::exec(m_db,
                          QStringLiteral("SELECT e.id, e.origin, e.kind, e.room_id, e.user_id, e.message_id, "
                                         "e.user_ids, " CONFAB_SQL_MESSAGE_COLUMNS " FROM cluster_events e "
                                         "LEFT JOIN messages m ON m.id = e.message_id WHERE ") +
                              where,
                          binds, "reading cluster changes");
    if (!rows) {
        lost(rows.error().message);
        return false;
    }
    const qint64 now = m_clock.elapsed();
    while (rows->next()) {
        ++*rowCount;
        const qint64 id = rows->value(0).toLongLong();
        const bool late = id < m_cursor.newest();
        if (!m_cursor.take(id, now))
            continue; // read before
        if (late)
            qCDebug(lcCluster) << "change" << id << "became visible after a later one";
        const auto kind = kindFromSql(rows->value(2).toString());
        // Our own changes were delivered here when they committed, but for a
        // message whose COMMIT reply was lost (the store saw an error, the
        // database committed): those go to the node too, which delivers the
        // ones this instance did not (ClusterNode::claimDelivery).
        const bool own = rows->value(1).toString() == m_origin;
        if (!kind || (own && *kind != ChangeRecord::Kind::Message))
            continue;
        RemoteChange remote;
        remote.eventId = id;
        remote.own = own;
        remote.change = ChangeRecord{*kind, rows->value(3).toLongLong(), rows->value(4).toLongLong(),
                                     rows->value(5).toLongLong(), idsFromText(rows->value(6).toString())};
        if (*kind == ChangeRecord::Kind::Message && !rows->isNull(7))
            remote.message = sql::messageFromRow(rows.value(), 7);
        out->append(remote);
    }
    return true;
}

bool BusWorker::attachMembership(RemoteChange& remote)
{
    auto members = sql::exec(m_db,
                             QStringLiteral("SELECT r.type, mb.user_id FROM rooms r "
                                            "LEFT JOIN members mb ON mb.room_id = r.id WHERE r.id = :room"),
                             {{":room", remote.change.roomId}}, "reading a room's members");
    if (!members) {
        lost(members.error().message);
        return false;
    }
    RoomMembership membership;
    membership.roomId = remote.change.roomId;
    while (members->next()) {
        membership.type =
            members->value(0).toString() == QLatin1String("dm") ? RoomType::Dm : RoomType::Group;
        if (!members->isNull(1))
            membership.memberIds.append(members->value(1).toLongLong());
    }
    remote.membership = membership;
    return true;
}

bool BusWorker::readChanges()
{
    if (!m_up)
        return false;
    for (qint64 id : m_cursor.expire(m_clock.elapsed()))
        qCDebug(lcCluster) << "change id" << id << "never became visible (rolled back); no longer awaited";

    QList<RemoteChange> changes;
    // Ids skipped over earlier that may have committed since (older first).
    const QList<qint64> gaps = m_cursor.gaps();
    for (qsizetype at = 0; at < gaps.size(); at += kGapsPerQuery) {
        QStringList names;
        QList<sql::Bind> binds;
        static const QList<QByteArray> kNames = [] {
            QList<QByteArray> list;
            for (int i = 0; i < kGapsPerQuery; ++i)
                list.append(":g" + QByteArray::number(i));
            return list;
        }();
        for (qsizetype i = at; i < qMin(at + kGapsPerQuery, gaps.size()); ++i) {
            names.append(QString::fromLatin1(kNames.at(i - at)));
            binds.append({kNames.at(i - at).constData(), gaps.at(i)});
        }
        int count = 0;
        if (!fetchChanges(QStringLiteral("e.id IN (%1) ORDER BY e.id").arg(names.join(QLatin1Char(','))),
                          binds, &changes, &count))
            return false;
    }
    // Then everything newer, a page at a time.
    for (;;) {
        int count = 0;
        if (!fetchChanges(QStringLiteral("e.id > :newest ORDER BY e.id LIMIT :limit"),
                          {{":newest", m_cursor.newest()}, {":limit", kChangePage}}, &changes, &count))
            return false;
        if (count < kChangePage)
            break;
    }
    for (RemoteChange& remote : changes) {
        if ((remote.change.kind == ChangeRecord::Kind::Room ||
             remote.change.kind == ChangeRecord::Kind::MemberLeft) &&
            !attachMembership(remote))
            return false;
    }
    if (!changes.isEmpty())
        post([handler = m_callbacks.changes, changes] { handler(changes); });
    return true;
}

void BusWorker::prune()
{
    if (!m_up)
        return;
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - m_timings.retentionMs;
    auto pruned = sql::exec(m_db, QStringLiteral("DELETE FROM cluster_events WHERE created_at < :cutoff"),
                            {{":cutoff", cutoff}}, "pruning cluster changes");
    if (!pruned)
        lost(pruned.error().message);
}

void BusWorker::shutdown()
{
    m_heartbeat.stop();
    m_poll.stop();
    m_prune.stop();
    m_reconnect.stop();
    if (m_up) {
        m_pending.append(BusLine::bye(m_origin).encode());
        flush();
    }
    m_up = false;
    if (m_db.isValid())
        m_db.close();
}

} // namespace confab::server::cluster
