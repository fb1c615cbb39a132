#include "upload_pruner.h"

#include "base/logging.h"
#include "store/store_executor.h"

#include <QDateTime>
#include <QPointer>

#include <algorithm>

namespace confab::server {

UploadPruner::UploadPruner(StoreExecutor& executor, QObject* context, qint64 expirySeconds)
    : m_executor(executor)
    , m_context(context)
    , m_expiryMs(expirySeconds * 1000)
    , m_intervalMs(int(std::clamp<qint64>(m_expiryMs / 4, 1000, 3600000)))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UploadPruner::pruneNow);
}

void UploadPruner::start()
{
    pruneNow();
}

void UploadPruner::pruneNow()
{
    if (m_running)
        return;
    m_running = true;
    QPointer<UploadPruner> self(this);
    const qint64 staleBefore = QDateTime::currentMSecsSinceEpoch() - m_expiryMs;
    m_executor.run<Result<int>>(
        m_context, [staleBefore](Store& s) { return s.pruneUploads(staleBefore, kBatch); },
        [self](Result<int> pruned) {
            if (!self)
                return;
            self->m_running = false;
            if (!pruned) {
                qCWarning(lcServer).noquote() << "deleting stale uploads failed:" << pruned.error().message;
                self->m_timer.start(self->m_intervalMs);
                return;
            }
            if (pruned.value() > 0)
                qCInfo(lcServer) << "deleted" << pruned.value() << "uploads no message claimed";
            self->m_timer.start(pruned.value() >= kBatch ? kBacklogIntervalMs : self->m_intervalMs);
        },
        JobOrder::background());
}

} // namespace confab::server
