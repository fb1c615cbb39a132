// Groups against a real server (contract, second part: "Groups"): the
// permission matrix (owner, admin, member, outsider, removed user × every
// new request), removal cutting delivery, history, search and mentions at
// once, ownership passing on, system messages, pins and the directory of
// public groups; on SQLite and PostgreSQL.
#include "lifecycle_helpers.h"

#include <QJsonDocument>
#include <QTest>

using namespace confab::test;

namespace {

QJsonObject ask(TestClient& c, const char* type, const QJsonObject& payload)
{
    return c.request(QString::fromLatin1(type), payload);
}

QJsonObject roomAnd(qint64 roomId, const QJsonObject& more = {})
{
    QJsonObject p = more;
    p.insert(QStringLiteral("roomId"), double(roomId));
    return p;
}

QJsonObject userArg(qint64 userId)
{
    return {{QStringLiteral("userId"), double(userId)}};
}

// The reply's type, or the error's code.
QString outcome(const QJsonObject& reply)
{
    return typeOf(reply) == QLatin1String("error") ? errorCodeOf(reply) : typeOf(reply);
}

// A `room` or `room_updated` event carrying room `roomId`.
auto roomObjectIs(qint64 roomId)
{
    return [roomId](const QJsonObject& p) {
        return idIn(p.value(QLatin1String("room")).toObject(), "id") == roomId;
    };
}

QJsonObject roomIn(const QJsonObject& envelope)
{
    return payloadOf(envelope).value(QLatin1String("room")).toObject();
}

QString roleIn(const QJsonObject& room, qint64 userId)
{
    for (const QJsonValue& m : room.value(QLatin1String("members")).toArray()) {
        if (idOf(m.toObject().value(QLatin1String("id"))) == userId)
            return m.toObject().value(QLatin1String("role")).toString();
    }
    return {};
}

// The newest system message of the room's history ({} when none).
QJsonObject lastSystem(TestClient& c, qint64 roomId)
{
    QJsonObject found;
    for (const QJsonValue& m : messagesIn(c.request(QStringLiteral("fetch_messages"), roomAnd(roomId)))) {
        if (m.toObject().value(QLatin1String("kind")).toString() == QLatin1String("system"))
            found = m.toObject();
    }
    return found;
}

confab::server::ServerConfig roomyConfig()
{
    confab::server::ServerConfig config = TestServer::defaultConfig();
    config.groupBurst = 1000; // the matrix and the pins exceed the shipped burst
    return config;
}

} // namespace

class TestServerGroups : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void permissionMatrix();
    void removalCutsEverythingAtOnce();
    void ownershipPassesOnWhenTheOwnerLeaves();
    void updatesAreSystemMessagesNeverUnread();
    void pinsAreBounded();
    void publicGroupsAreListedAndJoined();
    void groupRequestsAreRateLimited();
};

