// Issue 12, item 12: a message whose COMMIT succeeded on PostgreSQL but whose
// reply the server never got (the connection died on the way back) still
// reaches every member live. The server saw an error, so it delivered
// nothing and the client's retry is a duplicate; the other instance
// delivered it from the change log. Now the instance that committed it
// delivers it from the change log too: every connection of every member,
// on both instances, gets it exactly once, and ordinary traffic still
// arrives exactly once.
//
// Two confab-server processes share one database; instance A reaches it
// through PgCommitCutter, which forwards A's COMMIT of the marked message
// and swallows the answer.
#include "event_matchers.h"
#include "pg_commit_cutter.h"
#include "scratch_postgres.h"
#include "server_process.h"
#include "store/database_url.h"
#include "test_client.h"
#include "test_server.h"

#include <QJsonArray>
#include <QTest>
#include <QUrl>

using namespace confab::test;

namespace {

// How long a duplicate would take to show up at most: the bus polls every
// 200 ms here, and an own message waits 1 s for the handler's claim.
constexpr int kQuietMs = 2500;

QJsonObject sendPayload(qint64 room, const QString& content, const QString& tempId, qint64 mentioned)
{
    return {{QStringLiteral("roomId"), double(room)},
            {QStringLiteral("content"), content},
            {QStringLiteral("tempId"), tempId},
            {QStringLiteral("mentions"), QJsonArray{QJsonObject{{QStringLiteral("userId"), double(mentioned)},
                                                                {QStringLiteral("indexStart"), 0},
                                                                {QStringLiteral("indexEnd"), 4}}}}};
}

} // namespace

class TestClusterLostCommit : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void aMessageWhoseCommitReplyWasLostIsDeliveredOnce();
};

void TestClusterLostCommit::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    CONFAB_REQUIRE_POSTGRES();
}

void TestClusterLostCommit::aMessageWhoseCommitReplyWasLostIsDeliveredOnce()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    QUrl direct(db.url());
    PgCommitCutter cutter(direct.host(), quint16(direct.port()));
    QVERIFY(cutter.listen());
    QUrl viaCutter = direct;
    viaCutter.setPort(cutter.port());

    ServerProcess a, b;
    QVERIFY(a.start(clusterArguments(viaCutter.toString())));
    QVERIFY(b.start(clusterArguments(db.url())));

    // bob is on A with the sender; carol on B; alice on both.
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(a.url(), QStringLiteral("bob"));
    auto carol = signUpAt(b.url(), QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    auto aliceOnB = connectAs(b.url(), *alice);
    QVERIFY(aliceOnB);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId, carol->userId});
    QVERIFY(room > 0);
    QVERIFY(!carol->waitFor(QStringLiteral("room")).isEmpty());
    const QList<TestClient*> everyone{alice.get(), bob.get(), carol.get(), aliceOnB.get()};

    // Ordinary traffic first: exactly once everywhere.
    const qint64 before = sendMessage(*alice, room, QStringLiteral("before"));
    QVERIFY(before > 0);
    for (TestClient* c : everyone)
        QVERIFY2(!c->waitFor(QStringLiteral("message"), 10000, messageIs(before)).isEmpty(),
                 qPrintable(c->username));

    // The COMMIT of this message reaches PostgreSQL; its reply never reaches A.
    const QString marker = QStringLiteral("@bob lost-commit-reply 7f3a");
    cutter.arm(marker.toUtf8().mid(5));
    const QJsonObject payload = sendPayload(room, marker, QStringLiteral("lost-1"), bob->userId);
    const QJsonObject first = alice->request(QStringLiteral("send_message"), payload, 20000);
    QCOMPARE(cutter.cutCommits(), 1);
    QCOMPARE(errorCodeOf(first), QStringLiteral("unavailable")); // nothing stored, as far as A knows

    // The client retries with the same tempId (as the Confab client does)
    // until A has its database back: a duplicate, acked with the stored id.
    QJsonObject ack;
    for (int attempt = 0; attempt < 40 && typeOf(ack) != QLatin1String("message_ack"); ++attempt) {
        if (attempt > 0)
            QTest::qWait(250);
        ack = alice->request(QStringLiteral("send_message"), payload, 20000);
    }
    QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
    const qint64 lost = idOf(payloadOf(ack).value(QLatin1String("messageId")));
    QVERIFY(lost > before);

    // Every connection of every member, on both instances, gets it live.
    for (TestClient* c : everyone) {
        const QJsonObject event = c->waitFor(QStringLiteral("message"), 10000, messageIs(lost));
        QVERIFY2(!event.isEmpty(), qPrintable(c->username + QStringLiteral(" never got the message")));
        QCOMPARE(payloadOf(event).value(QLatin1String("message")).toObject().value(QLatin1String("content")),
                 marker);
    }
    QVERIFY(!bob->waitFor(QStringLiteral("mention"), 10000,
                          [lost](const QJsonObject& p) { return idIn(p, "messageId") == lost; })
                 .isEmpty());

    // And ordinary traffic after it.
    const qint64 after = sendMessage(*bob, room, QStringLiteral("after"));
    QVERIFY(after > lost);
    for (TestClient* c : everyone)
        QVERIFY2(!c->waitFor(QStringLiteral("message"), 10000, messageIs(after)).isEmpty(),
                 qPrintable(c->username));

    // Exactly once each: nothing more arrives once the bus has read it all.
    QTest::qWait(kQuietMs);
    for (TestClient* c : everyone) {
        QVERIFY2(c->takeAll(QStringLiteral("message")).isEmpty(), qPrintable(c->username));
        QVERIFY2(c->takeAll(QStringLiteral("mention")).isEmpty(), qPrintable(c->username));
    }
    QCOMPARE(cutter.cutCommits(), 1);
    const QJsonArray history = payloadOf(carol->request(QStringLiteral("fetch_messages"),
                                                        {{QStringLiteral("roomId"), double(room)}}))
                                   .value(QLatin1String("messages"))
                                   .toArray();
    QCOMPARE(history.size(), 3); // stored once
    // A's log says what happened. Its shutdown talks to PostgreSQL through
    // the cutter, which needs this thread's event loop: no blocking wait.
    QVERIFY2(a.output().contains(QStringLiteral("committed here without its COMMIT reply")),
             qPrintable(a.output()));
    for (ServerProcess* server : {&a, &b}) {
        server->process().terminate();
        QVERIFY(QTest::qWaitFor([&] { return !server->isRunning(); }, 15000));
        QVERIFY2(server->process().exitStatus() == QProcess::NormalExit && server->process().exitCode() == 0,
                 qPrintable(server->output()));
    }
}

CONFAB_TEST_MAIN(TestClusterLostCommit)
#include "tst_cluster_lost_commit.moc"
