#pragma once

#include "store/store.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QThread>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace confab::server {

// One unit of work for a store thread.
struct StoreJob {
    using Completion = std::function<void()>;
    // Runs on the store thread and returns what then runs on `context`'s
    // thread (empty: nothing to run).
    std::function<Completion(Store&)> run;
    // Instead of `run`: a message to store. The writer stores the run of
    // consecutive inserts at the front of its queue as one batch (group
    // commit) and calls each `inserted` after the batch committed.
    std::optional<NewMessage> message;
    std::function<void(Result<InsertedMessage>)> inserted;
    QObject* context = nullptr;
    quint64 connection = 0; // the client connection's serial; 0: no client
    bool counted = false;   // in StoreExecutor's count of writes in flight
};

// One thread with one Store (so one QSqlDatabase connection) and an explicit
// FIFO of jobs. The thread sleeps on a condition variable only while the queue
// is empty, and a post wakes it only then; whatever arrives while a job or a
// commit runs is waiting in the queue when it looks again, which is what
// makes batches form by themselves under load.
class StoreLane {
public:
    // `finished` runs on the lane's thread after each job, once its
    // completion has been posted (StoreExecutor's read routing counts on it).
    StoreLane(std::shared_ptr<Store> store, const QString& threadName, int batchLimit,
              std::function<void(const StoreJob&)> finished = {});
    ~StoreLane();
    StoreLane(const StoreLane&) = delete;
    StoreLane& operator=(const StoreLane&) = delete;

    // Where the changes a job committed go (Store::takeCommittedChanges):
    // `deliver` runs on `context`'s thread right after the job's own
    // completion, in the same event, so a client's reply precedes the fan-out
    // of what it changed. Set before start().
    void setChangeSink(QObject* context, std::function<void(QList<ChangeRecord>)> deliver);
    // Issue 17: work kept off the jobs' path (Store::runUpkeep()), run on this
    // lane's thread between jobs, and at least every `intervalMs` while the
    // lane is idle. Set before start().
    void setUpkeep(int intervalMs);
    // Issue 17: group commit when messages trickle in. While inserts keep
    // coming (the last batch committed within the last `flowingMs`), a batch
    // that starts alone waits up to `delayUs` for more inserts to join it
    // before it is stored. 0 (the default): never waits.
    void setCommitDelay(int delayUs, int flowingMs = 10);
    void start();
    // False (logged) once stop() began: the job was dropped.
    bool post(StoreJob job);
    // Runs `job` after everything queued before it and waits for it. Not on
    // a hot path (start-up, shutdown, tests); never from the lane's thread.
    void runAndWait(const std::function<void(Store&)>& job);
    // Finishes every queued job, then joins the thread.
    void stop();
    bool isRunning() const { return m_thread && m_thread->isRunning(); }
    // Jobs waiting to run (not the one running): for /metrics, when scraped.
    int queuedJobs() const;
    Store& store() const { return *m_store; }

private:
    void loop();
    // Takes the job at the front and, when it is an insert, the inserts
    // right behind it (same context, up to the limit); never reorders.
    // Empty when stopping with nothing queued, or when upkeep is due.
    std::vector<StoreJob> takeNext();
    void upkeepIfDue();
    // The inserts at the queue's front that may join `taken` (same context).
    void takeInserts(std::vector<StoreJob>& taken);
    void runInserts(std::vector<StoreJob>& batch);
    // Posts a job's completion to `context` with the changes it committed.
    void complete(QObject* context, StoreJob::Completion completion, quint64 requester);

    std::shared_ptr<Store> m_store;
    const QString m_name;
    const int m_batchLimit;
    std::function<void(const StoreJob&)> m_finished;
    int m_upkeepIntervalMs = 0; // 0: no upkeep
    std::atomic<int> m_commitDelayUs{0};
    std::atomic<int> m_flowingMs{10};
    QElapsedTimer m_lastInserts; // when the last batch of inserts committed
    QDeadlineTimer m_nextUpkeep;
    QObject* m_sinkContext = nullptr;
    std::function<void(QList<ChangeRecord>)> m_sink;
    std::unique_ptr<QThread> m_thread;

    mutable QMutex m_mutex; // guards what follows
    QWaitCondition m_wake;
    std::deque<StoreJob> m_queue;
    bool m_sleeping = false;
    bool m_stopping = false;
};

} // namespace confab::server
