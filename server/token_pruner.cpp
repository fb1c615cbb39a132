#include "token_pruner.h"

#include "base/logging.h"
#include "store/store_executor.h"

#include <QDateTime>
#include <QPointer>

namespace confab::server {

TokenPruner::TokenPruner(StoreExecutor& executor, QObject* context)
    : m_executor(executor)
    , m_context(context)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &TokenPruner::pruneNow);
}

void TokenPruner::start()
{
    pruneNow();
}

void TokenPruner::pruneNow()
{
    if (m_running)
        return;
    m_running = true;
    QPointer<TokenPruner> self(this);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_executor.run<Result<int>>(
        m_context, [now](Store& s) { return s.pruneTokens(now, kBatch); },
        [self](Result<int> pruned) {
            if (!self)
                return;
            self->m_running = false;
            if (!pruned) {
                qCWarning(lcServer).noquote()
                    << "pruning old session tokens failed:" << pruned.error().message;
                self->m_timer.start(kIntervalMs);
                return;
            }
            if (pruned.value() > 0)
                qCInfo(lcAuth) << "deleted" << pruned.value() << "expired or revoked session tokens";
            self->m_timer.start(pruned.value() >= kBatch ? kBacklogIntervalMs : kIntervalMs);
        },
        // The server's own write that no client reads back in order: never a barrier.
        JobOrder::background());
}

} // namespace confab::server
