#pragma once

#include "store/store.h"
#include "store/store_lane.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace confab::server {

// Whose job it is and whether it only reads: decides which store thread runs it.
struct JobOrder {
    quint64 connection = 0; // Connection::serial() of the requesting client; 0: none
    bool readOnly = false;
    bool files = false; // an upload's job: the file lane (StoreExecutor)

    static JobOrder write(quint64 connection) { return {connection, false}; }
    static JobOrder read(quint64 connection) { return {connection, true}; }
    // A write of the server's own that no client reads back in order (the
    // batched last-seen times): not a barrier, so it never sends every read
    // to the writer while it runs. Serials start at 1, so none is this one.
    static JobOrder background() { return {~quint64(0), false}; }
    // Files (issue 16): every job of an upload (create, chunks, hash,
    // completion, cancel, pruning) runs on the file lane, in submission
    // order; what a client may do with the file next (attach, download) is
    // only answered after the job committed.
    static JobOrder fileTransfer(quint64 connection) { return {connection, false, true}; }
};

// Runs every database operation on store threads, so the network thread
// never waits for the disk: a writer that owns the Store, and a reader with
// a second connection of its own (Store::makeReader()) for read-only jobs.
// Results are delivered on the thread of a context object via its event loop.
//
// Ordering (docs/store-threads.md):
// - Writer jobs run in submission order. Message inserts are taken off the
//   front of the queue together with the inserts right behind them (never
//   past another kind of job) and stored in one transaction with one durable
//   commit (group commit); their completions run after that commit, in
//   submission order, as one event.
// - A read-only job (JobOrder::read) runs on the reader. While its client
//   connection has writer jobs in flight it is parked, and goes to the
//   reader once they have all finished: a read never waits on the writer
//   behind other clients' writes, and never holds the writer up with a
//   slow scan. While a job without a connection (a barrier: a write that
//   names no client) is in flight, reads queue on the writer behind it.
//   So a client always reads its own earlier writes, and everything acked
//   to anyone is committed. Replies to one client's reads may overtake that
//   client's later writes' replies.
class StoreExecutor {
public:
    // Inserts stored in one transaction at most.
    static constexpr int kMaxBatch = 512;

    explicit StoreExecutor(std::shared_ptr<Store> store);
    // The writer's group commit for a trickle of messages (StoreLane::
    // setCommitDelay()); the backend's Store::commitDelayUs() unless set.
    void setCommitDelay(int delayUs, int flowingMs = 10) { m_writer.setCommitDelay(delayUs, flowingMs); }
    ~StoreExecutor();

    // Where committed changes go (StoreLane::setChangeSink): set before start().
    void setChangeSink(QObject* context, std::function<void(QList<ChangeRecord>)> deliver)
    {
        m_writer.setChangeSink(context, std::move(deliver));
    }
    // Starts the thread and opens the store there; blocks for the result
    // (start-up only).
    Result<void> start();
    // Finishes every queued job, closes the store and joins the thread.
    void stop();

    // Queues job(store); done(result) then runs on `context`'s thread.
    // `context` must outlive the executor or be the receiver of stop().
    template <typename R>
    void run(QObject* context, std::function<R(Store&)> job, std::function<void(R)> done, JobOrder order = {})
    {
        StoreJob queued;
        queued.context = context;
        queued.connection = order.connection;
        queued.run = [job = std::move(job), done = std::move(done)](Store& store) -> StoreJob::Completion {
            auto result = std::make_shared<R>(guarded<R>(store, job));
            return [done, result] { done(std::move(*result)); };
        };
        submit(std::move(queued), order.readOnly, order.files);
    }

    // Queues the storing of a message (Store::insertMessage, batched with the
    // inserts queued right behind it). done(result) runs on `context`'s
    // thread only after the batch's COMMIT: a value there is durable. When
    // the commit fails every message of the batch gets the error (internal,
    // or unavailable with retryAfterMs when the connection was lost).
    void insertMessage(QObject* context, quint64 connection, NewMessage message,
                       std::function<void(Result<InsertedMessage>)> done);

    // Runs a job and waits for it. Never on a hot path: start-up, shutdown,
    // tests. Unguarded: it also opens and closes the store.
    template <typename R>
    R runBlocking(std::function<R(Store&)> job)
    {
        std::optional<R> result;
        m_writer.runAndWait([&](Store& store) { result.emplace(job(store)); });
        return std::move(*result);
    }

    // Runs job unless the database is unreachable; a job that failed because
    // the connection went away reports `unavailable` (nothing was stored, the
    // client may retry) rather than `internal`. Jobs returning something other
    // than a Result run as they are.
    template <typename R>
    static R guarded(Store& store, const std::function<R(Store&)>& job)
    {
        if constexpr (std::is_constructible_v<R, Error>) {
            if (Result<void> connected = store.ensureConnected(); !connected)
                return R(connected.error());
            R result = job(store);
            if (!result && result.error().code == ErrorCode::Internal && store.connectionLost())
                return R(afterLostConnection(store));
            return result;
        } else {
            return job(store);
        }
    }
    // guarded() for a batch of inserts: the same rules for each message.
    static QList<Result<InsertedMessage>> guardedInserts(Store& store, const QList<NewMessage>& messages);

    bool isRunning() const { return m_writer.isRunning(); }
    // Jobs waiting on the writer and the reader, reads parked behind their
    // connection's writes included: the store's backlog, for /metrics.
    int queuedJobs() const;
    bool hasReader() const;

private:
    // Routes a job to the reader or the writer (the rules above), or a file
    // job to the file lane when there is one.
    void submit(StoreJob job, bool readOnly, bool files = false);
    // On the writer's thread after each job: it is no longer in flight.
    void writerFinished(const StoreJob& job);
    void startReader();
    void startFileLane();
    void startCheckpointer();

    // The error for a job that failed with the connection: reconnects at once
    // when it can (`unavailable`, retry now), else says when to retry.
    static Error afterLostConnection(Store& store);

    std::shared_ptr<Store> m_store;
    StoreLane m_writer;

    mutable QMutex m_routing; // guards what follows
    std::unique_ptr<StoreLane> m_reader;
    std::unique_ptr<StoreLane> m_files;        // upload jobs, on a writing connection of their own
    std::unique_ptr<StoreLane> m_checkpointer; // SQLite's WAL checkpoints
    // Per client connection with writer jobs in flight or reads parked. The
    // writer runs a connection's jobs in submission order, so a parked read
    // waits until `finished` reaches the count submitted before it: the
    // connection's later writes do not hold it up.
    struct ClientJobs {
        quint64 submitted = 0; // writer jobs
        quint64 finished = 0;
        std::deque<std::pair<quint64, StoreJob>> parked; // (writes it waits for, the read)
    };
    QHash<quint64, ClientJobs> m_clients;
    int m_barriersInFlight = 0; // writer jobs of no connection
    // Routes a read (m_routing held): the reader, or the writer behind a barrier.
    void routeRead(StoreJob job);
    // Queues a job on the writer and counts it in flight (m_routing held).
    void postToWriter(StoreJob job);
};

} // namespace confab::server
