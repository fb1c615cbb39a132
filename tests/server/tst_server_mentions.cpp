// Mentions, typing and presence against a real server.
#include "test_server.h"

#include <QJsonArray>
#include <QTest>

using namespace confab::test;

namespace {
QJsonObject span(qint64 userId, int start, int end)
{
    return {{QStringLiteral("userId"), double(userId)},
            {QStringLiteral("indexStart"), start},
            {QStringLiteral("indexEnd"), end}};
}
QJsonObject roomWith(TestClient& user, qint64 roomId)
{
    const QJsonArray rooms =
        payloadOf(user.request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    for (const QJsonValue& r : rooms) {
        if (idOf(r.toObject().value(QLatin1String("id"))) == roomId)
            return r.toObject();
    }
    return {};
}
} // namespace

class TestServerMentions : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void onlyVerifiedMentionsAreKeptAndAnnounced();
    void offlineMentionsAreCountedAndListed();
    void typingReachesOtherMembersOnly();
    void presenceFollowsFirstAndLastConnection();
};

void TestServerMentions::onlyVerifiedMentionsAreKeptAndAnnounced()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    auto dave = server.user(QStringLiteral("dave")); // not in the room
    QVERIFY(alice && bob && carol && dave);
    auto bob2 = server.secondConnection(*bob);
    QVERIFY(bob2);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {bob->userId, carol->userId});
    // "😀 @bob 和 @carol, @dave @alice": the emoji is two UTF-16 units.
    const QString content = QStringLiteral("😀 @bob 和 @carol, @dave @alice");
    const QJsonArray mentions{span(bob->userId, 3, 7),      // exact: kept
                              span(carol->userId, 10, 15),  // "@caro": wrong span, dropped
                              span(dave->userId, 18, 23),   // exact text, but not a member: dropped
                              span(alice->userId, 24, 30)}; // self mention: kept, no event
    const qint64 messageId = sendMessage(*alice, room, content, {}, mentions);
    QVERIFY(messageId);

    const QJsonObject stored =
        payloadOf(bob->waitFor(QStringLiteral("message"))).value(QLatin1String("message")).toObject();
    QCOMPARE(stored.value(QLatin1String("mentions")).toArray(),
             (QJsonArray{span(bob->userId, 3, 7), span(alice->userId, 24, 30)}));
    for (auto* c : {bob.get(), bob2.get()}) {
        const QJsonObject m = payloadOf(c->waitFor(QStringLiteral("mention")));
        // On each mentioned connection the message came first, then its mention.
        const qsizetype messageAt = c->history.indexOf(QStringLiteral("message"));
        const qsizetype mentionAt = c->history.indexOf(QStringLiteral("mention"));
        QVERIFY2(messageAt >= 0 && messageAt < mentionAt, qPrintable(c->history.join(QLatin1Char(' '))));
        QCOMPARE(idOf(m.value(QLatin1String("roomId"))), room);
        QCOMPARE(idOf(m.value(QLatin1String("messageId"))), messageId);
        QCOMPARE(idOf(m.value(QLatin1String("fromUserId"))), alice->userId);
        QCOMPARE(m.value(QLatin1String("content")).toString(), content);
    }
    QVERIFY(carol->staysQuiet(QStringLiteral("mention")));
    QVERIFY(dave->staysQuiet(QStringLiteral("mention"), 10));
    QVERIFY(alice->staysQuiet(QStringLiteral("mention"), 10));
    // The history shows the same verified spans.
    const QJsonArray history = payloadOf(carol->request(QStringLiteral("fetch_messages"),
                                                        {{QStringLiteral("roomId"), double(room)}}))
                                   .value(QLatin1String("messages"))
                                   .toArray();
    QCOMPARE(history.at(0).toObject().value(QLatin1String("mentions")).toArray().size(), 2);
}

