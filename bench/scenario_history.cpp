#include "clock.h"
#include "scenarios.h"
#include "sync_client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <cstdio>

namespace confab::bench {
namespace {

struct Probe {
    Histogram latency;
    int errors = 0;
};

// One request in flight at a time: the latency a person paging or searching sees.
void timeRequest(SyncClient& client, Probe& probe, const QString& type, const QJsonObject& payload)
{
    const qint64 t = nowMicros();
    auto reply = client.request(type, payload, 30000);
    if (reply)
        probe.latency.record(nowMicros() - t);
    else
        ++probe.errors;
}

} // namespace

// Seeds M messages into a few rooms of a reader (through SqliteStore before
// the server starts), then pages through history and searches in English and
// Chinese, optionally while chatmix traffic runs on the same server.
bool runHistory(Harness& h, Report& report)
{
    const qint64 messages = qint64(h.number(QStringLiteral("messages"), 20000));
    const double chatRate = h.number(QStringLiteral("chatmix-rate"), 0);
    PopulationSpec spec = chatmixSpec(h, 1);
    const int reader = spec.users - 1;
    const int rooms = std::max(1, int(h.number(QStringLiteral("rooms"), 10)));
    // The reader's history rooms are groups after chatmix's own.
    for (int r = 0; r < rooms; ++r)
        spec.groups.append(QList<int>{reader, r % std::max(1, reader)});
    // Groups come first in Population::rooms, so the history rooms are groups [G, G+rooms).
    const int historyGroup0 = int(spec.groups.size()) - rooms;

    QElapsedTimer seedClock;
    qint64 seedMs = 0;
    auto pop = h.prepare(spec, [&](const QString& db, const Population& p) -> Result<void> {
        Population history;
        history.users = p.users;
        for (int r = 0; r < rooms; ++r)
            history.rooms.append(p.rooms.at(historyGroup0 + r));
        seedClock.start();
        auto seeded = seedMessages(db, history, messages, 50000);
        seedMs = seedClock.elapsed();
        if (!seeded)
            return seeded.error();
        return {};
    });
    if (!pop) {
        report.note(pop.error().message);
        return false;
    }
    const QString p = QStringLiteral("parameters");
    report.add(p, QStringLiteral("messages"), double(messages));
    report.add(p, QStringLiteral("rooms"), rooms);
    report.add(p, QStringLiteral("seedSeconds"), double(seedMs) / 1000.0,
               QStringLiteral("s (SqliteStore, synchronous=OFF)"));
    report.add(p, QStringLiteral("chatmixRate"), chatRate, QStringLiteral("msg/s alongside"));

    SyncClient client;
    if (auto opened = client.open(h.url()); !opened) {
        report.note(opened.error().message);
        return false;
    }
    if (auto authed =
            client.request(QStringLiteral("auth"), {{QStringLiteral("token"), pop->users.at(reader).token}});
        !authed) {
        report.note(authed.error().message);
        return false;
    }
    const int pages = int(h.number(QStringLiteral("pages"), 200));
    const int searches = int(h.number(QStringLiteral("searches"), 10));
    Probe newest, older, english, chinese, chineseShort;
    auto probes = [&] {
        QRandomGenerator rng(7);
        for (int i = 0; i < pages; ++i) {
            const Id room = pop->rooms.at(historyGroup0 + i % rooms).id;
            timeRequest(client, newest, QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), room}});
            // Seeded ids are about 1..M across the rooms: page back from anywhere.
            const qint64 before = 1 + qint64(rng.bounded(quint32(std::max<qint64>(1, messages))));
            timeRequest(client, older, QStringLiteral("fetch_messages"),
                        {{QStringLiteral("roomId"), room}, {QStringLiteral("beforeId"), before}});
        }
        const QStringList en = {QStringLiteral("deploy"), QStringLiteral("release notes"),
                                QStringLiteral("latency"), QStringLiteral("customer report")};
        const QStringList zh = {QStringLiteral("会议室"), QStringLiteral("服务器"),
                                QStringLiteral("开会部署")};
        const QStringList zhShort = {QStringLiteral("开会"), QStringLiteral("会")};
        for (int i = 0; i < searches; ++i) {
            for (const QString& q : en)
                timeRequest(client, english, QStringLiteral("search_messages"),
                            {{QStringLiteral("query"), q}});
            for (const QString& q : zh)
                timeRequest(client, chinese, QStringLiteral("search_messages"),
                            {{QStringLiteral("query"), q}});
            for (const QString& q : zhShort)
                timeRequest(client, chineseShort, QStringLiteral("search_messages"),
                            {{QStringLiteral("query"), q}});
        }
    };
    auto addProbes = [&] {
        const QString l = QStringLiteral("latency");
        report.addLatency(l, QStringLiteral("fetchNewestPage"), newest.latency);
        report.addLatency(l, QStringLiteral("fetchOlderPage"), older.latency);
        report.addLatency(l, QStringLiteral("searchEnglish"), english.latency);
        report.addLatency(l, QStringLiteral("searchChinese3plus"), chinese.latency);
        report.addLatency(l, QStringLiteral("searchChinese1to2"), chineseShort.latency);
        report.add(QStringLiteral("errors"), QStringLiteral("probeErrors"),
                   newest.errors + older.errors + english.errors + chinese.errors + chineseShort.errors);
    };
    if (chatRate <= 0) {
        const ProcSample before = h.sampleServer();
        const ProcSample self = sampleSelf();
        const qint64 t0 = nowMicros();
        probes();
        const double wall = double(nowMicros() - t0) / 1e6;
        addProbes();
        report.addServer(before, h.sampleServer(), wall);
        h.describe(report, sampleSelf().cpuSeconds - self.cpuSeconds, wall);
        return true;
    }
    TrafficConfig config = h.trafficConfig();
    config.rate = chatRate;
    config.dmShare = h.number(QStringLiteral("dm-share"), 0.2);
    // chatmix's users send in their own groups and DMs only; the reader only reads.
    QList<ConnectionSpec> conns = chatmixConnections(spec);
    conns.removeLast();
    for (ConnectionSpec& c : conns)
        c.groups.removeIf([&](int g) { return g >= historyGroup0; });
    const bool ok = runTraffic(h, report, *pop, conns, config, [&] {
        // Probe once warm-up is over, so both run at full load together.
        const qint64 warm = nowMicros() + qint64(config.warmupSeconds * 1e6);
        while (nowMicros() < warm)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        probes();
    });
    addProbes();
    report.note(
        QStringLiteral("probes ran during chatmix; if they outlast --duration, the tail ran without it"));
    return ok;
}

} // namespace confab::bench
