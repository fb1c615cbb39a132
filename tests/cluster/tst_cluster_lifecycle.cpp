// The message lifecycle on two confab-server instances sharing one
// PostgreSQL database: an edit, a delete, a reaction or a mention by edit on
// one instance reaches every member's connection on the other, once; the
// other instance's search follows; fetch_changes on either sees all of it.
#include "../server/lifecycle_helpers.h"
#include "scratch_postgres.h"
#include "server_process.h"

#include <QTest>

using namespace confab::test;

class TestClusterLifecycle : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void changesOnOneInstanceReachTheOther();

private:
    std::unique_ptr<ScratchPostgres> m_db;
};

void TestClusterLifecycle::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    CONFAB_REQUIRE_POSTGRES();
}

void TestClusterLifecycle::changesOnOneInstanceReachTheOther()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    ServerProcess a, b;
    QVERIFY(a.start(clusterArguments(db.url())));
    QVERIFY(b.start(clusterArguments(db.url())));
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(b.url(), QStringLiteral("bob"));
    auto dave = signUpAt(b.url(), QStringLiteral("dave"));
    auto carol = signUpAt(b.url(), QStringLiteral("carol")); // not a member
    QVERIFY(alice && bob && dave && carol);
    auto bobOnA = connectAs(a.url(), *bob);
    QVERIFY(bobOnA);
    const qint64 room = createGroup(*alice, QStringLiteral("two instances"), {bob->userId, dave->userId});
    QVERIFY(room);
    QVERIFY(!bob->waitFor(QStringLiteral("room")).isEmpty());
    const qint64 id = sendMessage(*alice, room, QStringLiteral("draft 甲"), QStringLiteral("x1"));
    QVERIFY(id);
    QVERIFY(!bob->waitFor(QStringLiteral("message"), 5000, messageIs(id)).isEmpty());
    const qint64 seen = revisionOf(inHistory(*bob, room, id));
    for (auto* c : {alice.get(), bob.get(), bobOnA.get(), dave.get(), carol.get()})
        c->clearInbox();

    // An edit on A, with a new mention of dave (on B).
    const QString text = QStringLiteral("final 乙 @dave");
    QCOMPARE(typeOf(editMessage(*alice, id, text, {span(text, QStringLiteral("dave"), dave->userId)})),
             QStringLiteral("ok"));
    for (auto* c : {bob.get(), bobOnA.get(), dave.get(), alice.get()}) {
        const QJsonObject m = messageIn(c->waitFor(QStringLiteral("message_updated"), 5000, updatedIs(id)));
        QCOMPARE(m.value(QLatin1String("content")).toString(), text);
        QVERIFY(c->staysQuiet(QStringLiteral("message_updated"), 300)); // once
    }
    QCOMPARE(idIn(payloadOf(dave->waitFor(QStringLiteral("mention"))), "messageId"), id);
    QCOMPARE(searchIds(*bob, QStringLiteral("乙")), QList<qint64>{id}); // B's search follows
    QCOMPARE(searchIds(*bob, QStringLiteral("甲")), QList<qint64>{});

    // A reaction on B reaches A.
    QCOMPARE(typeOf(react(*bob, id, QStringLiteral("🎉"))), QStringLiteral("ok"));
    const QJsonObject reaction = payloadOf(alice->waitFor(QStringLiteral("reaction")));
    QCOMPARE(idIn(reaction, "userId"), bob->userId);
    QCOMPARE(reaction.value(QLatin1String("emoji")).toString(), QStringLiteral("🎉"));
    QVERIFY(alice->staysQuiet(QStringLiteral("reaction"), 300));

    // fetch_changes on either instance sees the same state.
    const QJsonArray onA = messagesIn(fetchChanges(*alice, room, seen));
    const QJsonArray onB = messagesIn(fetchChanges(*bob, room, seen));
    QCOMPARE(onA, onB);
    QCOMPARE(idsOfMessages(onB), QList<qint64>{id});
    QCOMPARE(onB.at(0).toObject().value(QLatin1String("reactions")).toArray().size(), 1);

    // A delete on A: gone from B's search, the placeholder on B.
    QCOMPARE(typeOf(deleteMessage(*alice, id)), QStringLiteral("ok"));
    const QJsonObject gone = messageIn(bob->waitFor(QStringLiteral("message_updated"), 5000, [id](const QJsonObject& p) {
        const QJsonObject m = p.value(QLatin1String("message")).toObject();
        return idIn(m, "id") == id && m.value(QLatin1String("deleted")).toBool();
    }));
    QCOMPARE(gone.value(QLatin1String("content")).toString(), QString());
    QCOMPARE(searchIds(*bob, QStringLiteral("final")), QList<qint64>{});
    QCOMPARE(payloadOf(dave->request(QStringLiteral("list_mentions"))).value(QLatin1String("items")).toArray().size(), 0);
    // The outsider on B heard nothing of it.
    for (const char* type : {"message_updated", "reaction", "mention"})
        QVERIFY(carol->staysQuiet(QLatin1String(type), 100));
    QVERIFY(a.terminate());
    QVERIFY(b.terminate());
}

CONFAB_TEST_GUILESS_MAIN(TestClusterLifecycle)
#include "tst_cluster_lifecycle.moc"
