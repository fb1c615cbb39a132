// The pure parts of the cluster bus: the NOTIFY line format and the remote
// presence bookkeeping (instances, snapshots, expiry).
#include "cluster/bus_line.h"
#include "cluster/change_cursor.h"
#include "cluster/change_reader.h"
#include "cluster/remote_presence.h"

#include <QTest>

#include <algorithm>

using namespace confab;
using namespace confab::server;
using namespace confab::server::cluster;

namespace {
QList<Id> sorted(QList<Id> ids)
{
    std::sort(ids.begin(), ids.end());
    return ids;
}

// cluster_events as concurrent committers fill it: each row becomes visible
// from a given statement on (the Nth read, counting from 1), so a test can
// commit between the statements of one readVisibleChanges().
class ScriptedLog {
public:
    struct Row {
        qint64 id;
        QString committer;
        int visibleFromRead;
    };
    explicit ScriptedLog(QList<Row> rows)
        : m_rows(std::move(rows))
    {}

    ChangeLogReads reads()
    {
        return {[this](qint64 afterId, int limit) {
                    ++m_reads;
                    QList<LoggedChange> out;
                    for (const Row& row : m_rows) {
                        if (row.id > afterId && visible(row) && out.size() < limit)
                            out.append(logged(row));
                    }
                    return Result<QList<LoggedChange>>(out);
                },
                [this](const QList<qint64>& ids) {
                    ++m_reads;
                    QList<LoggedChange> out;
                    for (const Row& row : m_rows) {
                        if (ids.contains(row.id) && visible(row))
                            out.append(logged(row));
                    }
                    return Result<QList<LoggedChange>>(out);
                },
                {}};
    }
    int readsMade() const { return m_reads; }

private:
    bool visible(const Row& row) const { return row.visibleFromRead <= m_reads; }
    static LoggedChange logged(const Row& row) { return LoggedChange{row.id, row.committer, {}}; }

    QList<Row> m_rows; // ascending id
    int m_reads = 0;
};

// Reads until nothing new comes; returns each committer's ids in the order
// they were handed out.
QMap<QString, QList<qint64>> readAll(ChangeCursor& cursor, ScriptedLog& log, int pageSize)
{
    QMap<QString, QList<qint64>> seen;
    for (int round = 0; round < 10; ++round) {
        auto read = readVisibleChanges(cursor, log.reads(), 0, pageSize);
        if (!read)
            break;
        for (const LoggedChange& change : read.value())
            seen[change.origin].append(change.eventId);
    }
    return seen;
}
} // namespace

class TestClusterUnits : public QObject {
    Q_OBJECT

private slots:
    void linesRoundTrip_data();
    void linesRoundTrip();
    void malformedLinesAreIgnored_data();
    void malformedLinesAreIgnored();
    void payloadsStayUnderTheNotifyLimit();
    void snapshotsSplitIntoParts();
    void originHasNoSpaces();

    void presenceCountsInstances();
    void snapshotReplacesWhenComplete();
    void snapshotOutOfSequenceIsIgnored();
    void silentInstancesExpire();
    void byeDropsAnInstance();

    void cursorDeliversEachIdOnce();
    void cursorAwaitsSkippedIdsUntilTheyAppear();
    void cursorGivesUpOnIdsThatNeverAppear();
    void cursorBoundsWhatItAwaits();
    void readerKeepsACommittersOrderWhenItCommitsBetweenReads();
    void readerSortsGapsAPageSkippedBeforeLaterPages();
    void readerLetsTheBusSendBetweenPages();
};

void TestClusterUnits::linesRoundTrip_data()
{
    QTest::addColumn<BusLine>("line");
    QTest::newRow("changes") << BusLine::changes(QStringLiteral("a-1"));
    QTest::newRow("typing on") << BusLine::typing(QStringLiteral("a-1"), 7, 42, true);
    QTest::newRow("typing off") << BusLine::typing(QStringLiteral("a-1"), 7, 42, false);
    QTest::newRow("presence") << BusLine::presence(QStringLiteral("host.lan-99-abcd"), 5, true,
                                                   1764107700000);
    QTest::newRow("heartbeat") << BusLine::heartbeat(QStringLiteral("x"));
    QTest::newRow("hello") << BusLine::hello(QStringLiteral("x"));
    QTest::newRow("bye") << BusLine::bye(QStringLiteral("x"));
    QTest::newRow("snapshot") << BusLine::snapshot(QStringLiteral("x"), 3, {1, 2, 9007199254740991}).first();
    QTest::newRow("empty snapshot") << BusLine::snapshot(QStringLiteral("x"), 4, {}).first();
}

