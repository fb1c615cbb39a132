#include "clock.h"
#include "scenarios.h"

#include <QCoreApplication>
#include <QThread>

namespace confab::bench {

// Opens up to N authenticated connections (handshake token, no rooms, so no
// presence fan-out), holds them idle and reports the handshake rate and the
// server's RSS growth per connection. This process is capped at 20,000 open
// files like the server, so a single tool process tops out near 19,900.
bool runConnections(Harness& h, Report& report)
{
    const int connections = int(h.number(QStringLiteral("connections"), 1000));
    const int users = std::max(1, int(h.number(QStringLiteral("users"), connections)));
    PopulationSpec spec;
    spec.users = std::min(users, connections);
    auto pop = h.prepare(spec);
    if (!pop) {
        report.note(pop.error().message);
        return false;
    }
    TrafficConfig config = h.trafficConfig();
    QList<ConnectionSpec> conns;
    for (int i = 0; i < connections; ++i)
        conns.append(ConnectionSpec{i % spec.users, {}, {}});
    const QString p = QStringLiteral("parameters"), c = QStringLiteral("connections");
    report.add(p, QStringLiteral("target"), connections);
    report.add(p, QStringLiteral("users"), spec.users);
    report.add(p, QStringLiteral("concurrency"), config.connectConcurrency * config.threads,
               QStringLiteral("handshakes in flight"));

    const ProcSample before = h.sampleServer();
    const ProcSample selfBefore = sampleSelf();
    const qint64 t0 = nowMicros();
    LoadEngine engine(*pop, conns, config);
    const ConnectResult r = engine.connectAll(int(h.number(QStringLiteral("connect-timeout"), 300)) * 1000);
    const ProcSample after = h.sampleServer();
    // Idle for a while: a server that drops idle authenticated connections shows here.
    const double hold = h.number(QStringLiteral("hold"), 2);
    const qint64 holdEnd = nowMicros() + qint64(hold * 1e6);
    while (nowMicros() < holdEnd) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(50);
    }
    report.add(c, QStringLiteral("opened"), r.opened);
    report.add(c, QStringLiteral("failed"), r.failed);
    report.add(c, QStringLiteral("openAfterHold"), engine.openConnections());
    report.add(c, QStringLiteral("holdSeconds"), hold, QStringLiteral("s"));
    report.add(c, QStringLiteral("connectSeconds"), r.seconds, QStringLiteral("s"));
    report.add(c, QStringLiteral("handshakesPerSecond"), r.seconds > 0 ? r.opened / r.seconds : 0,
               QStringLiteral("/s (WebSocket upgrade + token auth, to auth_ok)"));
    for (auto it = r.failures.cbegin(); it != r.failures.cend(); ++it)
        report.add(QStringLiteral("failuresByReason"), it.key(), it.value());
    if (before.valid && after.valid && r.opened > 0)
        report.add(c, QStringLiteral("serverBytesPerConnection"),
                   double(after.rssKiB - before.rssKiB) * 1024.0 / r.opened,
                   QStringLiteral("B (RSS delta / opened)"));
    const double wall = double(nowMicros() - t0) / 1e6;
    report.addServer(before, h.sampleServer(), wall);
    h.describe(report, sampleSelf().cpuSeconds - selfBefore.cpuSeconds, wall);
    return r.opened > 0;
}

} // namespace confab::bench
