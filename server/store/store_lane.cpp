#include "store/store_lane.h"

#include "base/logging.h"
#include "store/store_executor.h"

#include <QMetaObject>
#include <QSemaphore>

#include <chrono>

namespace confab::server {

StoreLane::StoreLane(std::shared_ptr<Store> store, const QString& threadName, int batchLimit,
                     std::function<void(const StoreJob&)> finished)
    : m_store(std::move(store))
    , m_name(threadName)
    , m_batchLimit(qMax(batchLimit, 1))
    , m_finished(std::move(finished))
{}

StoreLane::~StoreLane()
{
    stop();
}

void StoreLane::setChangeSink(QObject* context, std::function<void(QList<ChangeRecord>)> deliver)
{
    m_sinkContext = context;
    m_sink = std::move(deliver);
}

void StoreLane::complete(QObject* context, StoreJob::Completion completion, quint64 requester)
{
    QList<ChangeRecord> changes = m_store->takeCommittedChanges();
    if (!changes.isEmpty() && m_sink) {
        for (ChangeRecord& change : changes)
            change.requester = requester;
        if (!context)
            context = m_sinkContext; // a blocking job: its changes still go out
        completion = [completion = std::move(completion), changes = std::move(changes), sink = m_sink] {
            if (completion)
                completion();
            sink(changes);
        };
    }
    if (completion && context)
        QMetaObject::invokeMethod(context, std::move(completion), Qt::QueuedConnection);
}

void StoreLane::setUpkeep(int intervalMs)
{
    m_upkeepIntervalMs = qMax(intervalMs, 0);
    m_nextUpkeep.setRemainingTime(m_upkeepIntervalMs);
}

void StoreLane::setCommitDelay(int delayUs, int flowingMs)
{
    m_commitDelayUs = qMax(delayUs, 0);
    m_flowingMs = qMax(flowingMs, 0);
}

void StoreLane::start()
{
    if (isRunning())
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = false;
    }
    m_thread.reset(QThread::create([this] { loop(); }));
    m_thread->setObjectName(m_name);
    m_thread->start();
}

bool StoreLane::post(StoreJob job)
{
    QMutexLocker lock(&m_mutex);
    if (m_stopping) {
        qCWarning(lcServer).noquote() << m_name << "is stopping; a store job was dropped";
        return false;
    }
    m_queue.push_back(std::move(job));
    if (m_sleeping) {
        m_sleeping = false; // one wake-up, however many jobs follow before it runs
        m_wake.wakeOne();
    }
    return true;
}

void StoreLane::runAndWait(const std::function<void(Store&)>& job)
{
    QSemaphore done;
    StoreJob blocking;
    blocking.run = [&job, &done](Store& store) {
        job(store);
        done.release();
        return StoreJob::Completion();
    };
    if (post(std::move(blocking)))
        done.acquire();
}

void StoreLane::stop()
{
    if (!m_thread)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeOne();
    }
    m_thread->wait();
    m_thread.reset();
}

std::vector<StoreJob> StoreLane::takeNext()
{
    std::vector<StoreJob> taken;
    QMutexLocker lock(&m_mutex);
    while (m_queue.empty() && !m_stopping) {
        m_sleeping = true;
        if (m_upkeepIntervalMs == 0) {
            m_wake.wait(&m_mutex);
        } else if (!m_wake.wait(&m_mutex, m_nextUpkeep) && m_queue.empty()) {
            m_sleeping = false;
            return taken; // idle until the upkeep is due
        }
    }
    m_sleeping = false;
    if (m_queue.empty())
        return taken; // stopping, and every job has run
    taken.push_back(std::move(m_queue.front()));
    m_queue.pop_front();
    if (!taken.front().message)
        return taken;
    takeInserts(taken);
    // How long a commit takes (an fsync) is what a batch saves per message
    // joining it; a message arriving alone would pay it alone. Only while
    // messages keep coming: a quiet room's message never waits.
    const int delayUs = m_commitDelayUs;
    if (delayUs == 0 || int(taken.size()) >= m_batchLimit || !m_queue.empty() || !m_lastInserts.isValid() ||
        m_lastInserts.elapsed() > m_flowingMs)
        return taken;
    const QDeadlineTimer until(std::chrono::microseconds(delayUs), Qt::PreciseTimer);
    while (int(taken.size()) < m_batchLimit && !m_stopping) {
        if (m_queue.empty()) {
            m_sleeping = true;
            const bool woken = m_wake.wait(&m_mutex, until);
            m_sleeping = false;
            if (!woken && m_queue.empty())
                break;
            continue;
        }
        if (!m_queue.front().message || m_queue.front().context != taken.front().context)
            break; // never reordered: that job runs after this batch
        takeInserts(taken);
    }
    return taken;
}

void StoreLane::takeInserts(std::vector<StoreJob>& taken)
{
    QObject* context = taken.front().context;
    while (!m_queue.empty() && int(taken.size()) < m_batchLimit && m_queue.front().message &&
           m_queue.front().context == context) {
        taken.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
}

void StoreLane::loop()
{
    for (;;) {
        std::vector<StoreJob> jobs = takeNext();
        if (jobs.empty()) {
            {
                QMutexLocker lock(&m_mutex);
                if (m_stopping && m_queue.empty())
                    return;
            }
            upkeepIfDue();
            continue;
        }
        if (jobs.front().message) {
            runInserts(jobs);
        } else {
            StoreJob::Completion completion = jobs.front().run(*m_store);
            complete(jobs.front().context, std::move(completion), jobs.front().connection);
        }
        // After the completions were posted: a read routed once these count
        // as done replies after them.
        if (m_finished) {
            for (const StoreJob& job : jobs)
                m_finished(job);
        }
        upkeepIfDue();
    }
}

// Between jobs, never inside one: upkeep commits its own transactions.
void StoreLane::upkeepIfDue()
{
    if (m_upkeepIntervalMs == 0 || !m_nextUpkeep.hasExpired())
        return;
    // More pending (a backlog): again after the next jobs, not a full interval later.
    const bool more = m_store->runUpkeep();
    m_nextUpkeep.setRemainingTime(more ? 0 : m_upkeepIntervalMs);
}

void StoreLane::runInserts(std::vector<StoreJob>& batch)
{
    QList<NewMessage> messages;
    messages.reserve(qsizetype(batch.size()));
    auto callbacks = std::make_shared<std::vector<std::function<void(Result<InsertedMessage>)>>>();
    callbacks->reserve(batch.size());
    for (StoreJob& job : batch) {
        messages.append(std::move(*job.message));
        callbacks->push_back(std::move(job.inserted));
    }
    auto results =
        std::make_shared<QList<Result<InsertedMessage>>>(StoreExecutor::guardedInserts(*m_store, messages));
    m_lastInserts.start();
    qCDebug(lcServer) << "stored a batch of" << messages.size() << "messages in one transaction";
    // One event for the whole batch: its acks, then its fan-out, in order.
    complete(
        batch.front().context,
        [callbacks, results] {
            for (std::size_t i = 0; i < callbacks->size(); ++i)
                (*callbacks)[i](std::move((*results)[qsizetype(i)]));
        },
        0);
}

int StoreLane::queuedJobs() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_queue.size());
}

} // namespace confab::server
