#include "store/store_executor.h"

#include "base/logging.h"

namespace confab::server {

StoreExecutor::StoreExecutor(std::shared_ptr<Store> store)
    : m_store(store)
    , m_writer(std::move(store), QStringLiteral("confab-store"), kMaxBatch,
               [this](const StoreJob& job) { writerFinished(job); })
{
    m_writer.setUpkeep(m_store->upkeepIntervalMs());
    // CONFAB_COMMIT_DELAY_US overrides the backend's choice (bench/README.md).
    bool set = false;
    const int delayUs = qEnvironmentVariableIntValue("CONFAB_COMMIT_DELAY_US", &set);
    m_writer.setCommitDelay(set ? delayUs : m_store->commitDelayUs());
}

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
    if (!opened) {
        m_writer.stop();
        return opened;
    }
    startReader();
    startFileLane();
    startCheckpointer();
    return {};
}

// After the writer opened (and migrated) the database. Without a reader every
// job runs on the writer, which is slower under load but just as correct.
void StoreExecutor::startReader()
{
    std::shared_ptr<Store> store = m_store->makeReader();
    if (!store)
        return;
    auto reader = std::make_unique<StoreLane>(store, QStringLiteral("confab-store-reader"), 1);
    reader->start();
    Result<void> opened;
    reader->runAndWait([&opened](Store& s) { opened = s.open(); });
    if (!opened) {
        qCWarning(lcServer).noquote()
            << "no reader thread, reads run on the writer:" << opened.error().message;
        reader->stop();
        return;
    }
    QMutexLocker lock(&m_routing);
    m_reader = std::move(reader);
}

// Files (issue 16): 256 KiB chunks, one durable commit each, on a lane of
// their own. On SQLite the two writing connections still take turns for the
// database's write lock (BEGIN IMMEDIATE, the busy timeout), but a message
// then waits for at most the one chunk being committed, not for every chunk
// queued ahead of it on one FIFO. Without it file jobs run on the writer.
void StoreExecutor::startFileLane()
{
    std::shared_ptr<Store> store = m_store->makeFileWriter();
    if (!store)
        return;
    auto lane = std::make_unique<StoreLane>(store, QStringLiteral("confab-store-files"), 1);
    lane->start();
    Result<void> opened;
    lane->runAndWait([&opened](Store& s) { opened = s.open(); });
    if (!opened) {
        qCWarning(lcServer).noquote() << "no file lane, uploads run on the writer:" << opened.error().message;
        lane->stop();
        return;
    }
    QMutexLocker lock(&m_routing);
    m_files = std::move(lane);
}

// Issue 17: SQLite checkpointed the WAL on whichever connection committed
// past 1,000 pages, so every seventy-odd messages one ack waited for pages
// to be copied back into the database and synced. Here a connection of its
// own does that on its own thread, PASSIVE (it never blocks the writer),
// and the writing connections stop doing it.
void StoreExecutor::startCheckpointer()
{
    std::shared_ptr<Store> store = m_store->makeCheckpointer();
    if (!store)
        return;
    auto lane = std::make_unique<StoreLane>(store, QStringLiteral("confab-store-wal"), 1);
    lane->setUpkeep(store->upkeepIntervalMs());
    lane->start();
    Result<void> opened;
    lane->runAndWait([&opened](Store& s) { opened = s.open(); });
    if (!opened) {
        qCWarning(lcServer).noquote() << "no checkpointer, the writer checkpoints:" << opened.error().message;
        lane->stop();
        return;
    }
    const auto stopAutoCheckpoints = [](StoreLane& writing) {
        writing.runAndWait([](Store& s) {
            if (Result<void> stopped = s.stopAutoCheckpoints(); !stopped)
                qCWarning(lcServer).noquote() << "automatic checkpoints stay on:" << stopped.error().message;
        });
    };
    stopAutoCheckpoints(m_writer);
    QMutexLocker lock(&m_routing);
    if (m_files)
        stopAutoCheckpoints(*m_files);
    m_checkpointer = std::move(lane);
}

bool StoreExecutor::hasReader() const
{
    QMutexLocker lock(&m_routing);
    return m_reader != nullptr;
}

