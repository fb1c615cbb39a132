// confab-bench flood: one hostile connection against a server while another
// user keeps sending (issue 12's figures). --kind:
// - ping: pings from a connection that has not signed in and never reads,
//   for --duration s (9): the server's RSS before, at its peak, and after
//   the connection closed;
// - typing: --frames (200,000) `typing` frames into a room: how many a
//   reading member receives, and whether a member that never reads is
//   disconnected;
// - mark_read: --frames (30,000) pipelined `mark_read`;
// - search: --frames (4,000) pipelined, mark_read and 1-2 character
//   search_messages by turns, over --messages (5,000) seeded messages.
// Throughout, alice sends one message at a time (every 20 ms) and the
// report gives her send->ack latency before and during the flood.
#include "clock.h"
#include "flood_socket.h"
#include "scenarios.h"
#include "sync_client.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <poll.h>

namespace confab::bench {
namespace {

using server::ws::Opcode;

// Alice: one send_message in flight at a time, each timed to its ack.
class Prober {
public:
    Prober(SyncClient& client, Id room)
        : m_client(client)
        , m_room(room)
    {}

    Histogram* into = nullptr; // where latencies go; nullptr: not probing
    qint64 intervalMicros = 20'000;
    int errors = 0;

    void tick(qint64 now)
    {
        if (!m_pending.isEmpty()) {
            if (!m_client.hasReply(m_pending))
                return;
            auto reply = m_client.wait(m_pending, 0);
            if (reply && reply->type == QLatin1String("message_ack") && m_into)
                m_into->record(now - m_sentAt);
            else if (!reply)
                ++errors;
            m_pending.clear();
            m_next = now + intervalMicros;
        }
        if (into && now >= m_next) {
            m_into = into;
            m_sentAt = now;
            m_pending = m_client.post(QStringLiteral("send_message"),
                                      {{QStringLiteral("roomId"), m_room},
                                       {QStringLiteral("content"), QStringLiteral("probe %1").arg(m_n)},
                                       {QStringLiteral("tempId"), QStringLiteral("probe%1").arg(m_n)}});
            ++m_n;
        }
    }
    bool idle() const { return m_pending.isEmpty(); }

private:
    SyncClient& m_client;
    Id m_room;
    QString m_pending;
    Histogram* m_into = nullptr;
    qint64 m_sentAt = 0;
    qint64 m_next = 0;
    int m_n = 0;
};

// Runs Qt's events (alice's socket), then sleeps 1 ms: the flood sockets are
// polled, so latencies carry up to 1 ms of the tool's own rhythm.
void breathe()
{
    QCoreApplication::processEvents(QEventLoop::AllEvents);
    ::poll(nullptr, 0, 1);
}

// Runs `step` with the prober ticking until `done` or the deadline.
bool pump(Prober& prober, const std::function<bool()>& done, double seconds,
          const std::function<void()>& step = {})
{
    const qint64 deadline = nowMicros() + qint64(seconds * 1e6);
    while (!done()) {
        if (nowMicros() > deadline)
            return false;
        if (step)
            step();
        prober.tick(nowMicros());
        breathe();
    }
    return true;
}

bool signIn(FloodSocket& socket, const QUrl& url, const QString& token, Prober& prober)
{
    if (!socket.open(url, QStringLiteral("/?token=") + token))
        return false;
    return pump(
               prober,
               [&] { return !socket.drain() || socket.textsByType.value(QStringLiteral("auth_ok")) > 0; },
               30) &&
           !socket.isGone();
}

void addReplies(Report& report, const QString& section, const FloodSocket& socket)
{
    for (auto it = socket.textsByType.cbegin(); it != socket.textsByType.cend(); ++it)
        report.add(section, it.key(), double(it.value()));
}

} // namespace

bool runFlood(Harness& h, Report& report)
{
    const QString kind = h.text(QStringLiteral("kind"), QStringLiteral("mark_read"));
    const QStringList kinds = {QStringLiteral("ping"), QStringLiteral("typing"), QStringLiteral("mark_read"),
                               QStringLiteral("search")};
    if (!kinds.contains(kind)) {
        report.note(QStringLiteral("--kind must be one of: ") + kinds.join(QStringLiteral(", ")));
        return false;
    }
    const double defaultFrames = kind == QLatin1String("typing")      ? 200'000
                                 : kind == QLatin1String("mark_read") ? 30'000
                                                                      : 4'000;
    const qint64 frames = qint64(h.number(QStringLiteral("frames"), defaultFrames));
    const double seconds = h.number(QStringLiteral("duration"), 9);
    const double timeout = h.number(QStringLiteral("flood-timeout"), 300);
    const qint64 seeded =
        kind == QLatin1String("search") ? qint64(h.number(QStringLiteral("messages"), 5000)) : 0;

    // alice (probes), the flooder, bob (never reads), carol (reads).
    PopulationSpec spec;
    spec.users = 4;
    spec.groups = {{0, 1, 2, 3}};
    auto pop = h.prepare(spec, [&](const QString& db, const Population& p) -> Result<void> {
        if (seeded <= 0)
            return {};
        auto done = seedMessages(db, p, seeded);
        if (!done)
            return done.error();
        return {};
    });
    if (!pop) {
        report.note(pop.error().message);
        return false;
    }
    const Id room = pop->rooms.at(0).id;
    const QUrl url = h.url();
    const QString p = QStringLiteral("parameters"), f = QStringLiteral("flood"),
                  l = QStringLiteral("latency");
    report.addText(p, QStringLiteral("kind"), kind);

    SyncClient alice;
    if (auto opened = alice.open(url); !opened) {
        report.note(opened.error().message);
        return false;
    }
    if (auto authed =
            alice.request(QStringLiteral("auth"), {{QStringLiteral("token"), pop->users.at(0).token}});
        !authed) {
        report.note(authed.error().message);
        return false;
    }
    Prober prober(alice, room);
    Histogram idle, during;
    prober.into = &idle;
    int idleProbes = 0;
    pump(
        prober, [&] { return ++idleProbes > 400 && idle.count() >= 20; }, 30);
    prober.into = nullptr;
    pump(
        prober, [&] { return prober.idle(); }, 30);

    const ProcSample selfBefore = sampleSelf();
    const ProcSample before = h.sampleServer();
    const qint64 t0 = nowMicros();
    qint64 peakKiB = before.rssKiB;
    qint64 nextSample = t0;
    auto sampleRss = [&] {
        if (nowMicros() >= nextSample) {
            nextSample += 100'000;
            peakKiB = std::max(peakKiB, h.sampleServer().rssKiB);
        }
    };
    prober.into = &during;
    bool ok = true;

    if (kind == QLatin1String("ping")) {
        report.add(p, QStringLiteral("seconds"), seconds, QStringLiteral("s"));
        FloodSocket flood;
        if (!flood.open(url, QStringLiteral("/"))) {
            report.note(QStringLiteral("cannot connect the flood"));
            return false;
        }
        QByteArray pings;
        for (int i = 0; i < 8192; ++i)
            pings += FloodSocket::frame(Opcode::Ping, QByteArrayLiteral("are you there?"));
        qint64 offset = 0;
        pump(
            prober, [] { return false; }, seconds,
            [&] {
                for (int i = 0; i < 64; ++i) {
                    const qint64 n = flood.writeSome(QByteArrayView(pings).sliced(offset));
                    if (n <= 0)
                        break;
                    offset = (offset + n) % pings.size();
                }
                sampleRss();
            });
        const ProcSample atEnd = h.sampleServer();
        report.add(f, QStringLiteral("bytesSent"), double(flood.written), QStringLiteral("B of pings"));
        report.add(f, QStringLiteral("closedByServer"), flood.isGone() ? 1 : 0);
        flood.close();
        prober.into = nullptr;
        pump(
            prober, [] { return false; }, 2); // the server notices and frees it
        const ProcSample after = h.sampleServer();
        const QString s = QStringLiteral("server");
        report.add(s, QStringLiteral("rssBeforeFloodKiB"), double(before.rssKiB));
        report.add(s, QStringLiteral("rssPeakKiB"), double(std::max(peakKiB, atEnd.rssKiB)));
        report.add(s, QStringLiteral("rssGrowthKiB"), double(std::max(peakKiB, atEnd.rssKiB) - before.rssKiB),
                   QStringLiteral("KiB during the flood"));
        report.add(s, QStringLiteral("rssAfterCloseKiB"), double(after.rssKiB),
                   QStringLiteral("KiB 2 s after the flood's connection closed"));
    } else if (kind == QLatin1String("typing")) {
        report.add(p, QStringLiteral("frames"), double(frames));
        FloodSocket flooder, bob, carol;
        if (!signIn(flooder, url, pop->users.at(1).token, prober) ||
            !signIn(bob, url, pop->users.at(2).token, prober) ||
            !signIn(carol, url, pop->users.at(3).token, prober)) {
            report.note(QStringLiteral("cannot sign the flood's connections in"));
            return false;
        }
        const QByteArray one = FloodSocket::request(
            QStringLiteral("typing"), {{QStringLiteral("roomId"), room}, {QStringLiteral("isTyping"), true}});
        QByteArray chunk;
        for (int i = 0; i < 1000; ++i)
            chunk += one;
        const qint64 total = frames * one.size();
        QByteArray tail =
            FloodSocket::request(QStringLiteral("typing"),
                                 {{QStringLiteral("roomId"), room}, {QStringLiteral("isTyping"), false}}) +
            FloodSocket::request(QStringLiteral("ping"), {}, QStringLiteral("done"));
        const qint64 start = flooder.written;
        ok = pump(
            prober, [&] { return flooder.isGone() || flooder.textsByType.value(QStringLiteral("pong")) > 0; },
            timeout,
            [&] {
                const qint64 sent = flooder.written - start;
                if (sent < total) {
                    const qint64 offset = sent % chunk.size();
                    flooder.writeSome(
                        QByteArrayView(chunk).sliced(offset, std::min(chunk.size() - offset, total - sent)));
                } else if (!tail.isEmpty()) {
                    const qint64 n = flooder.writeSome(tail);
                    if (n > 0)
                        tail.remove(0, n);
                }
                flooder.drain();
                carol.drain();
                sampleRss();
            });
        const double floodSeconds = double(nowMicros() - t0) / 1e6;
        // The stop reaches carol after the pong reached the flooder, or soon.
        pump(
            prober,
            [&] {
                carol.drain();
                return false;
            },
            1);
        const bool bobThere = bob.drain();
        report.add(f, QStringLiteral("seconds"), floodSeconds,
                   QStringLiteral("s to the flooder's last reply"));
        report.add(f, QStringLiteral("typingRelayedToReader"),
                   double(carol.textsByType.value(QStringLiteral("typing"))));
        report.add(f, QStringLiteral("typingReceivedByNonReader"),
                   double(bob.textsByType.value(QStringLiteral("typing"))),
                   QStringLiteral("(read once the flood was over)"));
        report.add(f, QStringLiteral("nonReaderDisconnected"), bobThere ? 0 : 1);
        addReplies(report, QStringLiteral("flooderReplies"), flooder);
    } else {
        const bool searches = kind == QLatin1String("search");
        report.add(p, QStringLiteral("frames"), double(frames));
        if (searches)
            report.add(p, QStringLiteral("seededMessages"), double(seeded));
        prober.into = nullptr;
        pump(
            prober, [&] { return prober.idle(); }, 30);
        auto marked = alice.request(QStringLiteral("send_message"),
                                    {{QStringLiteral("roomId"), room},
                                     {QStringLiteral("content"), QStringLiteral("mark me")},
                                     {QStringLiteral("tempId"), QStringLiteral("mark-me")}});
        if (!marked) {
            report.note(marked.error().message);
            return false;
        }
        const double messageId = marked->payload.value(QLatin1String("messageId")).toDouble();
        prober.into = &during;
        FloodSocket flooder;
        if (!signIn(flooder, url, pop->users.at(1).token, prober)) {
            report.note(QStringLiteral("cannot sign the flooder in"));
            return false;
        }
        const QStringList queries = {QStringLiteral("会"), QStringLiteral("开会"), QStringLiteral("de")};
        QByteArray flood;
        for (qint64 i = 0; i < frames; ++i) {
            if (searches && i % 2 == 1)
                flood +=
                    FloodSocket::request(QStringLiteral("search_messages"),
                                         {{QStringLiteral("query"), queries.at(int(i / 2 % queries.size()))}},
                                         QStringLiteral("s%1").arg(i));
            else
                flood += FloodSocket::request(
                    QStringLiteral("mark_read"),
                    {{QStringLiteral("roomId"), room}, {QStringLiteral("messageId"), messageId}},
                    QStringLiteral("m%1").arg(i));
        }
        qint64 offset = 0;
        const qint64 repliesBefore = flooder.replies;
        ok = pump(
            prober, [&] { return flooder.isGone() || flooder.replies - repliesBefore >= frames; }, timeout,
            [&] {
                if (offset < flood.size()) {
                    const qint64 n = flooder.writeSome(QByteArrayView(flood).sliced(offset));
                    if (n > 0)
                        offset += n;
                }
                flooder.drain();
                sampleRss();
            });
        report.add(f, QStringLiteral("seconds"), double(nowMicros() - t0) / 1e6,
                   QStringLiteral("s until the flood was answered"));
        report.add(f, QStringLiteral("answered"), double(flooder.replies - repliesBefore));
        addReplies(report, QStringLiteral("flooderReplies"), flooder);
    }
    prober.into = nullptr;
    pump(
        prober, [&] { return prober.idle(); }, 30);
    if (!ok)
        report.note(QStringLiteral("the flood did not finish within --flood-timeout"));
    report.addLatency(l, QStringLiteral("aliceSendToAckIdle"), idle);
    report.addLatency(l, QStringLiteral("aliceSendToAckDuringFlood"), during);
    report.add(QStringLiteral("errors"), QStringLiteral("aliceErrors"), prober.errors);
    const double wall = double(nowMicros() - t0) / 1e6;
    if (kind != QLatin1String("ping"))
        report.addServer(before, h.sampleServer(), wall);
    report.add(QStringLiteral("server"), QStringLiteral("rssPeakDuringFloodKiB"), double(peakKiB));
    h.describe(report, sampleSelf().cpuSeconds - selfBefore.cpuSeconds, wall);
    return ok;
}

} // namespace confab::bench
