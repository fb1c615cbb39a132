#include "log_watcher.h"

#include "hub.h"
#include "logging.h"

namespace confab::server {

LogWatcher::LogWatcher(Hub& hub)
    : QObject(&hub)
    , m_hub(hub)
{
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &LogWatcher::poll);
}

Result<void> LogWatcher::start()
{
    auto newest = m_hub.executor().runBlocking<Result<qint64>>([](Store& s) { return s.newestChangeId(); });
    if (!newest)
        return newest.error();
    m_cursor = newest.value();
    m_timer.start();
    return {};
}

void LogWatcher::stop()
{
    m_timer.stop();
}

void LogWatcher::poll()
{
    if (m_polling)
        return;
    m_polling = true;
    m_hub.db<Result<QList<LoggedChange>>>(
        [after = m_cursor](Store& s) { return s.changesAfter(after, kPage); },
        [this](Result<QList<LoggedChange>> read) {
            m_polling = false;
            if (!read) {
                qCWarning(lcServer).noquote() << "reading the change log failed:" << read.error().message;
                return;
            }
            // One writer (SQLite): ids become visible in order, no gaps to wait for.
            for (const LoggedChange& logged : read.value()) {
                m_cursor = logged.eventId;
                m_hub.delivery().deliverLogged(logged.change);
            }
        },
        // A read that needs no ordering: as the server's own (background)
        // client, never a barrier that would send every read to the writer.
        JobOrder::read(JobOrder::background().connection));
}

} // namespace confab::server
