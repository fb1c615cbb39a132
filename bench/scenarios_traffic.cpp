#include "clock.h"
#include "scenarios.h"

#include <cstdio>

namespace confab::bench {

bool runTraffic(Harness& h, Report& report, const Population& pop, const QList<ConnectionSpec>& conns,
                const TrafficConfig& config, const std::function<void()>& during)
{
    LoadEngine engine(pop, conns, config);
    const ConnectResult connected =
        engine.connectAll(int(h.number(QStringLiteral("connect-timeout"), 300)) * 1000);
    report.add(QStringLiteral("connections"), QStringLiteral("opened"), connected.opened);
    report.add(QStringLiteral("connections"), QStringLiteral("failed"), connected.failed);
    if (connected.seconds > 0)
        report.add(QStringLiteral("connections"), QStringLiteral("handshakesPerSecond"),
                   connected.opened / connected.seconds, QStringLiteral("/s"));
    if (connected.opened == 0) {
        report.note(QStringLiteral("no connection could authenticate"));
        return false;
    }
    const ProcSample serverBefore = h.sampleServer();
    const ProcSample selfBefore = sampleSelf();
    const qint64 t0 = nowMicros();
    engine.startTraffic();
    if (during)
        during();
    const TrafficResult r = engine.runToEnd(15000);
    const double wall = double(nowMicros() - t0) / 1e6;
    Harness::addTraffic(report, r, config);
    report.addServer(serverBefore, h.sampleServer(), wall);
    h.describe(report, sampleSelf().cpuSeconds - selfBefore.cpuSeconds, wall);
    return true;
}

bool runFanout(Harness& h, Report& report)
{
    const int members = int(h.number(QStringLiteral("members"), 1000));
    PopulationSpec spec;
    spec.users = members;
    QList<int> all;
    for (int i = 0; i < members; ++i)
        all.append(i);
    spec.groups.append(all);
    auto pop = h.prepare(spec);
    if (!pop) {
        report.note(pop.error().message);
        return false;
    }
    TrafficConfig config = h.trafficConfig();
    config.rate = h.number(QStringLiteral("rate"), 100);
    QList<ConnectionSpec> conns;
    for (int i = 0; i < members; ++i)
        conns.append(ConnectionSpec{i, i == 0 ? QList<int>{0} : QList<int>{}, {}});
    report.add(QStringLiteral("parameters"), QStringLiteral("members"), members);
    report.add(QStringLiteral("parameters"), QStringLiteral("rate"), config.rate,
               QStringLiteral("msg/s from one sender"));
    report.add(QStringLiteral("parameters"), QStringLiteral("contentBytes"), config.contentBytes);
    report.addText(QStringLiteral("parameters"), QStringLiteral("text"),
                   config.text == TextKind::Words ? QStringLiteral("words") : QStringLiteral("filler"));
    return runTraffic(h, report, *pop, conns, config);
}

PopulationSpec chatmixSpec(const Harness& h, int extraUsers)
{
    const int users = int(h.number(QStringLiteral("users"), 200));
    const int groups = int(h.number(QStringLiteral("groups"), users / 20));
    const int groupSize = int(h.number(QStringLiteral("group-size"), 20));
    const int dms = int(h.number(QStringLiteral("dms"), users / 2));
    PopulationSpec spec;
    spec.users = users + extraUsers;
    // Consecutive users form a group (wrapping), so with users = groups *
    // groupSize everyone is in exactly one group, as in the 10k/500.
    for (int g = 0; g < groups; ++g) {
        QList<int> members;
        for (int m = 0; m < groupSize; ++m)
            members.append((g * groupSize + m) % users);
        spec.groups.append(members);
    }
    // Each DM pairs a user with one half the population away: other groups.
    for (int d = 0; d < dms; ++d)
        spec.dms.append({d % users, (d + users / 2) % users});
    return spec;
}

QList<ConnectionSpec> chatmixConnections(const PopulationSpec& spec)
{
    QList<ConnectionSpec> conns(spec.users);
    for (int u = 0; u < spec.users; ++u)
        conns[u].user = u;
    for (int g = 0; g < spec.groups.size(); ++g)
        for (int m : spec.groups.at(g))
            if (!conns[m].groups.contains(g))
                conns[m].groups.append(g);
    for (int d = 0; d < spec.dms.size(); ++d) {
        const int room = int(spec.groups.size()) + d;
        conns[spec.dms.at(d).first].dms.append(room);
        if (spec.dms.at(d).second != spec.dms.at(d).first)
            conns[spec.dms.at(d).second].dms.append(room);
    }
    return conns;
}

bool runChatmix(Harness& h, Report& report)
{
    const PopulationSpec spec = chatmixSpec(h);
    auto pop = h.prepare(spec);
    if (!pop) {
        report.note(pop.error().message);
        return false;
    }
    TrafficConfig config = h.trafficConfig();
    config.rate = h.number(QStringLiteral("rate"), 200);
    config.dmShare = h.number(QStringLiteral("dm-share"), 0.2);
    const QString p = QStringLiteral("parameters");
    report.add(p, QStringLiteral("users"), spec.users);
    report.add(p, QStringLiteral("groups"), double(spec.groups.size()));
    report.add(p, QStringLiteral("groupSize"),
               spec.groups.isEmpty() ? 0 : double(spec.groups.first().size()));
    report.add(p, QStringLiteral("dms"), double(spec.dms.size()));
    report.add(p, QStringLiteral("dmShare"), config.dmShare);
    report.add(p, QStringLiteral("rate"), config.rate, QStringLiteral("msg/s in total"));
    return runTraffic(h, report, *pop, chatmixConnections(spec), config);
}

bool runIngest(Harness& h, Report& report)
{
    const int senders = int(h.number(QStringLiteral("senders"), 4));
    PopulationSpec spec;
    spec.users = senders;
    // Each sender alone in its room: every send is one row and one delivery,
    // so what is measured is the store, not the fan-out.
    for (int i = 0; i < senders; ++i)
        spec.groups.append(QList<int>{i});
    auto pop = h.prepare(spec);
    if (!pop) {
        report.note(pop.error().message);
        return false;
    }
    TrafficConfig config = h.trafficConfig();
    config.rate = h.number(QStringLiteral("rate"), 0);
    config.window = config.rate > 0 ? 0 : int(h.number(QStringLiteral("window"), 32));
    QList<ConnectionSpec> conns;
    for (int i = 0; i < senders; ++i)
        conns.append(ConnectionSpec{i, {i}, {}});
    const QString p = QStringLiteral("parameters");
    report.add(p, QStringLiteral("senders"), senders);
    if (config.window > 0)
        report.add(p, QStringLiteral("window"), config.window, QStringLiteral("unacked sends per sender"));
    else
        report.add(p, QStringLiteral("rate"), config.rate, QStringLiteral("msg/s offered (open loop)"));
    report.note(QStringLiteral("every ack follows a durable commit (SQLite WAL, synchronous=FULL) and this "
                               "server maintains the FTS5 trigram search index in the same transaction"));
    return runTraffic(h, report, *pop, conns, config);
}

} // namespace confab::bench