// Each request by each kind of user, the least privileged first, so that a
// refusal is checked before an allowed call changes the group. A group per
// request: alice owns it, bob is an admin, carol and frank members, erin was
// removed, dave never was a member.
void TestServerGroups::permissionMatrix()
{
    TestServer server(roomyConfig());
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    auto dave = server.user(QStringLiteral("dave"));
    auto erin = server.user(QStringLiteral("erin"));
    auto frank = server.user(QStringLiteral("frank"));
    auto gina = server.user(QStringLiteral("gina"));
    QVERIFY(alice && bob && carol && dave && erin && frank && gina);

    struct Row {
        const char* request;
        // The payload for the group, its message and the acting user.
        std::function<QJsonObject(qint64 room, qint64 message, qint64 actor)> payload;
        QStringList expected; // outsider, removed, member, admin, owner
    };
    const QString hidden = QStringLiteral("forbidden"); // as for a missing room
    const QList<Row> rows{
        {"add_members",
         [&](qint64 room, qint64, qint64) {
             return roomAnd(room, {{QStringLiteral("userIds"), QJsonArray{double(gina->userId)}}});
         },
         {hidden, hidden, QStringLiteral("forbidden"), QStringLiteral("room"), QStringLiteral("room")}},
        {"remove_member",
         [&](qint64 room, qint64, qint64 actor) {
             // The admin removes a member, the owner an admin.
             return roomAnd(room, userArg(actor == alice->userId ? bob->userId : frank->userId));
         },
         {hidden, hidden, QStringLiteral("forbidden"), QStringLiteral("ok"), QStringLiteral("ok")}},
        {"set_role",
         [&](qint64 room, qint64, qint64) {
             return roomAnd(room, {{QStringLiteral("userId"), double(frank->userId)},
                                   {QStringLiteral("role"), QStringLiteral("admin")}});
         },
         {hidden, hidden, QStringLiteral("forbidden"), QStringLiteral("forbidden"), QStringLiteral("ok")}},
        {"transfer_ownership",
         [&](qint64 room, qint64, qint64) { return roomAnd(room, userArg(carol->userId)); },
         {hidden, hidden, QStringLiteral("forbidden"), QStringLiteral("forbidden"), QStringLiteral("ok")}},
        {"update_room",
         [&](qint64 room, qint64, qint64 actor) {
             return roomAnd(room, {{QStringLiteral("topic"), QStringLiteral("topic by %1").arg(actor)}});
         },
         {hidden, hidden, QStringLiteral("forbidden"), QStringLiteral("ok"), QStringLiteral("ok")}},
        {"pin_message",
         [&](qint64, qint64 message, qint64) {
             return QJsonObject{{QStringLiteral("messageId"), double(message)},
                                {QStringLiteral("pinned"), true}};
         },
         {QStringLiteral("not_found"), QStringLiteral("not_found"), QStringLiteral("forbidden"),
          QStringLiteral("ok"), QStringLiteral("ok")}},
        {"list_pins",
         [&](qint64 room, qint64, qint64) { return roomAnd(room); },
         {hidden, hidden, QStringLiteral("pins"), QStringLiteral("pins"), QStringLiteral("pins")}},
        {"join_room",
         [&](qint64 room, qint64, qint64) { return roomAnd(room); },
         {hidden, hidden, QStringLiteral("joined"), QStringLiteral("joined"), QStringLiteral("joined")}},
        {"list_public_rooms",
         [&](qint64, qint64, qint64) { return QJsonObject(); },
         {QStringLiteral("public_rooms"), QStringLiteral("public_rooms"), QStringLiteral("public_rooms"),
          QStringLiteral("public_rooms"), QStringLiteral("public_rooms")}},
    };
    for (const Row& row : rows) {
        const qint64 room = createGroup(*alice, QString::fromLatin1(row.request),
                                        {bob->userId, carol->userId, erin->userId, frank->userId});
        QVERIFY(room);
        QCOMPARE(outcome(ask(*alice, "set_role",
                             roomAnd(room, {{QStringLiteral("userId"), double(bob->userId)},
                                            {QStringLiteral("role"), QStringLiteral("admin")}}))),
                 QStringLiteral("ok"));
        const qint64 message = sendMessage(*carol, room, QStringLiteral("pin me"));
        QVERIFY(message);
        QCOMPARE(outcome(ask(*alice, "remove_member", roomAnd(room, userArg(erin->userId)))),
                 QStringLiteral("ok"));
        const QList<TestClient*> actors{dave.get(), erin.get(), carol.get(), bob.get(), alice.get()};
        for (int i = 0; i < actors.size(); ++i) {
            const QJsonObject reply =
                ask(*actors.at(i), row.request, row.payload(room, message, actors.at(i)->userId));
            QVERIFY2(
                outcome(reply) == row.expected.at(i),
                qPrintable(QStringLiteral("%1 by %2: %3, expected %4")
                               .arg(QLatin1String(row.request), QString::number(i),
                                    QString::fromUtf8(QJsonDocument(reply).toJson(QJsonDocument::Compact)),
                                    row.expected.at(i))));
        }
    }

    // What a role may not do to another role.
    const qint64 room =
        createGroup(*alice, QStringLiteral("edges"), {bob->userId, carol->userId, frank->userId});
    for (qint64 admin : {bob->userId, carol->userId})
        QCOMPARE(outcome(ask(*alice, "set_role",
                             roomAnd(room, {{QStringLiteral("userId"), double(admin)},
                                            {QStringLiteral("role"), QStringLiteral("admin")}}))),
                 QStringLiteral("ok"));
    QCOMPARE(outcome(ask(*bob, "remove_member", roomAnd(room, userArg(carol->userId)))),
             QStringLiteral("forbidden"));
    QCOMPARE(outcome(ask(*bob, "remove_member", roomAnd(room, userArg(alice->userId)))),
             QStringLiteral("forbidden"));
    QCOMPARE(outcome(ask(*alice, "remove_member", roomAnd(room, userArg(dave->userId)))),
             QStringLiteral("not_found"));
    QCOMPARE(outcome(ask(*alice, "transfer_ownership", roomAnd(room, userArg(dave->userId)))),
             QStringLiteral("not_found"));
    QCOMPARE(outcome(ask(*alice, "set_role",
                         roomAnd(room, {{QStringLiteral("userId"), double(carol->userId)},
                                        {QStringLiteral("role"), QStringLiteral("owner")}}))),
             QStringLiteral("bad_request"));
    // A DM has no roles: either side pins, nobody adds or renames.
    const qint64 dm = openDm(*alice, bob->userId);
    const qint64 said = sendMessage(*bob, dm, QStringLiteral("in a DM"));
    QVERIFY(dm && said);
    QCOMPARE(outcome(ask(*alice, "pin_message",
                         {{QStringLiteral("messageId"), double(said)}, {QStringLiteral("pinned"), true}})),
             QStringLiteral("ok"));
    QCOMPARE(outcome(ask(*alice, "add_members",
                         roomAnd(dm, {{QStringLiteral("userIds"), QJsonArray{double(carol->userId)}}}))),
             QStringLiteral("forbidden"));
    QCOMPARE(outcome(ask(*bob, "update_room", roomAnd(dm, {{QStringLiteral("name"), QStringLiteral("x")}}))),
             QStringLiteral("forbidden"));
}

