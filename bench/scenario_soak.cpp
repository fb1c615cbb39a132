// soak (issue 17): chat mix for a long time with reconnect churn and the
// hardening floods mixed in at a low rate, the server's RSS, open files and
// store backlog sampled on a fixed period. The verdict is on what a leak
// would move: after warm-up, RSS and open files must stay within a band, and
// the traffic must lose and duplicate nothing. `--chart` draws the samples
// (soak_chart.cpp). bench/README.md "Soak" has the runs.
#include "clock.h"
#include "flood_socket.h"
#include "scenarios.h"
#include "soak_chart.h"
#include "sync_client.h"

#include <QDir>
#include <QEventLoop>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace confab::bench {

namespace {

int freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

int openFiles(qint64 pid)
{
    return int(
        QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::System).size());
}

// One gauge from the server's /metrics; -1 when it could not be read. A
// blocking read on the tool's main thread: it only drives the churn and the
// floods, never the measured traffic (that runs on the worker threads).
double metricFrom(int opsPort, const QByteArray& name)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(opsPort));
    if (!socket.waitForConnected(1000))
        return -1;
    socket.write("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray body;
    while (socket.waitForReadyRead(1000))
        body += socket.readAll();
    for (const QByteArray& line : body.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).trimmed().toDouble();
    }
    return -1;
}

struct SoakKnobs {
    double sampleSeconds = 10;
    double churnPerMinute = 0.01; // share of the connections that drop and resume each minute
    double floodEverySeconds = 30;
    double band = 0.10;        // RSS may move this much (of its post-warm-up low) and still be flat
    double settleShare = 0.25; // the first quarter of the run is warm-up for the verdict
};

