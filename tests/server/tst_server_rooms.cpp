// Rooms against a real server: groups, DMs, listing with counts, join/leave,
// and the authorization matrix for a non-member on every room-scoped event.
#include "test_server.h"

#include <QJsonArray>
#include <QTest>

using namespace confab::test;

namespace {
QJsonObject roomOf(const QJsonObject& envelope)
{
    return payloadOf(envelope).value(QLatin1String("room")).toObject();
}
QList<qint64> memberIdsOf(const QJsonObject& room)
{
    QList<qint64> ids;
    for (const QJsonValue& m : room.value(QLatin1String("members")).toArray())
        ids.append(idOf(m.toObject().value(QLatin1String("id"))));
    std::sort(ids.begin(), ids.end());
    return ids;
}
} // namespace

class TestServerRooms : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void createRoomNotifiesOnlineMembers();
    void createRoomRejectsUnknownMembersAndBadNames();
    void directMessageRoomIsStableForThePair();
    void listRoomsHasCountsAndLastMessage();
    void joinAndLeave();
    void nonMemberGetsTheSameAnswerAsForAMissingRoom();
};

void TestServerRooms::createRoomNotifiesOnlineMembers()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    auto alice2 = server.secondConnection(*alice);
    QVERIFY(alice2);

    const QJsonObject reply = alice->request(
        QStringLiteral("create_room"), {{QStringLiteral("name"), QStringLiteral("  设计评审  ")},
                                        {QStringLiteral("memberIds"), QJsonArray{double(bob->userId)}}});
    QCOMPARE(typeOf(reply), QStringLiteral("room"));
    const QJsonObject room = roomOf(reply);
    QCOMPARE(room.value(QLatin1String("type")).toString(), QStringLiteral("group"));
    QCOMPARE(room.value(QLatin1String("name")).toString(), QStringLiteral("设计评审")); // trimmed
    QCOMPARE(memberIdsOf(room), (QList<qint64>{alice->userId, bob->userId}));
    QCOMPARE(room.value(QLatin1String("unreadCount")).toInt(), 0);
    QCOMPARE(room.value(QLatin1String("mentionCount")).toInt(), 0);
    QVERIFY(room.value(QLatin1String("lastMessage")).isNull());
    QCOMPARE(idOf(room.value(QLatin1String("ownerId"))), alice->userId);

    // Bob and alice's other connection learn about it; carol does not.
    QCOMPARE(idOf(roomOf(bob->waitFor(QStringLiteral("room"))).value(QLatin1String("id"))),
             idOf(room.value(QLatin1String("id"))));
    QCOMPARE(idOf(roomOf(alice2->waitFor(QStringLiteral("room"))).value(QLatin1String("id"))),
             idOf(room.value(QLatin1String("id"))));
    QVERIFY(carol->staysQuiet(QStringLiteral("room")));
    QVERIFY(alice->staysQuiet(QStringLiteral("room"), 50)); // the requester got the reply only
}

void TestServerRooms::createRoomRejectsUnknownMembersAndBadNames()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("create_room"),
                                        {{QStringLiteral("name"), QStringLiteral("x")},
                                         {QStringLiteral("memberIds"), QJsonArray{99999}}})),
             QStringLiteral("not_found"));
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("create_room"),
                                        {{QStringLiteral("name"), QStringLiteral("   ")}})),
             QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("create_room"),
                                        {{QStringLiteral("name"), QStringLiteral("x")},
                                         {QStringLiteral("memberIds"), QStringLiteral("2")}})),
             QStringLiteral("bad_request"));
    // Nothing was created by the failed attempts.
    const QJsonObject rooms = alice->request(QStringLiteral("list_rooms"));
    QCOMPARE(payloadOf(rooms).value(QLatin1String("rooms")).toArray().size(), 0);
}