void TestServerGroups::removalCutsEverythingAtOnce()
{
    TestServer server(roomyConfig());
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    auto bob2 = server.secondConnection(*bob);
    QVERIFY(bob2);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId, carol->userId});
    const qint64 before = sendMessage(*alice, room, QStringLiteral("zebra crossing"));
    QVERIFY(room && before);
    QCOMPARE(searchIds(*bob, QStringLiteral("zebra")), QList<qint64>{before});
    for (auto* c : {alice.get(), bob.get(), bob2.get(), carol.get()})
        c->clearInbox();

    QCOMPARE(outcome(ask(*alice, "remove_member", roomAnd(room, userArg(bob->userId)))),
             QStringLiteral("ok"));
    for (auto* c : {bob.get(), bob2.get()}) {
        const QJsonObject left = payloadOf(c->waitFor(QStringLiteral("room_left"), 5000, roomIs(room)));
        QCOMPARE(left.value(QLatin1String("reason")).toString(), QStringLiteral("removed"));
    }
    for (auto* c : {alice.get(), carol.get()}) {
        const QJsonObject left = payloadOf(c->waitFor(QStringLiteral("member_left"), 5000, roomIs(room)));
        QCOMPARE(idIn(left, "userId"), bob->userId);
        QCOMPARE(idIn(left, "byUserId"), alice->userId);
        QCOMPARE(lastSystem(*c, room)
                     .value(QLatin1String("system"))
                     .toObject()
                     .value(QLatin1String("action"))
                     .toString(),
                 QStringLiteral("member_removed"));
    }
    // From now on nothing of the room reaches bob: no events, no mentions,
    // no history, no search hits.
    const QString text = QStringLiteral("@bob zebra again");
    const qint64 after =
        sendMessage(*alice, room, text, {}, {span(text, QStringLiteral("bob"), bob->userId)});
    QVERIFY(after);
    QVERIFY(!carol->waitFor(QStringLiteral("message"), 5000, messageIs(after)).isEmpty());
    for (auto* c : {bob.get(), bob2.get()}) {
        QVERIFY(c->staysQuiet(QStringLiteral("message"), 300));
        QVERIFY(c->staysQuiet(QStringLiteral("mention"), 10));
    }
    QCOMPARE(outcome(bob->request(QStringLiteral("fetch_messages"), roomAnd(room))),
             QStringLiteral("forbidden"));
    QCOMPARE(searchIds(*bob, QStringLiteral("zebra")), QList<qint64>{});
    QCOMPARE(idsOfMessages(messagesIn(bob->request(QStringLiteral("list_mentions")))), QList<qint64>{});
    for (const QJsonValue& r :
         payloadOf(bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray())
        QVERIFY(idOf(r.toObject().value(QLatin1String("id"))) != room);

    // Added again: the room, and the others hear of it.
    carol->clearInbox();
    QCOMPARE(outcome(ask(*alice, "add_members",
                         roomAnd(room, {{QStringLiteral("userIds"), QJsonArray{double(bob->userId)}}}))),
             QStringLiteral("room"));
    const QJsonObject back = roomIn(bob->waitFor(QStringLiteral("room"), 5000, roomObjectIs(room)));
    QCOMPARE(roleIn(back, bob->userId), QStringLiteral("member"));
    QCOMPARE(back.value(QLatin1String("unreadCount")).toInt(), 0); // the history is not unread
    const QJsonObject joined = payloadOf(carol->waitFor(QStringLiteral("member_joined"), 5000, roomIs(room)));
    QCOMPARE(idIn(joined.value(QLatin1String("user")).toObject(), "id"), bob->userId);
    QCOMPARE(idIn(joined, "byUserId"), alice->userId);
    QCOMPARE(searchIds(*bob, QStringLiteral("zebra")).size(), 2);
}

