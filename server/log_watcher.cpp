#include "access_watcher.h"

#include "hub.h"
#include "logging.h"

namespace confab::server {

AccessWatcher::AccessWatcher(Hub& hub)
    : QObject(&hub)
    , m_hub(hub)
{
    m_timer.setInterval(kPollMs);
    connect(&m_timer, &QTimer::timeout, this, &AccessWatcher::poll);
}

Result<void> AccessWatcher::start()
{
    auto newest = m_hub.executor().runBlocking<Result<AccessChanges>>(
        [](Store& s) { return s.accessChangesAfter(-1); });
    if (!newest)
        return newest.error();
    m_cursor = newest->newestEventId;
    m_timer.start();
    return {};
}

void AccessWatcher::stop()
{
    m_timer.stop();
}

void AccessWatcher::poll()
{
    if (m_polling)
        return;
    m_polling = true;
    m_hub.db<Result<AccessChanges>>([after = m_cursor](Store& s) { return s.accessChangesAfter(after); },
                                    [this](Result<AccessChanges> read) {
                                        m_polling = false;
                                        if (!read) {
                                            qCWarning(lcServer).noquote()
                                                << "reading admin changes failed:" << read.error().message;
                                            return;
                                        }
                                        m_cursor = read->newestEventId;
                                        for (const ChangeRecord& change : read->changes)
                                            m_hub.applyAccessChange(change);
                                    },
                                    // A read that needs no ordering: as the server's own (background)
                                    // client, never a barrier that would send every read to the writer.
                                    JobOrder::read(JobOrder::background().connection));
}

} // namespace confab::server
