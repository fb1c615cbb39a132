// PostgreSQL restarted in the middle of a burst of sends to a two-instance
// cluster: nothing acked is lost (both instances serve it, the other
// instance's member received it live, once), failed sends fail with a clear
// code, and sending works again without restarting Confab. The PostgreSQL
// it restarts is a cluster of its own (scripts/pg-test-cluster.sh in a
// temporary directory), so the suites beside it keep theirs.
#include "../server/lifecycle_helpers.h"
#include "deliveries.h"
#include "scratch_postgres.h"
#include "server_process.h"
#include "test_client.h"
#include "test_server.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace confab::test;

namespace {

// scripts/pg-test-cluster.sh on a directory of this test's own.
class PrivateCluster {
public:
    ~PrivateCluster() { stop(); }

    static QString script() { return QStringLiteral(CONFAB_SOURCE_DIR "/scripts/pg-test-cluster.sh"); }
    // Where the script finds PostgreSQL's programs (CONFAB_PG_BIN, as it reads it).
    static QString binaries()
    {
        return qEnvironmentVariable("CONFAB_PG_BIN", QStringLiteral("/usr/lib/postgresql/15/bin"));
    }
    static bool installed() { return QFileInfo::exists(binaries() + QStringLiteral("/initdb")); }

    // Creates and starts it; the URL and control command then replace the
    // shared cluster's in this process's environment (ScratchPostgres reads them).
    bool start(QString* error)
    {
        if (!m_dir.isValid())
            return fail(error, QStringLiteral("no temporary directory"));
        const QString out = run(QStringLiteral("start"), error);
        if (out.isNull())
            return false;
        for (const char* name : {"CONFAB_TEST_PG_URL", "CONFAB_TEST_PG_CTL"}) {
            const QRegularExpression line(QStringLiteral("^export %1='([^']*)'$").arg(QLatin1String(name)),
                                          QRegularExpression::MultilineOption);
            const auto match = line.match(out);
            if (!match.hasMatch())
                return fail(
                    error,
                    QStringLiteral("pg-test-cluster.sh printed no %1:\n%2").arg(QLatin1String(name), out));
            qputenv(name, match.captured(1).toUtf8());
        }
        m_started = true;
        return true;
    }
    void stop()
    {
        if (m_started) {
            QString ignored;
            run(QStringLiteral("stop"), &ignored);
            m_started = false;
        }
    }

private:
    static bool fail(QString* error, const QString& why)
    {
        *error = why;
        return false;
    }
    // Null on failure (with *error set).
    QString run(const QString& action, QString* error)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("bash"), {script(), action, m_dir.path()});
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            fail(error, QStringLiteral("pg-test-cluster.sh %1 failed: %2")
                            .arg(action, QString::fromUtf8(p.readAll())));
            return {};
        }
        return QString::fromUtf8(p.readAll());
    }

    QTemporaryDir m_dir;
    bool m_started = false;
};

// Every message id of the room as one instance serves it, oldest first.
QList<qint64> historyIds(TestClient& client, qint64 roomId)
{
    QList<qint64> ids;
    std::optional<qint64> before;
    for (;;) {
        QJsonObject payload{{QStringLiteral("roomId"), double(roomId)}, {QStringLiteral("limit"), 100}};
        if (before)
            payload.insert(QStringLiteral("beforeId"), double(*before));
        const QJsonObject page = payloadOf(client.request(QStringLiteral("fetch_messages"), payload));
        const QJsonArray messages = page.value(QLatin1String("messages")).toArray();
        QList<qint64> chunk;
        for (const QJsonValue m : messages)
            chunk.append(idOf(m.toObject().value(QLatin1String("id"))));
        ids = chunk + ids;
        if (!page.value(QLatin1String("hasMore")).toBool() || chunk.isEmpty())
            return ids;
        before = chunk.first();
    }
}

} // namespace

class TestClusterRestart : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase() { m_cluster.stop(); }
    void postgresRestartDuringBurstLosesNoAckedMessage();
    void fetchChangesAfterAPostgresRestartMissesNothing();

private:
    PrivateCluster m_cluster;
};

void TestClusterRestart::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    if (!PrivateCluster::installed())
        CONFAB_SKIP_MISSING(ScratchPostgres::required(),
                            QStringLiteral("PostgreSQL tests NOT RUN: PostgreSQL 15 is not installed (no "
                                           "%1/initdb; Debian package postgresql-15)")
                                .arg(PrivateCluster::binaries()));
    CONFAB_REQUIRE_TOOL(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
                        QStringLiteral("the Qt PostgreSQL driver QPSQL is missing (libqt6sql6-psql)"));
    QString error;
    QVERIFY2(m_cluster.start(&error), qPrintable(error));
    QVERIFY(ScratchPostgres::unavailableReason().isEmpty());
}