void TestServerGroups::ownershipPassesOnWhenTheOwnerLeaves()
{
    TestServer server(roomyConfig());
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    auto dave = server.user(QStringLiteral("dave"));
    QVERIFY(alice && bob && carol && dave);
    // carol has been an admin longer than dave: she inherits, not the earlier member bob.
    const qint64 room =
        createGroup(*alice, QStringLiteral("team"), {bob->userId, carol->userId, dave->userId});
    for (qint64 admin : {carol->userId, dave->userId}) {
        QCOMPARE(outcome(ask(*alice, "set_role",
                             roomAnd(room, {{QStringLiteral("userId"), double(admin)},
                                            {QStringLiteral("role"), QStringLiteral("admin")}}))),
                 QStringLiteral("ok"));
        QTest::qWait(5); // distinct role_since
    }
    bob->clearInbox();
    QCOMPARE(outcome(alice->request(QStringLiteral("leave_room"), roomAnd(room))), QStringLiteral("ok"));
    const QJsonObject updated =
        roomIn(bob->waitFor(QStringLiteral("room_updated"), 5000, [&](const QJsonObject& p) {
            // Not the set_role ones, which may still be on their way.
            return roomObjectIs(room)(p) &&
                   idIn(p.value(QLatin1String("room")).toObject(), "ownerId") != alice->userId;
        }));
    QCOMPARE(roleIn(updated, carol->userId), QStringLiteral("owner"));
    QCOMPARE(idIn(updated, "ownerId"), carol->userId);
    QCOMPARE(roleIn(updated, dave->userId), QStringLiteral("admin"));
    QCOMPARE(roleIn(updated, alice->userId), QString());
    // No admin left: the member who joined earliest.
    QCOMPARE(outcome(ask(*carol, "set_role",
                         roomAnd(room, {{QStringLiteral("userId"), double(dave->userId)},
                                        {QStringLiteral("role"), QStringLiteral("member")}}))),
             QStringLiteral("ok"));
    // History says which way the role went, long after room_updated said it.
    const QJsonObject demoted = lastSystem(*bob, room).value(QLatin1String("system")).toObject();
    QCOMPARE(demoted.value(QLatin1String("action")).toString(), QStringLiteral("role_changed"));
    QCOMPARE(demoted.value(QLatin1String("role")).toString(), QStringLiteral("member"));
    QCOMPARE(demoted.value(QLatin1String("userIds")).toArray(), QJsonArray{double(dave->userId)});
    QCOMPARE(outcome(carol->request(QStringLiteral("leave_room"), roomAnd(room))), QStringLiteral("ok"));
    const QJsonArray rooms =
        payloadOf(bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.size(), 1);
    QCOMPARE(roleIn(rooms.at(0).toObject(), bob->userId), QStringLiteral("owner"));
    // And the new owner can act as one.
    QCOMPARE(
        outcome(ask(*bob, "update_room", roomAnd(room, {{QStringLiteral("name"), QStringLiteral("bob's")}}))),
        QStringLiteral("ok"));
}