void TestClusterUnits::linesRoundTrip()
{
    QFETCH(BusLine, line);
    const auto decoded = BusLine::decode(line.encode());
    QVERIFY2(decoded.has_value(), qPrintable(line.encode()));
    QCOMPARE(decoded->encode(), line.encode());
    QCOMPARE(int(decoded->kind), int(line.kind));
    QCOMPARE(decoded->origin, line.origin);
    QCOMPARE(decoded->roomId, line.roomId);
    QCOMPARE(decoded->userId, line.userId);
    QCOMPARE(decoded->flag, line.flag);
    QCOMPARE(decoded->at, line.at);
    QCOMPARE(decoded->userIds, line.userIds);
}

void TestClusterUnits::malformedLinesAreIgnored_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("no origin") << QStringLiteral("hb");
    QTest::newRow("unknown kind") << QStringLiteral("zz a 1");
    QTest::newRow("typing missing field") << QStringLiteral("t a 1 2");
    QTest::newRow("typing bad flag") << QStringLiteral("t a 1 2 yes");
    QTest::newRow("presence bad id") << QStringLiteral("p a x 1 5");
    QTest::newRow("snapshot part beyond parts") << QStringLiteral("s a 1 3 2 1,2");
    QTest::newRow("snapshot bad id") << QStringLiteral("s a 1 1 1 1,,2");
    QTest::newRow("snapshot negative id") << QStringLiteral("s a 1 1 1 -4");
    QTest::newRow("extra field") << QStringLiteral("hb a b");
}

void TestClusterUnits::malformedLinesAreIgnored()
{
    QFETCH(QString, text);
    QVERIFY(!BusLine::decode(text).has_value());
    // A payload mixing good and bad lines keeps the good ones.
    const QList<BusLine> lines = unpackPayload(text + QStringLiteral("\nhb ok\n"));
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.first().origin, QStringLiteral("ok"));
}

void TestClusterUnits::payloadsStayUnderTheNotifyLimit()
{
    QStringList lines;
    for (int i = 0; i < 2000; ++i)
        lines.append(BusLine::typing(QStringLiteral("origin-%1").arg(i), i + 1, i + 2, i % 2).encode());
    const QStringList payloads = packPayloads(lines);
    QVERIFY(payloads.size() > 1);
    QStringList back;
    for (const QString& payload : payloads) {
        QVERIFY(payload.toUtf8().size() <= kMaxPayloadBytes);
        for (const BusLine& line : unpackPayload(payload))
            back.append(line.encode());
    }
    QCOMPARE(back, lines); // all of them, in order
}

void TestClusterUnits::snapshotsSplitIntoParts()
{
    QList<Id> ids;
    for (Id i = 1; i <= 5000; ++i)
        ids.append(1'000'000'000'000 + i);
    const QList<BusLine> parts = BusLine::snapshot(QStringLiteral("o"), 9, ids);
    QVERIFY(parts.size() > 1);
    QList<Id> joined;
    for (int i = 0; i < parts.size(); ++i) {
        QCOMPARE(parts[i].part, i + 1);
        QCOMPARE(parts[i].parts, int(parts.size()));
        QVERIFY(parts[i].encode().toUtf8().size() <= 4000);
        joined += BusLine::decode(parts[i].encode())->userIds;
    }
    QCOMPARE(joined, ids);
}

void TestClusterUnits::originHasNoSpaces()
{
    const QString origin = makeOrigin();
    QVERIFY(!origin.isEmpty());
    QVERIFY(!origin.contains(QLatin1Char(' ')));
    QVERIFY(origin != makeOrigin()); // two processes on one host differ by pid and a random part
}

void TestClusterUnits::presenceCountsInstances()
{
    RemotePresence p(1000);
    QVERIFY(p.set(QStringLiteral("a"), 1, true, 0));   // offline -> online elsewhere
    QVERIFY(!p.set(QStringLiteral("b"), 1, true, 0));  // already online elsewhere
    QVERIFY(!p.set(QStringLiteral("a"), 1, true, 0));  // repeated: no change
    QVERIFY(!p.set(QStringLiteral("a"), 1, false, 0)); // still on b
    QVERIFY(p.isOnline(1));
    QVERIFY(p.set(QStringLiteral("b"), 1, false, 0));
    QVERIFY(!p.isOnline(1));
    QVERIFY(!p.set(QStringLiteral("b"), 1, false, 0)); // offline twice changes nothing
}

