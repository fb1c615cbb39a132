#include "store_executor.h"

#include "logging.h"

namespace confab::server {

StoreExecutor::StoreExecutor(std::shared_ptr<Store> store)
    : m_store(store)
    , m_writer(std::move(store), QStringLiteral("confab-store"), kMaxBatch)
{}

StoreExecutor::~StoreExecutor()
{
    stop();
}

Result<void> StoreExecutor::start()
{
    if (m_writer.isRunning())
        return {};
    m_writer.start();
    Result<void> opened = runBlocking<Result<void>>([](Store& store) { return store.open(); });
    if (!opened)
        m_writer.stop();
    return opened;
}

void StoreExecutor::stop()
{
    if (!m_writer.isRunning())
        return;
    // Queued after every job already submitted: those finish (and commit) first.
    m_writer.runAndWait([](Store& store) { store.close(); });
    m_writer.stop();
    qCDebug(lcServer) << "store thread stopped";
}

void StoreExecutor::insertMessage(QObject* context, quint64 connection, NewMessage message,
                                  std::function<void(Result<InsertedMessage>)> done)
{
    StoreJob queued;
    queued.context = context;
    queued.connection = connection;
    queued.message = std::move(message);
    queued.inserted = std::move(done);
    m_writer.post(std::move(queued));
}

QList<Result<InsertedMessage>> StoreExecutor::guardedInserts(Store& store, const QList<NewMessage>& messages)
{
    if (Result<void> connected = store.ensureConnected(); !connected)
        return QList<Result<InsertedMessage>>(messages.size(), connected.error());
    QList<Result<InsertedMessage>> results = store.insertMessages(messages);
    bool internal = false;
    for (const Result<InsertedMessage>& result : std::as_const(results))
        internal = internal || (!result && result.error().code == ErrorCode::Internal);
    // A lost connection fails the COMMIT, so then every result is internal.
    if (internal && store.connectionLost()) {
        const Error error = afterLostConnection(store);
        for (Result<InsertedMessage>& result : results) {
            if (!result && result.error().code == ErrorCode::Internal)
                result = error;
        }
    }
    return results;
}

Error StoreExecutor::afterLostConnection(Store& store)
{
    Result<void> retry = store.ensureConnected(); // reconnects at once when it can
    if (!retry)
        return retry.error();
    Error error =
        makeError(ErrorCode::Unavailable,
                  QStringLiteral("the database connection was lost; nothing was stored, try again"));
    error.retryAfterMs = 100;
    return error;
}

} // namespace confab::server
