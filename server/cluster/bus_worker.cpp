#include "cluster/bus_worker.h"

#include "cluster/change_reader.h"
#include "cluster/cluster_log.h"
#include "store/postgres_connection.h"
#include "store/sql_util.h"
#include "store/store_factory.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace confab::server::cluster {
namespace {

// Read 100 rows at a time, with the NOTIFYs this instance has pending sent
// between pages: measured with two instances at 1,500 msg/s, reading a
// backlog of 600-900 changes in pages of 500 held this thread for 160-400 ms,
// during which its own wake-ups waited, so the other instance's next read
// found a backlog as large: deliveries 0.3-1.1 s late, p99 0.5-0.9 s.
constexpr int kChangePage = 100;
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
    // The change log is read through the store's door (Store::changesAfter),
    // on a connection of its own; this one only LISTENs and NOTIFYs.
    auto log = createStore(m_url);
    if (!log)
        return log.error();
    m_log = log.value();
    if (Result<void> opened = m_log->open(); !opened)
        return makeError(ErrorCode::Internal, QStringLiteral("cluster bus: %1").arg(opened.error().message));
    Result<qint64> newest = m_log->newestChangeId();
    if (!newest)
        return makeError(
            ErrorCode::Internal,
            QStringLiteral("cluster bus: cannot read cluster_events: %1").arg(newest.error().message));
    m_cursor.reset(newest.value());
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
    m_changesCommitted.store(false, std::memory_order_relaxed);
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

bool BusWorker::readChanges()
{
    if (!m_up)
        return false;
    for (qint64 id : m_cursor.expire(m_clock.elapsed()))
        qCDebug(lcCluster) << "change id" << id << "never became visible (rolled back); no longer awaited";

    if (Result<void> connected = m_log->ensureConnected(); !connected) {
        lost(connected.error().message);
        return false;
    }
    const ChangeLogReads reads{
        [this](qint64 afterId, int limit) { return m_log->changesAfter(afterId, limit); },
        [this](const QList<qint64>& ids) { return m_log->changesWithIds(ids); },
        [this] {
            if (m_changesCommitted.exchange(false, std::memory_order_acq_rel))
                m_changesPending = true;
            if (m_changesPending || !m_pending.isEmpty())
                flush();
        }};
    Result<QList<LoggedChange>> read = readVisibleChanges(m_cursor, reads, m_clock.elapsed(), kChangePage);
    if (!read) {
        // As StoreExecutor::guarded() does: a failed read asks whether the
        // connection still answers, so that the next one reconnects.
        m_log->connectionLost();
        lost(read.error().message);
        return false;
    }
    QList<RemoteChange> changes;
    for (LoggedChange& logged : read.value()) {
        // Our own changes were delivered here when they committed, but for a
        // message whose COMMIT reply was lost (the store saw an error, the
        // database committed): those go to the node too, which delivers the
        // ones this instance did not (ClusterNode::claimDelivery).
        const bool own = logged.origin == m_origin;
        if (own && logged.change.kind != ChangeRecord::Kind::Message)
            continue;
        changes.append(RemoteChange{logged.eventId, std::move(logged.change), own});
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
    if (Result<void> connected = m_log->ensureConnected(); !connected)
        return lost(connected.error().message);
    if (Result<void> pruned = m_log->pruneChanges(cutoff); !pruned) {
        m_log->connectionLost();
        lost(pruned.error().message);
    }
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
    if (m_log)
        m_log->close();
    m_log.reset();
}

} // namespace confab::server::cluster
