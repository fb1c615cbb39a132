// Groups on two confab-server instances sharing one PostgreSQL database: a
// removal on one instance cuts the removed user's connections on the other at
// once (no further events, mentions, history or search hits there); adding
// back, a rename and a pin on one reach the members on the other.
#include "../server/lifecycle_helpers.h"
#include "scratch_postgres.h"
#include "server_process.h"

#include <QTest>

using namespace confab::test;

namespace {

QJsonObject roomAnd(qint64 roomId, const QJsonObject& more = {})
{
    QJsonObject p = more;
    p.insert(QStringLiteral("roomId"), double(roomId));
    return p;
}

auto roomObjectIs(qint64 roomId)
{
    return [roomId](const QJsonObject& p) {
        return idIn(p.value(QLatin1String("room")).toObject(), "id") == roomId;
    };
}

} // namespace

class TestClusterGroups : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void removalOnOneInstanceCutsTheOther();
};

void TestClusterGroups::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    CONFAB_REQUIRE_POSTGRES();
}

void TestClusterGroups::removalOnOneInstanceCutsTheOther()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    ServerProcess a, b;
    QVERIFY(a.start(clusterArguments(db.url())));
    QVERIFY(b.start(clusterArguments(db.url())));
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(b.url(), QStringLiteral("bob"));
    auto carol = signUpAt(b.url(), QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    auto bobOnA = connectAs(a.url(), *bob);
    QVERIFY(bobOnA);
    const qint64 room = createGroup(*alice, QStringLiteral("two instances"), {bob->userId, carol->userId});
    QVERIFY(room);
    QVERIFY(!bob->waitFor(QStringLiteral("room")).isEmpty());
    const qint64 before = sendMessage(*alice, room, QStringLiteral("walrus 海象"));
    QVERIFY(before);
    QVERIFY(!bob->waitFor(QStringLiteral("message"), 5000, messageIs(before)).isEmpty());
    for (auto* c : {alice.get(), bob.get(), bobOnA.get(), carol.get()})
        c->clearInbox();

    // Removed on A: bob's connections on both instances hear it, the others too.
    QCOMPARE(typeOf(alice->request(QStringLiteral("remove_member"),
                                   roomAnd(room, {{QStringLiteral("userId"), double(bob->userId)}}))),
             QStringLiteral("ok"));
    for (auto* c : {bob.get(), bobOnA.get()}) {
        const QJsonObject left = payloadOf(c->waitFor(QStringLiteral("room_left"), 5000, roomIs(room)));
        QCOMPARE(left.value(QLatin1String("reason")).toString(), QStringLiteral("removed"));
    }
    const QJsonObject left = payloadOf(carol->waitFor(QStringLiteral("member_left"), 5000, roomIs(room)));
    QCOMPARE(idIn(left, "byUserId"), alice->userId);

    // A mention of bob right after, on A: nothing reaches bob on B or A.
    const QString text = QStringLiteral("@bob walrus again");
    const qint64 after =
        sendMessage(*alice, room, text, {}, {span(text, QStringLiteral("bob"), bob->userId)});
    QVERIFY(after);
    QVERIFY(!carol->waitFor(QStringLiteral("message"), 5000, messageIs(after)).isEmpty());
    for (auto* c : {bob.get(), bobOnA.get()}) {
        QVERIFY(c->staysQuiet(QStringLiteral("message"), 300));
        QVERIFY(c->staysQuiet(QStringLiteral("mention"), 10));
    }
    // B answers bob as for a missing room: history, search, mentions.
    QCOMPARE(errorCodeOf(bob->request(QStringLiteral("fetch_messages"), roomAnd(room))),
             QStringLiteral("forbidden"));
    QCOMPARE(
        errorCodeOf(bob->request(QStringLiteral("send_message"),
                                 roomAnd(room, {{QStringLiteral("content"), QStringLiteral("still here?")},
                                                {QStringLiteral("tempId"), QStringLiteral("s1")}}))),
        QStringLiteral("forbidden"));
    QCOMPARE(searchIds(*bob, QStringLiteral("walrus")), QList<qint64>{});
    QCOMPARE(idsOfMessages(messagesIn(bob->request(QStringLiteral("list_mentions")))), QList<qint64>{});

    // Added back on A: bob's `room` on B; a rename on B reaches A.
    QCOMPARE(
        typeOf(alice->request(QStringLiteral("add_members"),
                              roomAnd(room, {{QStringLiteral("userIds"), QJsonArray{double(bob->userId)}}}))),
        QStringLiteral("room"));
    QVERIFY(!bob->waitFor(QStringLiteral("room"), 5000, roomObjectIs(room)).isEmpty());
    QCOMPARE(idIn(payloadOf(carol->waitFor(QStringLiteral("member_joined"), 5000, roomIs(room))), "byUserId"),
             alice->userId);
    QCOMPARE(searchIds(*bob, QStringLiteral("walrus")).size(), 2);
    QCOMPARE(typeOf(alice->request(QStringLiteral("set_role"),
                                   roomAnd(room, {{QStringLiteral("userId"), double(carol->userId)},
                                                  {QStringLiteral("role"), QStringLiteral("admin")}}))),
             QStringLiteral("ok"));
    QCOMPARE(typeOf(carol->request(QStringLiteral("update_room"),
                                   roomAnd(room, {{QStringLiteral("name"), QStringLiteral("renamed")}}))),
             QStringLiteral("ok"));
    QCOMPARE(payloadOf(alice->waitFor(QStringLiteral("room_updated"), 5000,
                                      [room](const QJsonObject& p) {
                                          const QJsonObject r = p.value(QLatin1String("room")).toObject();
                                          return idIn(r, "id") == room &&
                                                 r.value(QLatin1String("name")).toString() ==
                                                     QLatin1String("renamed");
                                      }))
                 .isEmpty(),
             false);
    QCOMPARE(
        typeOf(carol->request(QStringLiteral("pin_message"), {{QStringLiteral("messageId"), double(before)},
                                                              {QStringLiteral("pinned"), true}})),
        QStringLiteral("ok"));
    QCOMPARE(idIn(payloadOf(alice->waitFor(QStringLiteral("pins_changed"))), "messageId"), before);
    QVERIFY(a.terminate());
    QVERIFY(b.terminate());
}

CONFAB_TEST_GUILESS_MAIN(TestClusterGroups)
#include "tst_cluster_groups.moc"
