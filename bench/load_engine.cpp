#include "load_engine.h"

#include "clock.h"
#include "worker.h"

#include "net/epoll_event_dispatcher.h"
#include <QCoreApplication>

#include <QThread>
#include <QTimer>

#include <limits>

namespace confab::bench {
namespace {

// Runs `fn` on the worker's thread and waits for it.
template <typename Fn>
void onWorker(Worker* w, Fn fn)
{
    QMetaObject::invokeMethod(w, fn, Qt::BlockingQueuedConnection);
}

// Lets the main thread's own objects (a spawned server's pipes) breathe while waiting.
template <typename Pred>
bool waitFor(Pred done, int timeoutMs)
{
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.start(timeoutMs);
    while (!done()) {
        if (!deadline.isActive())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(10);
    }
    return true;
}

template <typename Field>
qint64 sum(const std::vector<Worker*>& workers, Field field)
{
    qint64 total = 0;
    for (Worker* w : workers)
        total += (w->counters.*field).load(std::memory_order_relaxed);
    return total;
}

} // namespace

LoadEngine::LoadEngine(const Population& population, QList<ConnectionSpec> connections, TrafficConfig config)
    : m_population(population)
    , m_config(std::move(config))
{
    const int threads = std::max(1, m_config.threads);
    for (int t = 0; t < threads; ++t) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("bench-worker-%1").arg(t));
        TrafficConfig workerConfig = m_config;
        if (!m_config.instanceUrls.isEmpty())
            workerConfig.url = m_config.instanceUrls.at(t % m_config.instanceUrls.size());
        auto* worker = new Worker(m_population, workerConfig);
        worker->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
        // The server's epoll dispatcher (server/net): Qt's poll()s every
        // socket of the thread on each iteration, which at thousands of
        // connections per worker costs more than the frames themselves.
        if (qEnvironmentVariable("CONFAB_EVENT_DISPATCHER") != QLatin1String("qt"))
            confab::server::installEpollDispatcher(thread.get());
        thread->start();
        m_workers.push_back(worker);
        m_threads.push_back(std::move(thread));
    }
    // Round-robin, so senders and receivers are spread over every worker.
    for (int i = 0; i < connections.size(); ++i) {
        Worker* w = m_workers[size_t(i % threads)];
        const ConnectionSpec spec = connections.at(i);
        QMetaObject::invokeMethod(
            w, [w, spec] { w->addConnection(spec); }, Qt::QueuedConnection);
    }
}

LoadEngine::~LoadEngine()
{
    for (Worker* w : m_workers)
        onWorker(w, [w] { w->closeAll(); });
    for (auto& t : m_threads) {
        t->quit();
        t->wait();
    }
}

ConnectResult LoadEngine::connectAll(int timeoutMs)
{
    for (Worker* w : m_workers)
        QMetaObject::invokeMethod(
            w, [w] { w->openAll(); }, Qt::QueuedConnection);
    const qint64 expected = [&] {
        qint64 n = 0;
        for (Worker* w : m_workers)
            onWorker(w, [w, &n] { n += w->connectionCount(); });
        return n;
    }();
    waitFor(
        [&] {
            return sum(m_workers, &WorkerCounters::connected) +
                       sum(m_workers, &WorkerCounters::connectFailed) >=
                   expected;
        },
        timeoutMs);
    ConnectResult r;
    r.opened = int(sum(m_workers, &WorkerCounters::connected));
    r.failed = int(expected - r.opened);
    qint64 first = std::numeric_limits<qint64>::max(), last = 0;
    for (Worker* w : m_workers) {
        first = std::min(first, w->counters.firstOpenMicros.load());
        last = std::max(last, w->counters.lastAuthMicros.load());
        onWorker(w, [w, &r] {
            for (auto it = w->connectFailures.cbegin(); it != w->connectFailures.cend(); ++it)
                r.failures[it.key()] += int(it.value());
        });
    }
    r.seconds = last > first ? double(last - first) / 1e6 : 0;
    return r;
}

void LoadEngine::startTraffic()
{
    // Every worker shares one schedule origin so that warm-up and the
    // measured window are the same instants everywhere.
    m_startMicros = nowMicros() + 20000;
    int senders = 0;
    for (Worker* w : m_workers)
        senders += w->senderCount();
    for (Worker* w : m_workers) {
        const double share = senders ? m_config.rate * w->senderCount() / senders : 0;
        const qint64 start = m_startMicros;
        QMetaObject::invokeMethod(
            w, [w, start, share] { w->startTraffic(start, share); }, Qt::QueuedConnection);
    }
}

TrafficResult LoadEngine::runToEnd(int drainTimeoutMs)
{
    const qint64 end = m_startMicros + qint64((m_config.warmupSeconds + m_config.durationSeconds) * 1e6);
    waitFor([&] { return nowMicros() >= end; }, int((end - nowMicros()) / 1000) + 1000);
    for (Worker* w : m_workers)
        onWorker(w, [w] { w->stopTraffic(); });
    const qint64 drainStart = nowMicros();
    waitFor(
        [&] {
            const qint64 sent = sum(m_workers, &WorkerCounters::sent);
            const qint64 answered =
                sum(m_workers, &WorkerCounters::acked) + sum(m_workers, &WorkerCounters::errors);
            const qint64 delivered = sum(m_workers, &WorkerCounters::deliveries);
            return answered >= sent && delivered >= sum(m_workers, &WorkerCounters::expected);
        },
        drainTimeoutMs);
    TrafficResult r = collect();
    r.drainSeconds = double(nowMicros() - drainStart) / 1e6;
    return r;
}

int LoadEngine::openConnections() const
{
    return int(sum(m_workers, &WorkerCounters::connected) - sum(m_workers, &WorkerCounters::disconnects));
}

TrafficResult LoadEngine::collect() const
{
    TrafficResult r;
    r.sent = sum(m_workers, &WorkerCounters::sent);
    r.acked = sum(m_workers, &WorkerCounters::acked);
    r.errors = sum(m_workers, &WorkerCounters::errors);
    r.deliveries = sum(m_workers, &WorkerCounters::deliveries);
    r.duplicates = sum(m_workers, &WorkerCounters::duplicates);
    r.expectedDeliveries = sum(m_workers, &WorkerCounters::expected);
    r.disconnects = sum(m_workers, &WorkerCounters::disconnects);
    r.unacked = std::max<qint64>(0, r.sent - r.acked - r.errors);
    r.lost = std::max<qint64>(0, r.expectedDeliveries - r.deliveries);
    for (Worker* w : m_workers) {
        onWorker(w, [w, &r] {
            r.ackLatency.merge(w->ackLatency);
            r.deliveryLatency.merge(w->deliveryLatency);
            r.ackedInWindow += w->ackedInWindow;
            r.deliveriesInWindow += w->deliveriesInWindow;
            r.otherFrames += w->otherFrames;
            r.maxSendLagMs = std::max(r.maxSendLagMs, w->maxSendLagMs);
            for (auto it = w->errorCodes.cbegin(); it != w->errorCodes.cend(); ++it)
                r.errorCodes[it.key()] += it.value();
        });
    }
    return r;
}

} // namespace confab::bench