// The churn pool, the flood users and the sampler, driven by timers on the
// main thread while the traffic runs on the workers.
class SoakDriver {
public:
    SoakDriver(const Harness& h, const Population& pop, QList<int> churnUsers, QList<int> floodUsers,
               int opsPort, const SoakKnobs& knobs, int trafficConnections)
        : m_h(h)
        , m_pop(pop)
        , m_churnUsers(std::move(churnUsers))
        , m_floodUsers(std::move(floodUsers))
        , m_opsPort(opsPort)
        , m_knobs(knobs)
    {
        // 1 % of all connections a minute: one reconnect every 60 / (n * 1 %) s.
        const double perMinute = std::max(1.0, trafficConnections * knobs.churnPerMinute);
        m_churnIntervalMs = int(60'000 / perMinute);
    }

    void run(double seconds)
    {
        for (int u : std::as_const(m_churnUsers))
            m_pool.push_back(connect(u));
        const qint64 start = nowMicros();
        auto elapsed = [start] { return double(nowMicros() - start) / 1e6; };
        QTimer sample, churn, flood;
        QObject::connect(&sample, &QTimer::timeout, [&] { takeSample(elapsed()); });
        QObject::connect(&churn, &QTimer::timeout, [&] { churnOne(); });
        QObject::connect(&flood, &QTimer::timeout, [&] { startFlood(); });
        takeSample(0);
        sample.start(int(m_knobs.sampleSeconds * 1000));
        churn.start(m_churnIntervalMs);
        flood.start(int(m_knobs.floodEverySeconds * 1000));
        QEventLoop loop;
        QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
        loop.exec();
        sample.stop();
        churn.stop();
        flood.stop();
        takeSample(elapsed());
        m_pool.clear();
        m_floods.clear();
    }

    const QList<SoakSample>& samples() const { return m_samples; }
    int reconnects = 0, reconnectFailures = 0, floodsRun = 0;

private:
    std::unique_ptr<SyncClient> connect(int user)
    {
        auto client = std::make_unique<SyncClient>();
        const bool ok = client->open(m_h.url(), 10000) &&
                        client->request(QStringLiteral("auth"),
                                        {{QStringLiteral("token"), m_pop.users.at(user).token}}) &&
                        client->request(QStringLiteral("list_rooms"), {});
        if (!ok)
            ++reconnectFailures;
        return client;
    }

    void churnOne()
    {
        if (m_busy || m_pool.empty())
            return; // a slow reconnect is still under way (its waits run this loop)
        m_busy = true;
        const size_t slot = size_t(m_nextChurn++) % m_pool.size();
        m_pool[slot].reset(); // dropped: the server sees the close
        m_pool[slot] = connect(m_churnUsers.at(int(slot)));
        ++reconnects;
        m_busy = false;
    }

    // By turns: a connection that pings without ever reading and is never
    // signed in, and a signed-in one sending typing into a room it is not in
    // (refusals and rate limits). Each is closed two seconds later.
    void startFlood()
    {
        auto socket = std::make_shared<FloodSocket>();
        QByteArray frames;
        if (floodsRun % 2 == 0 || m_floodUsers.isEmpty()) {
            if (!socket->open(m_h.url(), QStringLiteral("/")))
                return;
            const QByteArray ping = FloodSocket::frame(server::ws::Opcode::Ping, "soak");
            for (int i = 0; i < 500; ++i)
                frames += ping;
        } else {
            const QString token = m_pop.users.at(m_floodUsers.at(floodsRun / 2 % m_floodUsers.size())).token;
            if (!socket->open(m_h.url(), QStringLiteral("/?token=") + token))
                return;
            for (int i = 0; i < 300; ++i)
                frames += FloodSocket::frame(
                    server::ws::Opcode::Text,
                    FloodSocket::request(QStringLiteral("typing"), {{QStringLiteral("roomId"), 1}}));
        }
        socket->writeSome(frames);
        ++floodsRun;
        m_floods.push_back(socket);
        QTimer::singleShot(2000, [this, socket] {
            socket->drain();
            socket->close();
            m_floods.erase(std::remove(m_floods.begin(), m_floods.end(), socket), m_floods.end());
        });
    }

    void takeSample(double t)
    {
        const qint64 pid = m_h.serverPid();
        const ProcSample proc = sampleProcess(pid);
        SoakSample s;
        s.seconds = t;
        s.rssKiB = proc.rssKiB;
        s.openFiles = openFiles(pid);
        s.storeQueue = m_opsPort > 0 ? metricFrom(m_opsPort, "confab_store_queued_jobs") : -1;
        s.connections = m_opsPort > 0 ? metricFrom(m_opsPort, "confab_connections") : -1;
        m_samples.append(s);
        std::fprintf(stderr, "soak %6.0f s: rss %lld KiB, %d files, store queue %.0f, %.0f connections\n", t,
                     static_cast<long long>(s.rssKiB), s.openFiles, s.storeQueue, s.connections);
    }

    const Harness& m_h;
    const Population& m_pop;
    const QList<int> m_churnUsers, m_floodUsers;
    const int m_opsPort;
    const SoakKnobs m_knobs;
    int m_churnIntervalMs = 60'000;
    std::vector<std::unique_ptr<SyncClient>> m_pool;
    std::vector<std::shared_ptr<FloodSocket>> m_floods;
    QList<SoakSample> m_samples;
    int m_nextChurn = 0;
    bool m_busy = false;
};

} // namespace