void TestServerRooms::directMessageRoomIsStableForThePair()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QJsonObject first =
        alice->request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), double(bob->userId)}});
    QCOMPARE(typeOf(first), QStringLiteral("room"));
    const QJsonObject room = roomOf(first);
    QCOMPARE(room.value(QLatin1String("type")).toString(), QStringLiteral("dm"));
    QCOMPARE(room.value(QLatin1String("name")).toString(), QStringLiteral("bob")); // the other side
    QCOMPARE(memberIdsOf(room), (QList<qint64>{alice->userId, bob->userId}));
    // Bob is told about the new DM once, with alice's name on it.
    const QJsonObject pushed = roomOf(bob->waitFor(QStringLiteral("room")));
    QCOMPARE(pushed.value(QLatin1String("id")), room.value(QLatin1String("id")));
    QCOMPARE(pushed.value(QLatin1String("name")).toString(), QStringLiteral("alice"));

    const QJsonObject fromBob =
        bob->request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), double(alice->userId)}});
    QCOMPARE(roomOf(fromBob).value(QLatin1String("id")), room.value(QLatin1String("id")));
    const QJsonObject again =
        alice->request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), QString::number(bob->userId)}});
    QCOMPARE(roomOf(again).value(QLatin1String("id")),
             room.value(QLatin1String("id"))); // ids may come back as strings
    QVERIFY(alice->staysQuiet(QStringLiteral("room"), 100));

    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), 424242}})),
             QStringLiteral("not_found"));
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), true}})),
             QStringLiteral("bad_request"));
}

void TestServerRooms::listRoomsHasCountsAndLastMessage()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 quiet = createGroup(*alice, QStringLiteral("quiet"), {bob->userId});
    const qint64 busy = createGroup(*alice, QStringLiteral("busy"), {bob->userId});
    QVERIFY(quiet && busy);
    bob->close(); // bob is offline while alice writes
    QVERIFY(sendMessage(*alice, busy, QStringLiteral("one")));
    const QJsonArray mention{QJsonObject{{QStringLiteral("userId"), double(bob->userId)},
                                         {QStringLiteral("indexStart"), 4},
                                         {QStringLiteral("indexEnd"), 8}}};
    const qint64 last = sendMessage(*alice, busy, QStringLiteral("hey @bob 你好"), {}, mention);
    QVERIFY(last);

    auto bobAgain = server.client();
    QVERIFY(bobAgain->signIn(QStringLiteral("bob")));
    const QJsonArray rooms =
        payloadOf(bobAgain->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.size(), 2);
    const QJsonObject top = rooms.at(0).toObject(); // most recent activity first
    QCOMPARE(idOf(top.value(QLatin1String("id"))), busy);
    QCOMPARE(top.value(QLatin1String("unreadCount")).toInt(), 2);
    QCOMPARE(top.value(QLatin1String("mentionCount")).toInt(), 1);
    const QJsonObject lastMessage = top.value(QLatin1String("lastMessage")).toObject();
    QCOMPARE(idOf(lastMessage.value(QLatin1String("id"))), last);
    QCOMPARE(lastMessage.value(QLatin1String("content")).toString(), QStringLiteral("hey @bob 你好"));
    const QJsonObject other = rooms.at(1).toObject();
    QCOMPARE(idOf(other.value(QLatin1String("id"))), quiet);
    QCOMPARE(other.value(QLatin1String("unreadCount")).toInt(), 0);
    QVERIFY(other.value(QLatin1String("lastMessage")).isNull());
    // Alice's own messages are not unread for her; presence is filled in:
    // both members, both online now (bob is back).
    const QJsonArray aliceRooms =
        payloadOf(alice->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    QCOMPARE(aliceRooms.size(), 2);
    const QJsonObject aliceTop = aliceRooms.at(0).toObject();
    QCOMPARE(idOf(aliceTop.value(QLatin1String("id"))), busy);
    QCOMPARE(aliceTop.value(QLatin1String("unreadCount")).toInt(), 0);
    QCOMPARE(memberIdsOf(aliceTop), (QList<qint64>{alice->userId, bob->userId}));
    const QJsonArray members = aliceTop.value(QLatin1String("members")).toArray();
    QCOMPARE(members.size(), 2);
    for (const QJsonValue& m : members)
        QVERIFY2(m.toObject().value(QLatin1String("online")).toBool(),
                 qPrintable(m.toObject().value(QLatin1String("username")).toString()));
}