void TestClusterUnits::snapshotReplacesWhenComplete()
{
    RemotePresence p(1000);
    p.set(QStringLiteral("a"), 1, true, 0);
    p.set(QStringLiteral("a"), 2, true, 0);
    // Part 1 of 2 changes nothing yet.
    QVERIFY(p.snapshotPart(QStringLiteral("a"), 5, 1, 2, {2, 3}, 0).isEmpty());
    QVERIFY(p.isOnline(1));
    QVERIFY(!p.isOnline(3));
    // The last part: 1 went offline, 3 and 4 came online, 2 unchanged.
    QCOMPARE(sorted(p.snapshotPart(QStringLiteral("a"), 5, 2, 2, {4}, 0)), (QList<Id>{1, 3, 4}));
    QVERIFY(!p.isOnline(1));
    QVERIFY(p.isOnline(2) && p.isOnline(3) && p.isOnline(4));
}

void TestClusterUnits::snapshotOutOfSequenceIsIgnored()
{
    RemotePresence p(1000);
    p.set(QStringLiteral("a"), 1, true, 0);
    // We joined after part 1 went by: part 2 alone must not replace anything.
    QVERIFY(p.snapshotPart(QStringLiteral("a"), 7, 2, 2, {9}, 0).isEmpty());
    QVERIFY(p.isOnline(1));
    QVERIFY(!p.isOnline(9));
    // A new serial restarts the assembly.
    QVERIFY(p.snapshotPart(QStringLiteral("a"), 8, 1, 2, {9}, 0).isEmpty());
    QVERIFY(p.snapshotPart(QStringLiteral("a"), 7, 2, 2, {10}, 0).isEmpty()); // stale serial
    QCOMPARE(sorted(p.snapshotPart(QStringLiteral("a"), 8, 2, 2, {}, 0)), (QList<Id>{1, 9}));
}

void TestClusterUnits::silentInstancesExpire()
{
    RemotePresence p(1000);
    p.set(QStringLiteral("a"), 1, true, 0);
    p.set(QStringLiteral("b"), 1, true, 0);
    p.set(QStringLiteral("b"), 2, true, 0);
    p.heard(QStringLiteral("a"), 900);
    QVERIFY(p.expire(1000).isEmpty());        // nobody silent for more than the timeout yet
    QCOMPARE(p.expire(1001), (QList<Id>{2})); // b expired; 1 is still on a
    QCOMPARE(p.instances(), (QList<QString>{QStringLiteral("a")}));
    p.refreshAll(5000); // our own outage: no one is blamed for it
    QVERIFY(p.expire(5500).isEmpty());
    QCOMPARE(p.expire(6001), (QList<Id>{1}));
    QVERIFY(!p.isOnline(1) && !p.isOnline(2));
}

void TestClusterUnits::byeDropsAnInstance()
{
    RemotePresence p(1000);
    p.set(QStringLiteral("a"), 1, true, 0);
    p.set(QStringLiteral("a"), 2, true, 0);
    p.set(QStringLiteral("b"), 2, true, 0);
    QCOMPARE(p.drop(QStringLiteral("a")), (QList<Id>{1}));
    QVERIFY(p.isOnline(2));
    QVERIFY(p.drop(QStringLiteral("unknown")).isEmpty());
}

void TestClusterUnits::cursorDeliversEachIdOnce()
{
    ChangeCursor cursor(1000);
    cursor.reset(10);
    QVERIFY(!cursor.take(9, 0)); // before the start: never delivered
    QVERIFY(cursor.take(11, 0));
    QVERIFY(cursor.take(12, 0));
    QVERIFY(!cursor.take(12, 0)); // read twice (a poll raced a NOTIFY)
    QCOMPARE(cursor.newest(), qint64(12));
    QVERIFY(cursor.gaps().isEmpty());
}

void TestClusterUnits::cursorAwaitsSkippedIdsUntilTheyAppear()
{
    // Instance B's change 14 committed before A's 12 and 13.
    ChangeCursor cursor(1000);
    cursor.reset(11);
    QVERIFY(cursor.take(14, 0));
    QCOMPARE(cursor.newest(), qint64(14));
    QCOMPARE(cursor.gaps(), (QList<qint64>{12, 13}));
    QVERIFY(cursor.take(13, 50)); // late, but delivered
    QCOMPARE(cursor.gaps(), (QList<qint64>{12}));
    QVERIFY(!cursor.take(13, 60));
    QVERIFY(cursor.expire(500).isEmpty());
    QVERIFY(cursor.take(12, 600));
    QVERIFY(cursor.gaps().isEmpty());
}

