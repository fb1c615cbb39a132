#pragma once

#include "store/store.h"
#include "store_lane.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace confab::server {

// Runs every database operation on one dedicated thread (the writer) that
// owns the Store (and so its QSqlDatabase connection), so the network thread
// never waits for the disk. Results are delivered on the thread of a context
// object via its event loop.
//
// Ordering: jobs run in submission order, which keeps a client's requests
// ordered (a send is stored before a later fetch sees it). Message inserts
// are the exception that proves it: the writer takes the consecutive inserts
// at the front of its queue (never jumping over another kind of job) and
// stores them in one transaction with one durable commit (group commit,
// docs/store-threads.md). Their completions run after that commit, in
// submission order, as one event.
class StoreExecutor {
public:
    // Inserts stored in one transaction at most.
    static constexpr int kMaxBatch = 512;

    explicit StoreExecutor(std::shared_ptr<Store> store);
    ~StoreExecutor();

    // Starts the thread and opens the store there; blocks for the result
    // (start-up only).
    Result<void> start();
    // Finishes every queued job, closes the store and joins the thread.
    void stop();

    // Queues job(store); done(result) then runs on `context`'s thread.
    // `context` must outlive the executor or be the receiver of stop().
    template <typename R>
    void run(QObject* context, std::function<R(Store&)> job, std::function<void(R)> done)
    {
        StoreJob queued;
        queued.context = context;
        queued.run = [job = std::move(job), done = std::move(done)](Store& store) -> StoreJob::Completion {
            auto result = std::make_shared<R>(guarded<R>(store, job));
            return [done, result] { done(std::move(*result)); };
        };
        m_writer.post(std::move(queued));
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

private:
    // The error for a job that failed with the connection: reconnects at once
    // when it can (`unavailable`, retry now), else says when to retry.
    static Error afterLostConnection(Store& store);

    std::shared_ptr<Store> m_store;
    StoreLane m_writer;
};

} // namespace confab::server