void TestServerRooms::joinAndLeave()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    auto bob2 = server.secondConnection(*bob);
    QVERIFY(bob2);
    const qint64 group = createGroup(*alice, QStringLiteral("g"), {bob->userId});
    const qint64 dm = openDm(*alice, bob->userId);
    QVERIFY(group && dm);
    const QJsonObject joined =
        bob->request(QStringLiteral("join_room"), {{QStringLiteral("roomId"), double(group)}});
    QCOMPARE(typeOf(joined), QStringLiteral("joined"));
    QCOMPARE(idOf(payloadOf(joined).value(QLatin1String("roomId"))), group);

    QCOMPARE(
        errorCodeOf(bob->request(QStringLiteral("leave_room"), {{QStringLiteral("roomId"), double(dm)}})),
        QStringLiteral("forbidden"));
    QCOMPARE(typeOf(bob->request(QStringLiteral("leave_room"), {{QStringLiteral("roomId"), double(group)}})),
             QStringLiteral("ok"));
    QCOMPARE(idOf(payloadOf(bob2->waitFor(QStringLiteral("room_left"))).value(QLatin1String("roomId"))),
             group);
    const QJsonObject left = payloadOf(alice->waitFor(QStringLiteral("member_left")));
    QCOMPARE(idOf(left.value(QLatin1String("userId"))), bob->userId);
    // Bob no longer sees or receives the group.
    QCOMPARE(
        errorCodeOf(bob->request(QStringLiteral("join_room"), {{QStringLiteral("roomId"), double(group)}})),
        QStringLiteral("forbidden"));
    QVERIFY(sendMessage(*alice, group, QStringLiteral("after bob left")));
    QVERIFY(bob->staysQuiet(QStringLiteral("message")));
    const QJsonArray rooms =
        payloadOf(bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.size(), 1);
    QCOMPARE(idOf(rooms.at(0).toObject().value(QLatin1String("id"))), dm);
}

void TestServerRooms::nonMemberGetsTheSameAnswerAsForAMissingRoom()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto eve = server.user(QStringLiteral("eve"));
    QVERIFY(alice && bob && eve);
    const qint64 group = createGroup(*alice, QStringLiteral("private"), {bob->userId});
    const qint64 dm = openDm(*alice, bob->userId);
    const qint64 messageId = sendMessage(*alice, group, QStringLiteral("secret 机密"));
    QVERIFY(group && dm && messageId);
    QVERIFY(!bob->waitFor(QStringLiteral("message")).isEmpty()); // bob is a member: this one is his
    const qint64 missing = 987654;

    struct Probe {
        QString type;
        QJsonObject extra;
    };
    const QList<Probe> probes = {
        {QStringLiteral("join_room"), {}},
        {QStringLiteral("leave_room"), {}},
        {QStringLiteral("send_message"),
         {{QStringLiteral("content"), QStringLiteral("hi")},
          {QStringLiteral("tempId"), QStringLiteral("e1")}}},
        {QStringLiteral("fetch_messages"), {}},
        {QStringLiteral("mark_read"), {{QStringLiteral("messageId"), double(messageId)}}},
        {QStringLiteral("typing"), {{QStringLiteral("isTyping"), true}}},
        {QStringLiteral("search_users"), {{QStringLiteral("query"), QString()}}},
        {QStringLiteral("search_messages"), {{QStringLiteral("query"), QStringLiteral("secret")}}},
    };
    for (const Probe& probe : probes) {
        QJsonObject reply[3];
        const qint64 targets[3] = {group, dm, missing};
        for (int i = 0; i < 3; ++i) {
            QJsonObject payload = probe.extra;
            payload.insert(QStringLiteral("roomId"), double(targets[i]));
            reply[i] = eve->request(probe.type, payload);
        }
        QVERIFY2(errorCodeOf(reply[0]) == QLatin1String("forbidden"), qPrintable(probe.type));
        // A room that exists and one that does not are indistinguishable.
        QCOMPARE(payloadOf(reply[0]), payloadOf(reply[2]));
        QCOMPARE(payloadOf(reply[1]), payloadOf(reply[2]));
    }
    // None of it reached the members.
    QVERIFY(alice->staysQuiet(QStringLiteral("typing"), 100));
    QVERIFY(bob->staysQuiet(QStringLiteral("message"), 10));
    const QJsonObject history =
        alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(group)}});
    QCOMPARE(payloadOf(history).value(QLatin1String("messages")).toArray().size(), 1);
}

CONFAB_TEST_MAIN(TestServerRooms)
#include "tst_server_rooms.moc"
