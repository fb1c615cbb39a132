#include "last_seen_writer.h"

#include "base/logging.h"
#include "store/store_executor.h"

namespace confab::server {

LastSeenWriter::LastSeenWriter(StoreExecutor& executor, int intervalMs, QObject* parent)
    : QObject(parent)
    , m_executor(executor)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LastSeenWriter::flush);
}

void LastSeenWriter::record(Id userId, qint64 at)
{
    m_pending.insert(userId, at); // a later time replaces an earlier one
    if (!m_timer.isActive())
        m_timer.start();
}

void LastSeenWriter::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    QList<QPair<Id, qint64>> seen;
    seen.reserve(m_pending.size());
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        seen.append({it.key(), it.value()});
    m_pending.clear();
    m_executor.run<Result<void>>(
        this, [seen](Store& s) { return s.setLastSeen(seen); },
        [count = seen.size()](Result<void> written) {
            if (!written)
                qCWarning(lcServer) << "could not store the last-seen time of" << count
                                    << "users:" << written.error().message;
        },
        JobOrder::background());
}

} // namespace confab::server