bool runSoak(Harness& h, Report& report)
{
    SoakKnobs knobs;
    knobs.sampleSeconds = h.number(QStringLiteral("sample"), 10);
    knobs.churnPerMinute = h.number(QStringLiteral("churn"), 0.01);
    knobs.floodEverySeconds = h.number(QStringLiteral("flood-every"), 30);
    knobs.band = h.number(QStringLiteral("band"), 0.10);
    const int users = int(h.number(QStringLiteral("users"), 200));
    // Extra users after the chat mix's: the churn pool (idle connections that
    // drop and resume) and two flood users; none of them in a room.
    const int churnPool = std::max(4, users / 10);
    const int floodUsers = 2;
    const PopulationSpec spec = chatmixSpec(h, churnPool + floodUsers);
    // Spawned: on a free port of our choosing; else the one named, if any.
    const int opsPort = h.text(QStringLiteral("spawn"), QString()).isEmpty()
                            ? int(h.number(QStringLiteral("ops-port"), 0))
                            : freeLoopbackPort();
    if (opsPort > 0)
        h.addServerArguments({QStringLiteral("--ops-port"), QString::number(opsPort)});
    auto pop = h.prepare(spec);
    if (!pop) {
        report.note(pop.error().message);
        return false;
    }
    QList<ConnectionSpec> conns = chatmixConnections(spec).mid(0, users);
    TrafficConfig config = h.trafficConfig();
    config.rate = h.number(QStringLiteral("rate"), 500);
    config.dmShare = h.number(QStringLiteral("dm-share"), 0.2);
    config.warmupSeconds = h.number(QStringLiteral("warmup"), 5);
    config.durationSeconds = h.number(QStringLiteral("duration"), 120);
    const QString p = QStringLiteral("parameters");
    report.add(p, QStringLiteral("users"), users);
    report.add(p, QStringLiteral("rate"), config.rate, QStringLiteral("msg/s in total"));
    report.add(p, QStringLiteral("seconds"), config.warmupSeconds + config.durationSeconds,
               QStringLiteral("s"));
    report.add(p, QStringLiteral("churnPerMinute"), knobs.churnPerMinute * 100,
               QStringLiteral("% of connections"));
    report.add(p, QStringLiteral("churnPool"), churnPool);
    report.add(p, QStringLiteral("floodEverySeconds"), knobs.floodEverySeconds, QStringLiteral("s"));

    LoadEngine engine(*pop, conns, config);
    const ConnectResult connected =
        engine.connectAll(int(h.number(QStringLiteral("connect-timeout"), 300)) * 1000);
    report.add(QStringLiteral("connections"), QStringLiteral("opened"), connected.opened);
    if (connected.opened == 0) {
        report.note(QStringLiteral("no connection could authenticate"));
        return false;
    }
    QList<int> churnUsers, floodUserIds;
    for (int i = 0; i < churnPool; ++i)
        churnUsers.append(users + i);
    for (int i = 0; i < floodUsers; ++i)
        floodUserIds.append(users + churnPool + i);
    SoakDriver driver(h, *pop, churnUsers, floodUserIds, opsPort, knobs, connected.opened + churnPool);
    const ProcSample serverBefore = h.sampleServer();
    const ProcSample selfBefore = sampleSelf();
    const qint64 t0 = nowMicros();
    engine.startTraffic();
    driver.run(config.warmupSeconds + config.durationSeconds);
    const TrafficResult r = engine.runToEnd(15000);
    const double wall = double(nowMicros() - t0) / 1e6;
    Harness::addTraffic(report, r, config);
    report.addServer(serverBefore, h.sampleServer(), wall);

    const SoakVerdict verdict = judgeSoak(driver.samples(), knobs.settleShare, knobs.band);
    const QString s = QStringLiteral("soak");
    report.add(s, QStringLiteral("samples"), double(driver.samples().size()));
    report.add(s, QStringLiteral("rssSettledKiB"), double(verdict.rssLowKiB),
               QStringLiteral("KiB, lowest after warm-up"));
    report.add(s, QStringLiteral("rssHighKiB"), double(verdict.rssHighKiB),
               QStringLiteral("KiB, highest after warm-up"));
    report.add(s, QStringLiteral("rssGrowth"), verdict.rssGrowth * 100,
               QStringLiteral("% after warm-up (flat: within --band)"));
    report.add(s, QStringLiteral("openFilesLow"), verdict.filesLow);
    report.add(s, QStringLiteral("openFilesHigh"), verdict.filesHigh);
    report.add(s, QStringLiteral("storeQueueMax"), verdict.storeQueueMax, QStringLiteral("jobs"));
    report.add(s, QStringLiteral("reconnects"), driver.reconnects);
    report.add(s, QStringLiteral("reconnectFailures"), driver.reconnectFailures);
    report.add(s, QStringLiteral("floods"), driver.floodsRun);
    report.add(s, QStringLiteral("flat"), verdict.flat ? 1 : 0);
    const QString chart = h.text(QStringLiteral("chart"), QString());
    if (!chart.isEmpty()) {
        if (writeSoakChart(chart, driver.samples(), verdict, knobs.settleShare))
            report.addText(s, QStringLiteral("chart"), chart);
        else
            report.note(QStringLiteral("could not write the chart to %1").arg(chart));
    }
    h.describe(report, sampleSelf().cpuSeconds - selfBefore.cpuSeconds, wall);
    const bool clean = r.lost == 0 && r.duplicates == 0 && r.unacked == 0 && driver.reconnectFailures == 0;
    if (!verdict.flat)
        report.note(QStringLiteral("not flat: %1").arg(verdict.why));
    if (!clean)
        report.note(
            QStringLiteral("traffic not clean: lost %1, duplicated %2, unacked %3, failed reconnects %4")
                .arg(r.lost)
                .arg(r.duplicates)
                .arg(r.unacked)
                .arg(driver.reconnectFailures));
    return verdict.flat && clean;
}

} // namespace confab::bench
