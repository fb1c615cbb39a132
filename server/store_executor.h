#pragma once

#include "store/store.h"

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace confab::server {

// Runs every database operation on one dedicated thread that owns the
// Store (and so its QSqlDatabase connection). Jobs run in submission order,
// which keeps a client's requests ordered (a send is stored before a later
// fetch sees it). Results are delivered on the thread of a context object via
// its event loop, so the network thread never waits for the disk.
class StoreExecutor {
public:
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
        auto store = m_store;
        QMetaObject::invokeMethod(
            m_worker,
            [store, context, job = std::move(job), done = std::move(done)]() mutable {
                auto result = std::make_shared<R>(guarded<R>(*store, job));
                QMetaObject::invokeMethod(
                    context, [done = std::move(done), result] { done(std::move(*result)); },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

    // Runs a job and waits for it. Never on a hot path: start-up, shutdown,
    // tests. Unguarded: it also opens and closes the store.
    template <typename R>
    R runBlocking(std::function<R(Store&)> job)
    {
        std::optional<R> result;
        auto store = m_store;
        QMetaObject::invokeMethod(
            m_worker, [&] { result.emplace(job(*store)); }, Qt::BlockingQueuedConnection);
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
            if (!result && result.error().code == ErrorCode::Internal && store.connectionLost()) {
                Result<void> retry = store.ensureConnected(); // reconnects at once when it can
                return R(retry ? unavailableNow() : retry.error());
            }
            return result;
        } else {
            return job(store);
        }
    }

    bool isRunning() const { return m_thread.isRunning(); }

private:
    static Error unavailableNow();

    std::shared_ptr<Store> m_store;
    QThread m_thread;
    QObject* m_worker = nullptr; // lives in m_thread
};

} // namespace confab::server