void TestClusterRestart::postgresRestartDuringBurstLosesNoAckedMessage()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    const QStringList arguments = clusterArguments(db.url());
    ServerProcess a, b;
    QVERIFY(a.start(arguments));
    QVERIFY(b.start(arguments));
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(b.url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("burst"), {bob->userId});
    QVERIFY(room > 0);
    QVERIFY(!bob->waitFor(QStringLiteral("room")).isEmpty());

    // One send every 4 ms for ~3 s; PostgreSQL restarts 0.6 s in.
    constexpr int kSends = 750;
    QHash<QString, QString> tempIdOfRequest;
    QStringList tempIds;
    int sent = 0;
    QTimer sender;
    sender.setInterval(4);
    QObject::connect(&sender, &QTimer::timeout, [&] {
        if (sent == kSends)
            return sender.stop();
        const QString tempId = QStringLiteral("burst-%1").arg(sent++);
        tempIds.append(tempId);
        const QString requestId =
            alice->sendWithId(QStringLiteral("send_message"), {{QStringLiteral("roomId"), double(room)},
                                                               {QStringLiteral("content"), tempId},
                                                               {QStringLiteral("tempId"), tempId}});
        tempIdOfRequest.insert(requestId, tempId);
    });
    QProcess restart;
    QStringList control = QProcess::splitCommand(qEnvironmentVariable("CONFAB_TEST_PG_CTL"));
    restart.setProgram(control.takeFirst());
    restart.setArguments(control + QStringList{QStringLiteral("restart")});
    restart.setProcessChannelMode(QProcess::MergedChannels);
    sender.start();
    bool restartStarted = false;
    QTimer::singleShot(600, &restart, [&] {
        restart.start();
        restartStarted = true;
    });
    QVERIFY(QTest::qWaitFor([&] { return sent == kSends; }, 30000));
    // Not waitForFinished(): it returns false when the process has already finished.
    QVERIFY(
        QTest::qWaitFor([&] { return restartStarted && restart.state() == QProcess::NotRunning; }, 60000));
    QVERIFY2(restart.exitCode() == 0, restart.readAll().constData());

    // Every send is answered: an ack, or unavailable/internal (nothing promised).
    QHash<QString, qint64> acked; // tempId -> message id
    QMap<QString, int> errorCodes;
    QStringList failed;
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const QJsonObject& ack : alice->takeAll(QStringLiteral("message_ack")))
                acked.insert(payloadOf(ack).value(QLatin1String("tempId")).toString(),
                             idOf(payloadOf(ack).value(QLatin1String("messageId"))));
            for (const QJsonObject& error : alice->takeAll(QStringLiteral("error"))) {
                const QString code = payloadOf(error).value(QLatin1String("code")).toString();
                ++errorCodes[code];
                failed.append(tempIdOfRequest.value(error.value(QLatin1String("id")).toString()));
            }
            return acked.size() + failed.size() >= kSends;
        },
        60000));
    QCOMPARE(acked.size() + failed.size(), kSends);
    qInfo("during the restart: %lld acked, %lld failed (unavailable %d, internal %d)", qint64(acked.size()),
          qint64(failed.size()), errorCodes.value(QStringLiteral("unavailable")),
          errorCodes.value(QStringLiteral("internal")));
    errorCodes.remove(QStringLiteral("internal"));
    errorCodes.remove(QStringLiteral("unavailable"));
    QCOMPARE(errorCodes.keys(), QStringList()); // no other error code
    QVERIFY2(!failed.isEmpty(), "the restart should have failed some sends (is the burst too short?)");

    // Sending works again without restarting Confab: retry the failures,
    // same tempIds (some may have been stored before their connection died).
    for (const QString& tempId : std::as_const(failed)) {
        qint64 id = 0;
        QElapsedTimer clock;
        clock.start();
        while (id == 0 && clock.elapsed() < 20000) {
            id = sendMessage(*alice, room, tempId, tempId);
            if (id == 0)
                QTest::qWait(200);
        }
        QVERIFY2(id > 0, qPrintable(tempId));
        acked.insert(tempId, id);
    }
    QCOMPARE(acked.size(), kSends);

    // Both instances serve every message exactly once.
    QSet<qint64> expected;
    for (qint64 id : std::as_const(acked))
        expected.insert(id);
    QCOMPARE(expected.size(), kSends);
    auto aliceOnB = connectAs(b.url(), *alice);
    QVERIFY(aliceOnB);
    for (TestClient* reader : {alice.get(), aliceOnB.get()}) {
        const QList<qint64> ids = historyIds(*reader, room);
        QCOMPARE(ids.size(), kSends);
        QCOMPARE(QSet<qint64>(ids.begin(), ids.end()), expected);
    }
    // bob, on the other instance, received every acked message live, once
    // (what was acked before the restart included: B caught up from the
    // log), and nothing more in the quiet window after the last one.
    const Deliveries delivered = collectMessages(*bob, kSends, 20000);
    QCOMPARE(delivered.duplicates(), 0);
    QCOMPARE(delivered.distinct, expected);
    QVERIFY(a.terminate());
    QVERIFY(b.terminate());
}