void TestServerGroups::updatesAreSystemMessagesNeverUnread()
{
    TestServer server(roomyConfig());
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    QVERIFY(room);
    bob->clearInbox();
    QCOMPARE(outcome(ask(*alice, "update_room",
                         roomAnd(room, {{QStringLiteral("name"), QStringLiteral("Équipe")},
                                        {QStringLiteral("topic"), QStringLiteral("plans for 会议")}}))),
             QStringLiteral("ok"));
    const QJsonObject updated = roomIn(bob->waitFor(QStringLiteral("room_updated")));
    QCOMPARE(updated.value(QLatin1String("name")).toString(), QStringLiteral("Équipe"));
    QCOMPARE(updated.value(QLatin1String("topic")).toString(), QStringLiteral("plans for 会议"));
    // Two system messages, delivered like any message, never unread.
    const QJsonObject renamed =
        payloadOf(bob->waitFor(QStringLiteral("message"))).value(QLatin1String("message")).toObject();
    QCOMPARE(renamed.value(QLatin1String("kind")).toString(), QStringLiteral("system"));
    QCOMPARE(renamed.value(QLatin1String("content")).toString(), QString());
    const QJsonObject system = renamed.value(QLatin1String("system")).toObject();
    QCOMPARE(system.value(QLatin1String("action")).toString(), QStringLiteral("renamed"));
    QCOMPARE(system.value(QLatin1String("name")).toString(), QStringLiteral("Équipe"));
    QCOMPARE(idIn(system, "actorId"), alice->userId);
    const QJsonObject topic = lastSystem(*bob, room);
    QCOMPARE(topic.value(QLatin1String("system")).toObject().value(QLatin1String("topic")).toString(),
             QStringLiteral("plans for 会议"));
    const QJsonArray rooms =
        payloadOf(bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.at(0).toObject().value(QLatin1String("unreadCount")).toInt(), 0);
    // Not editable, deletable or reactable; not found by search.
    const qint64 id = idOf(topic.value(QLatin1String("id")));
    QCOMPARE(errorCodeOf(editMessage(*alice, id, QStringLiteral("x"))), QStringLiteral("forbidden"));
    QCOMPARE(errorCodeOf(deleteMessage(*alice, id)), QStringLiteral("forbidden"));
    QCOMPARE(errorCodeOf(react(*bob, id, QStringLiteral("👍"))), QStringLiteral("forbidden"));
    QCOMPARE(searchIds(*bob, QStringLiteral("会议")), QList<qint64>{});
    // A change that changes nothing stores nothing.
    QCOMPARE(outcome(ask(*alice, "update_room",
                         roomAnd(room, {{QStringLiteral("name"), QStringLiteral("Équipe")}}))),
             QStringLiteral("ok"));
    QCOMPARE(idOf(lastSystem(*bob, room).value(QLatin1String("id"))), id);
}

void TestServerGroups::pinsAreBounded()
{
    TestServer server(roomyConfig());
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    QList<qint64> ids;
    for (int i = 0; i <= 50; ++i)
        ids.append(sendMessage(*bob, room, QStringLiteral("note %1").arg(i), QStringLiteral("n%1").arg(i)));
    QVERIFY(!ids.contains(0));
    bob->clearInbox();
    for (int i = 0; i < 50; ++i)
        QCOMPARE(outcome(ask(
                     *alice, "pin_message",
                     {{QStringLiteral("messageId"), double(ids.at(i))}, {QStringLiteral("pinned"), true}})),
                 QStringLiteral("ok"));
    const QJsonObject changed = payloadOf(bob->waitFor(QStringLiteral("pins_changed")));
    QCOMPARE(idIn(changed, "messageId"), ids.at(0));
    QCOMPARE(changed.value(QLatin1String("pinned")).toBool(), true);
    QCOMPARE(idIn(changed, "byUserId"), alice->userId);
    QCOMPARE(errorCodeOf(
                 ask(*alice, "pin_message",
                     {{QStringLiteral("messageId"), double(ids.at(50))}, {QStringLiteral("pinned"), true}})),
             QStringLiteral("too_large"));
    QCOMPARE(
        outcome(ask(*alice, "pin_message",
                    {{QStringLiteral("messageId"), double(ids.at(3))}, {QStringLiteral("pinned"), false}})),
        QStringLiteral("ok"));
    const QList<qint64> pinned = idsOfMessages(messagesIn(ask(*bob, "list_pins", roomAnd(room))));
    QCOMPARE(pinned.size(), 49);
    QCOMPARE(pinned.first(), ids.at(49)); // newest pin first
    QVERIFY(!pinned.contains(ids.at(3)));
    QCOMPARE(
        outcome(ask(*alice, "pin_message",
                    {{QStringLiteral("messageId"), double(ids.at(50))}, {QStringLiteral("pinned"), true}})),
        QStringLiteral("ok"));
}

