#include "store_executor.h"

#include "logging.h"

namespace confab::server {

StoreExecutor::StoreExecutor(std::shared_ptr<Store> store)
    : m_store(std::move(store))
{
    m_thread.setObjectName(QStringLiteral("confab-store"));
}

StoreExecutor::~StoreExecutor()
{
    stop();
}

Result<void> StoreExecutor::start()
{
    if (m_thread.isRunning())
        return {};
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    return runBlocking<Result<void>>([](Store& store) { return store.open(); });
}

void StoreExecutor::stop()
{
    if (!m_thread.isRunning())
        return;
    // Queued after every job already submitted: those finish (and commit) first.
    runBlocking<bool>([](Store& store) {
        store.close();
        return true;
    });
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
    qCDebug(lcServer) << "store thread stopped";
}

Error StoreExecutor::unavailableNow()
{
    Error error =
        makeError(ErrorCode::Unavailable,
                  QStringLiteral("the database connection was lost; nothing was stored, try again"));
    error.retryAfterMs = 100;
    return error;
}

} // namespace confab::server