// Edits and reactions on both instances, PostgreSQL restarted, more of them:
// a client that held revision N before the restart gets, from fetch_changes
// on either instance, every message changed since, in its latest state.
void TestClusterRestart::fetchChangesAfterAPostgresRestartMissesNothing()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    const QStringList arguments = clusterArguments(db.url());
    ServerProcess a, b;
    QVERIFY(a.start(arguments));
    QVERIFY(b.start(arguments));
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(b.url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("catch-up"), {bob->userId});
    QVERIFY(room > 0);
    QList<qint64> ids;
    for (int i = 0; i < 10; ++i)
        ids.append(sendMessage(i % 2 ? *bob : *alice, room, QStringLiteral("m%1").arg(i), QStringLiteral("c%1").arg(i)));
    QVERIFY(!ids.contains(0));
    const QJsonArray before = messagesIn(fetchChanges(*bob, room, 0));
    QCOMPARE(before.size(), 10);
    const qint64 held = revisionOf(before.last().toObject());

    // Changes from both instances, then the restart, then more.
    QCOMPARE(typeOf(editMessage(*alice, ids.at(0), QStringLiteral("m0 v2"))), QStringLiteral("ok"));
    QCOMPARE(typeOf(react(*bob, ids.at(2), QStringLiteral("👀"))), QStringLiteral("ok"));
    QProcess restart;
    QStringList control = QProcess::splitCommand(qEnvironmentVariable("CONFAB_TEST_PG_CTL"));
    restart.setProgram(control.takeFirst());
    restart.setArguments(control + QStringList{QStringLiteral("restart")});
    restart.setProcessChannelMode(QProcess::MergedChannels);
    restart.start();
    QVERIFY(QTest::qWaitFor([&] { return restart.state() == QProcess::NotRunning; }, 60000));
    QVERIFY2(restart.exitCode() == 0, restart.readAll().constData());
    // The first requests after the restart may find the connection gone
    // (`unavailable`, nothing stored): retried as a client would.
    const auto retried = [](const std::function<QJsonObject()>& request) {
        QJsonObject reply;
        for (int attempt = 0; attempt < 50; ++attempt) {
            reply = request();
            if (errorCodeOf(reply) != QLatin1String("unavailable") && errorCodeOf(reply) != QLatin1String("internal"))
                break;
            QTest::qWait(200);
        }
        return reply;
    };
    QCOMPARE(typeOf(retried([&] { return deleteMessage(*bob, ids.at(1)); })), QStringLiteral("ok"));
    QCOMPARE(typeOf(retried([&] { return editMessage(*bob, ids.at(3), QStringLiteral("m3 v2")); })),
             QStringLiteral("ok"));
    QCOMPARE(typeOf(retried([&] { return react(*alice, ids.at(4), QStringLiteral("✅")); })), QStringLiteral("ok"));

    const QList<qint64> expected{ids.at(0), ids.at(2), ids.at(1), ids.at(3), ids.at(4)};
    for (TestClient* reader : {alice.get(), bob.get()}) {
        const QJsonObject reply = retried([&] { return fetchChanges(*reader, room, held); });
        const QJsonArray changed = messagesIn(reply);
        QCOMPARE(idsOfMessages(changed), expected);
        QCOMPARE(changed.at(0).toObject().value(QLatin1String("content")).toString(), QStringLiteral("m0 v2"));
        QCOMPARE(changed.at(2).toObject().value(QLatin1String("deleted")).toBool(), true);
        QCOMPARE(changed.at(3).toObject().value(QLatin1String("content")).toString(), QStringLiteral("m3 v2"));
        QCOMPARE(changed.at(4).toObject().value(QLatin1String("reactions")).toArray().size(), 1);
    }
    QVERIFY(a.terminate());
    QVERIFY(b.terminate());
}

CONFAB_TEST_GUILESS_MAIN(TestClusterRestart)
#include "tst_cluster_restart.moc"