void TestServerMentions::offlineMentionsAreCountedAndListed()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {bob->userId});
    const qint64 dm = openDm(*alice, bob->userId);
    bob->close();

    const qint64 m1 = sendMessage(*alice, room, QStringLiteral("@bob 看一下"), {}, {span(bob->userId, 0, 4)});
    const qint64 plain = sendMessage(*alice, room, QStringLiteral("no mention"));
    const qint64 m2 = sendMessage(*alice, dm, QStringLiteral("ping @bob"), {}, {span(bob->userId, 5, 9)});
    const qint64 m3 = sendMessage(*alice, room, QStringLiteral("@bob again"), {}, {span(bob->userId, 0, 4)});
    QVERIFY(m1 && plain && m2 && m3);

    auto back = server.client();
    QVERIFY(back->signIn(QStringLiteral("bob")));
    QCOMPARE(roomWith(*back, room).value(QLatin1String("mentionCount")).toInt(), 2);
    QCOMPARE(roomWith(*back, room).value(QLatin1String("unreadCount")).toInt(), 3);
    QCOMPARE(roomWith(*back, dm).value(QLatin1String("mentionCount")).toInt(), 1);

    const QJsonObject listed = payloadOf(back->request(QStringLiteral("list_mentions")));
    QList<qint64> ids;
    for (const QJsonValue& m : listed.value(QLatin1String("items")).toArray())
        ids.append(idOf(m.toObject().value(QLatin1String("id"))));
    QCOMPARE(ids, (QList<qint64>{m3, m2, m1})); // newest first
    const QJsonObject paged =
        payloadOf(back->request(QStringLiteral("list_mentions"),
                                {{QStringLiteral("beforeId"), double(m3)}, {QStringLiteral("limit"), 1}}));
    QCOMPARE(paged.value(QLatin1String("items")).toArray().size(), 1);
    QCOMPARE(idOf(paged.value(QLatin1String("items")).toArray().at(0).toObject().value(QLatin1String("id"))),
             m2);
    QCOMPARE(paged.value(QLatin1String("hasMore")).toBool(), true);

    // Reading clears the count for what was read.
    QCOMPARE(typeOf(back->request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(room)},
                                                                {QStringLiteral("messageId"), double(m1)}})),
             QStringLiteral("ok"));
    QCOMPARE(roomWith(*back, room).value(QLatin1String("mentionCount")).toInt(), 1);
    QCOMPARE(roomWith(*back, room).value(QLatin1String("unreadCount")).toInt(), 2);
}

void TestServerMentions::typingReachesOtherMembersOnly()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    auto alice2 = server.secondConnection(*alice);
    QVERIFY(alice2);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {bob->userId});

    alice->sendWithId(QStringLiteral("typing"),
                      {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), true}});
    const QJsonObject typing = payloadOf(bob->waitFor(QStringLiteral("typing")));
    QCOMPARE(idOf(typing.value(QLatin1String("roomId"))), room);
    QCOMPARE(idOf(typing.value(QLatin1String("userId"))), alice->userId);
    QCOMPARE(typing.value(QLatin1String("isTyping")).toBool(), true);
    QVERIFY(alice2->staysQuiet(QStringLiteral("typing"), 100));
    QVERIFY(carol->staysQuiet(QStringLiteral("typing"), 10));
    QCOMPARE(alice->inboxSize(), 0); // no reply on success

    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("typing"),
                                        {{QStringLiteral("roomId"), double(room)},
                                         {QStringLiteral("isTyping"), QStringLiteral("yes")}})),
             QStringLiteral("bad_request"));
    // Closing while typing tells the others it stopped.
    alice->close();
    const QJsonObject stopped = payloadOf(bob->waitFor(QStringLiteral("typing")));
    QCOMPARE(stopped.value(QLatin1String("isTyping")).toBool(), false);
    QCOMPARE(idOf(stopped.value(QLatin1String("userId"))), alice->userId);
}

void TestServerMentions::presenceFollowsFirstAndLastConnection()
{
    TestServer server;
    QVERIFY(server.start());
    auto bob = server.user(QStringLiteral("bob"));
    auto stranger = server.user(QStringLiteral("stranger"));
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(bob && stranger && alice);
    QVERIFY(openDm(*alice, bob->userId));
    alice->close();
    const QJsonObject offline = payloadOf(bob->waitFor(QStringLiteral("presence")));
    QCOMPARE(idOf(offline.value(QLatin1String("userId"))), alice->userId);
    QCOMPARE(offline.value(QLatin1String("online")).toBool(), false);
    QVERIFY(offline.value(QLatin1String("lastSeenAt")).toDouble() > 1.7e12);

    auto first = server.client();
    QVERIFY(first->signIn(QStringLiteral("alice")));
    const QJsonObject online = payloadOf(bob->waitFor(QStringLiteral("presence")));
    QCOMPARE(idOf(online.value(QLatin1String("userId"))), alice->userId);
    QCOMPARE(online.value(QLatin1String("online")).toBool(), true);
    auto second = server.secondConnection(*first);
    QVERIFY(second);
    QVERIFY(bob->staysQuiet(QStringLiteral("presence"))); // not for the second connection
    second->close();
    QVERIFY(bob->staysQuiet(QStringLiteral("presence"))); // nor when one of two closes
    first->close();
    QCOMPARE(payloadOf(bob->waitFor(QStringLiteral("presence"))).value(QLatin1String("online")).toBool(),
             false);
    QVERIFY(stranger->staysQuiet(QStringLiteral("presence"), 10)); // shares no room with alice
    // search_users shows the same state.
    const QJsonArray users = payloadOf(bob->request(QStringLiteral("search_users"),
                                                    {{QStringLiteral("query"), QStringLiteral("ali")}}))
                                 .value(QLatin1String("users"))
                                 .toArray();
    QCOMPARE(users.size(), 1);
    QCOMPARE(users.at(0).toObject().value(QLatin1String("online")).toBool(), false);
}

CONFAB_TEST_MAIN(TestServerMentions)
#include "tst_server_mentions.moc"