void TestClusterUnits::cursorGivesUpOnIdsThatNeverAppear()
{
    ChangeCursor cursor(1000);
    cursor.reset(0);
    QVERIFY(cursor.take(2, 0));   // 1 was rolled back
    QVERIFY(cursor.take(4, 500)); // 3 too, noticed later
    QCOMPARE(cursor.expire(1001), (QList<qint64>{1}));
    QCOMPARE(cursor.gaps(), (QList<qint64>{3}));
    QCOMPARE(cursor.expire(1501), (QList<qint64>{3}));
    QVERIFY(!cursor.take(1, 2000)); // given up: not delivered after all
}

void TestClusterUnits::cursorBoundsWhatItAwaits()
{
    ChangeCursor cursor(1000);
    cursor.reset(0);
    QVERIFY(cursor.take(100'000, 0));
    QCOMPARE(cursor.gaps().size(), ChangeCursor::kMaxGaps);
    QCOMPARE(cursor.gaps().first(), qint64(100'000 - ChangeCursor::kMaxGaps));
    QVERIFY(cursor.take(100'005, 0));
    QCOMPARE(cursor.gaps().size(), ChangeCursor::kMaxGaps); // the oldest gave way
    QCOMPARE(cursor.gaps().last(), qint64(100'004));
}

void TestClusterUnits::readerKeepsACommittersOrderWhenItCommitsBetweenReads()
{
    // tst_cluster saw this once in CI: A's change 103 committed first, so
    // 101 and 102 (B's) were awaited; B then committed them and its next,
    // 104, between the two statements of one read. Asking for the awaited
    // ids first found nothing and the newer read found 104: B's 104 went out
    // before its 101.
    ChangeCursor cursor(10'000);
    cursor.reset(100);
    ScriptedLog log({{101, QStringLiteral("B"), 3},
                     {102, QStringLiteral("B"), 3},
                     {103, QStringLiteral("A"), 1},
                     {104, QStringLiteral("B"), 3}});
    const auto seen = readAll(cursor, log, 500);
    QVERIFY(log.readsMade() >= 3);
    QCOMPARE(seen.value(QStringLiteral("A")), (QList<qint64>{103}));
    QCOMPARE(seen.value(QStringLiteral("B")), (QList<qint64>{101, 102, 104}));
    QVERIFY(cursor.gaps().isEmpty());
}

void TestClusterUnits::readerSortsGapsAPageSkippedBeforeLaterPages()
{
    // Pages of two: the first page skips B's 1 (not yet committed), which
    // commits with B's 4 before the second page reads 4. One read hands out
    // all four, 1 before 4.
    ChangeCursor cursor(10'000);
    cursor.reset(0);
    ScriptedLog log({{1, QStringLiteral("B"), 2},
                     {2, QStringLiteral("A"), 1},
                     {3, QStringLiteral("A"), 1},
                     {4, QStringLiteral("B"), 2}});
    auto read = readVisibleChanges(cursor, log.reads(), 0, 2);
    QVERIFY(read.ok());
    QList<qint64> ids;
    for (const LoggedChange& change : read.value())
        ids.append(change.eventId);
    QCOMPARE(ids, (QList<qint64>{1, 2, 3, 4}));
    QVERIFY(cursor.gaps().isEmpty());
}

void TestClusterUnits::readerLetsTheBusSendBetweenPages()
{
    // BusWorker sends its pending NOTIFYs there: a long read must not hold
    // this instance's own wake-ups back (bench/README.md, PostgreSQL).
    ChangeCursor cursor(10'000);
    cursor.reset(0);
    QList<ScriptedLog::Row> rows;
    for (qint64 id = 1; id <= 5; ++id)
        rows.append({id, QStringLiteral("B"), 1});
    ScriptedLog log(rows);
    ChangeLogReads reads = log.reads();
    QList<int> readsAtPause;
    reads.betweenPages = [&] { readsAtPause.append(log.readsMade()); };
    auto read = readVisibleChanges(cursor, reads, 0, 2);
    QVERIFY(read.ok());
    QCOMPARE(read.value().size(), 5);
    QCOMPARE(readsAtPause, (QList<int>{1, 2})); // after each full page, not after the last
}

QTEST_GUILESS_MAIN(TestClusterUnits)
#include "tst_cluster_units.moc"
