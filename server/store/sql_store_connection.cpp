// SqlStore: noticing a lost database connection and reconnecting with backoff.
#include "store/sql_store.h"

#include "store/store_log.h"

#include <QDeadlineTimer>
#include <QSqlError>
#include <QSqlQuery>

namespace confab::server {
namespace {

constexpr qint64 kFirstRetryMs = 250;
constexpr qint64 kLongestRetryMs = 5'000;
constexpr qint64 kIdleProbeMs = 1'000;

qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}

Error unavailable(qint64 retryAfterMs)
{
    Error error =
        makeError(ErrorCode::Unavailable,
                  QStringLiteral("the database is unavailable; nothing was stored, try again shortly"));
    error.retryAfterMs = qMax<qint64>(retryAfterMs, 1);
    return error;
}

} // namespace

// PostgreSQL restarted under us: the next statement fails as an ordinary
// statement error and only then does isOpen() turn false (qt-6.4 notes); the
// statement after that fails with no error at all. So a failed job asks
// whether the connection still answers, and no job runs on one that did not.
bool SqlStore::connectionLost()
{
    if (!m_db.isValid())
        return false;
    if (!m_lost) {
        QSqlQuery probe(m_db);
        if (m_db.isOpen() && probe.exec(QStringLiteral("SELECT 1")))
            return false;
        qCWarning(lcSqlStore).noquote() << "lost the database connection:" << probe.lastError().text();
        m_lost = true;
        m_backoffMs = 0;
        m_nextAttemptMs = monotonicMs(); // the first reconnect may happen at once
    }
    return true;
}

Result<void> SqlStore::ensureConnected()
{
    if (!m_db.isValid())
        return makeError(ErrorCode::Internal, QStringLiteral("the store is not open"));
    const qint64 now = monotonicMs();
    if (!m_lost) {
        // After a quiet spell, check before trusting the connection: the
        // database may have restarted meanwhile, and a request that arrives
        // first after that should not fail for it. Busy connections skip the
        // round trip; a failure mid-burst is caught by connectionLost().
        const bool quiet = now - m_lastJobMs > kIdleProbeMs;
        m_lastJobMs = now;
        if (!quiet || !connectionLost())
            return {};
    }
    if (const qint64 at = monotonicMs(); at < m_nextAttemptMs)
        return unavailable(m_nextAttemptMs - at);
    m_db.close();
    Result<void> reopened;
    if (!m_db.open())
        reopened = makeError(ErrorCode::Internal, m_db.lastError().text().trimmed());
    else
        reopened = configureSession();
    if (!reopened) {
        m_backoffMs = m_backoffMs == 0 ? kFirstRetryMs : qMin(m_backoffMs * 2, kLongestRetryMs);
        m_nextAttemptMs = monotonicMs() + m_backoffMs;
        qCDebug(lcSqlStore).noquote() << "reconnect failed:" << reopened.error().message;
        m_db.close();
        return unavailable(m_backoffMs);
    }
    qCInfo(lcSqlStore) << "reconnected to" << m_db.databaseName();
    m_lost = false;
    m_backoffMs = 0;
    return {};
}

} // namespace confab::server