void StoreExecutor::stop()
{
    if (!m_writer.isRunning())
        return;
    std::unique_ptr<StoreLane> reader;
    {
        QMutexLocker lock(&m_routing); // from here on reads queue on the writer
        reader = std::move(m_reader);
        // Parked reads go to the writer now, behind their connection's
        // writes (already queued there) and ahead of the close below.
        std::vector<StoreJob> parked;
        for (ClientJobs& client : m_clients) {
            for (auto& read : client.parked)
                parked.push_back(std::move(read.second));
            client.parked.clear();
        }
        for (StoreJob& read : parked)
            postToWriter(std::move(read));
    }
    if (reader) {
        reader->runAndWait([](Store& store) { store.close(); });
        reader->stop();
    }
    std::unique_ptr<StoreLane> files;
    {
        QMutexLocker lock(&m_routing); // from here on file jobs queue on the writer
        files = std::move(m_files);
    }
    if (files) { // its queued jobs finish (and commit) first
        files->runAndWait([](Store& store) { store.close(); });
        files->stop();
    }
    std::unique_ptr<StoreLane> checkpointer;
    {
        QMutexLocker lock(&m_routing);
        checkpointer = std::move(m_checkpointer);
    }
    if (checkpointer) {
        checkpointer->runAndWait([](Store& store) { store.close(); });
        checkpointer->stop();
    }
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
    submit(std::move(queued), false);
}

void StoreExecutor::submit(StoreJob job, bool readOnly, bool files)
{
    QMutexLocker lock(&m_routing);
    if (files && m_files) {
        m_files->post(std::move(job));
        return;
    }
    if (readOnly && m_reader) {
        const auto client = job.connection != 0 ? m_clients.find(job.connection) : m_clients.end();
        if (client != m_clients.end() && client->finished < client->submitted) {
            const quint64 waitFor = client->submitted; // its connection's writes so far
            client->parked.emplace_back(waitFor, std::move(job));
            return;
        }
        return routeRead(std::move(job));
    }
    postToWriter(std::move(job));
}

void StoreExecutor::routeRead(StoreJob job)
{
    if (m_reader && m_barriersInFlight == 0) {
        m_reader->post(std::move(job));
        return;
    }
    postToWriter(std::move(job));
}

void StoreExecutor::postToWriter(StoreJob job)
{
    // Counted until the writer ran it and posted its completion, so that a
    // read routed to the reader afterwards also replies after it.
    const quint64 connection = job.connection;
    job.counted = true;
    if (connection == 0)
        ++m_barriersInFlight;
    else
        ++m_clients[connection].submitted;
    if (!m_writer.post(std::move(job))) { // stopping: it will never finish
        if (connection == 0)
            --m_barriersInFlight;
        else if (ClientJobs& client = m_clients[connection];
                 --client.submitted == client.finished && client.parked.empty())
            m_clients.remove(connection);
    }
}

void StoreExecutor::writerFinished(const StoreJob& job)
{
    if (!job.counted)
        return;
    QMutexLocker lock(&m_routing);
    if (job.connection == 0) {
        --m_barriersInFlight;
        return;
    }
    const auto client = m_clients.find(job.connection);
    if (client == m_clients.end())
        return;
    ++client->finished;
    // After the write's completion was posted: a read released now replies after it.
    std::vector<StoreJob> released;
    while (!client->parked.empty() && client->parked.front().first <= client->finished) {
        released.push_back(std::move(client->parked.front().second));
        client->parked.pop_front();
    }
    if (client->finished == client->submitted && client->parked.empty())
        m_clients.erase(client);
    for (StoreJob& read : released)
        routeRead(std::move(read)); // may count as a writer job again (behind a barrier)
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

int StoreExecutor::queuedJobs() const
{
    QMutexLocker lock(&m_routing);
    int queued = m_writer.queuedJobs() + (m_reader ? m_reader->queuedJobs() : 0);
    for (const ClientJobs& jobs : m_clients)
        queued += int(jobs.parked.size());
    return queued;
}

} // namespace confab::server