void TestServerGroups::publicGroupsAreListedAndJoined()
{
    TestServer server(roomyConfig());
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto dave = server.user(QStringLiteral("dave"));
    QVERIFY(alice && dave);
    const QJsonObject created = alice->request(QStringLiteral("create_room"),
                                               {{QStringLiteral("name"), QStringLiteral("Team 会议 ALPHA")},
                                                {QStringLiteral("memberIds"), QJsonArray()},
                                                {QStringLiteral("topic"), QStringLiteral("open to all")},
                                                {QStringLiteral("visibility"), QStringLiteral("public")}});
    const qint64 open = idIn(roomIn(created), "id");
    QVERIFY(open);
    QCOMPARE(roomIn(created).value(QLatin1String("visibility")).toString(), QStringLiteral("public"));
    const qint64 secret = createGroup(*alice, QStringLiteral("Team 会议 secret"), {});
    QVERIFY(secret);
    const auto listed = [&](const QString& query) {
        return payloadOf(ask(*dave, "list_public_rooms", {{QStringLiteral("query"), query}}))
            .value(QLatin1String("rooms"))
            .toArray();
    };
    for (const QString& query :
         {QStringLiteral("会议"), QStringLiteral("alpha"), QStringLiteral("m 会"), QString()}) {
        const QJsonArray rooms = listed(query);
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(idIn(rooms.at(0).toObject(), "id"), open);
        QCOMPARE(rooms.at(0).toObject().value(QLatin1String("topic")).toString(),
                 QStringLiteral("open to all"));
        QCOMPARE(rooms.at(0).toObject().value(QLatin1String("memberCount")).toInt(), 1);
    }
    QCOMPARE(listed(QStringLiteral("%")).size(), 0); // LIKE's wildcards match themselves
    QCOMPARE(listed(QStringLiteral("secret")).size(), 0);

    alice->clearInbox();
    QCOMPARE(errorCodeOf(ask(*dave, "join_room", roomAnd(secret))), QStringLiteral("forbidden"));
    QCOMPARE(typeOf(ask(*dave, "join_room", roomAnd(open))), QStringLiteral("joined"));
    QCOMPARE(roleIn(roomIn(dave->waitFor(QStringLiteral("room"), 5000, roomObjectIs(open))), dave->userId),
             QStringLiteral("member"));
    const QJsonObject joined = payloadOf(alice->waitFor(QStringLiteral("member_joined"), 5000, roomIs(open)));
    QCOMPARE(idIn(joined, "byUserId"), dave->userId);
    QCOMPARE(listed(QStringLiteral("alpha")).at(0).toObject().value(QLatin1String("memberCount")).toInt(), 2);
    QVERIFY(sendMessage(*dave, open, QStringLiteral("hello")));
}

void TestServerGroups::groupRequestsAreRateLimited()
{
    confab::server::ServerConfig config = TestServer::defaultConfig();
    config.groupBurst = 3;
    config.groupRatePerSecond = 0.01;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(typeOf(ask(*alice, "list_public_rooms", {})), QStringLiteral("public_rooms"));
    const QJsonObject limited = ask(*alice, "list_public_rooms", {});
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
}

CONFAB_TEST_MAIN(TestServerGroups)
#include "tst_server_groups.moc"
