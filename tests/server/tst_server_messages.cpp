// Messages against a real server: ack and fan-out, dedupe by tempId, paging,
// read markers, replies, content limits and the send rate limit.
#include "test_server.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace confab::test;

namespace {
QJsonObject messageOf(const QJsonObject& envelope)
{
    return payloadOf(envelope).value(QLatin1String("message")).toObject();
}
QList<qint64> idsOf(const QJsonArray& messages)
{
    QList<qint64> ids;
    for (const QJsonValue& m : messages)
        ids.append(idOf(m.toObject().value(QLatin1String("id"))));
    return ids;
}
} // namespace

class TestServerMessages : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void sendIsAckedThenFannedOutToEveryConnection();
    void repeatedTempIdStoresNothingNew();
    void pagingHasNoGapsOrDuplicates();
    void markReadMovesForwardAndTellsOtherConnections();
    void replyToMustBeInTheRoom();
    void contentLimitsAndBadFields();
    void sendsAreRateLimitedPerUser();
};

void TestServerMessages::sendIsAckedThenFannedOutToEveryConnection()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(alice && bob && carol);
    auto alice2 = server.secondConnection(*alice);
    auto bob2 = server.secondConnection(*bob);
    QVERIFY(alice2 && bob2);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    QVERIFY(room);
    for (auto* c : {alice.get(), alice2.get(), bob.get(), bob2.get()})
        c->clearInbox();

    const QString id = alice->sendWithId(QStringLiteral("send_message"),
                                         {{QStringLiteral("roomId"), double(room)},
                                          {QStringLiteral("content"), QStringLiteral("早上好 team 👋")},
                                          {QStringLiteral("tempId"), QStringLiteral("tmp-1")}});
    const QJsonObject ack = alice->waitForReply(id);
    QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
    const qint64 messageId = idOf(payloadOf(ack).value(QLatin1String("messageId")));
    QVERIFY(messageId > 0);
    QCOMPARE(payloadOf(ack).value(QLatin1String("tempId")).toString(), QStringLiteral("tmp-1"));
    const double createdAt = payloadOf(ack).value(QLatin1String("createdAt")).toDouble();
    QVERIFY(createdAt > 1.7e12);

    // On the sending connection the ack precedes the message event.
    const QJsonObject own = alice->waitFor(QStringLiteral("message"));
    QVERIFY(!own.isEmpty());
    QVERIFY(alice->history.indexOf(QStringLiteral("message_ack")) <
            alice->history.indexOf(QStringLiteral("message")));
    for (auto* c : {alice2.get(), bob.get(), bob2.get()}) {
        const QJsonObject m = messageOf(c->waitFor(QStringLiteral("message")));
        QCOMPARE(idOf(m.value(QLatin1String("id"))), messageId);
        QCOMPARE(idOf(m.value(QLatin1String("roomId"))), room);
        QCOMPARE(idOf(m.value(QLatin1String("senderId"))), alice->userId);
        QCOMPARE(m.value(QLatin1String("content")).toString(), QStringLiteral("早上好 team 👋"));
        QCOMPARE(m.value(QLatin1String("mentions")).toArray(), QJsonArray());
        QCOMPARE(m.value(QLatin1String("createdAt")).toDouble(), createdAt);
        QCOMPARE(m.value(QLatin1String("tempId")).toString(), QStringLiteral("tmp-1"));
        QVERIFY(m.value(QLatin1String("replyTo")).isNull());
        QVERIFY(m.value(QLatin1String("editedAt")).isNull());
        QCOMPARE(m.value(QLatin1String("deleted")).toBool(), false);
    }
    QVERIFY(carol->staysQuiet(QStringLiteral("message")));
}

void TestServerMessages::repeatedTempIdStoresNothingNew()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {bob->userId});
    const qint64 other = createGroup(*alice, QStringLiteral("other"), {});
    QVERIFY(room && other);
    const QJsonObject payload{{QStringLiteral("roomId"), double(room)},
                              {QStringLiteral("content"), QStringLiteral("once")},
                              {QStringLiteral("tempId"), QStringLiteral("retry-me")}};
    const QJsonObject first = alice->request(QStringLiteral("send_message"), payload);
    QCOMPARE(typeOf(bob->waitFor(QStringLiteral("message"))), QStringLiteral("message"));
    const QJsonObject second = alice->request(QStringLiteral("send_message"), payload);
    QCOMPARE(typeOf(second), QStringLiteral("message_ack"));
    QCOMPARE(payloadOf(second), payloadOf(first)); // same messageId and createdAt
    // The same tempId naming another room still acks the first message.
    QJsonObject elsewhere = payload;
    elsewhere.insert(QStringLiteral("roomId"), double(other));
    QCOMPARE(payloadOf(alice->request(QStringLiteral("send_message"), elsewhere)), payloadOf(first));
    // But a repeat must pass the membership check of the room it names, like
    // any send: a room she is not in, or one that does not exist, gets the
    // same forbidden as a first send would, not the ack of her message.
    const qint64 bobsOwn = createGroup(*bob, QStringLiteral("bob's own"), {});
    QVERIFY(bobsOwn);
    QJsonObject notHers = payload;
    notHers.insert(QStringLiteral("roomId"), double(bobsOwn));
    const QJsonObject refused = alice->request(QStringLiteral("send_message"), notHers);
    QCOMPARE(errorCodeOf(refused), QStringLiteral("forbidden"));
    QCOMPARE(payloadOf(refused).value(QLatin1String("message")).toString(),
             QStringLiteral("no such room or not a member"));
    QJsonObject nowhere = payload;
    nowhere.insert(QStringLiteral("roomId"), 987654321.0);
    QCOMPARE(payloadOf(alice->request(QStringLiteral("send_message"), nowhere)), payloadOf(refused));
    QCOMPARE(payloadOf(bob->request(QStringLiteral("fetch_messages"),
                                    {{QStringLiteral("roomId"), double(bobsOwn)}}))
                 .value(QLatin1String("messages"))
                 .toArray()
                 .size(),
             0);
    QVERIFY(bob->staysQuiet(QStringLiteral("message")));
    const QJsonObject history =
        alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(room)}});
    QCOMPARE(payloadOf(history).value(QLatin1String("messages")).toArray().size(), 1);
    const QJsonObject otherHistory =
        alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(other)}});
    QCOMPARE(payloadOf(otherHistory).value(QLatin1String("messages")).toArray().size(), 0);
    // Another user may use the same tempId: it is unique per sender.
    QVERIFY(sendMessage(*bob, room, QStringLiteral("mine"), QStringLiteral("retry-me")) >
            idOf(payloadOf(first).value(QLatin1String("messageId"))));
}

void TestServerMessages::pagingHasNoGapsOrDuplicates()
{
    TestServer server(TestServer::fastSendersConfig());
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    const qint64 room = createGroup(*alice, QStringLiteral("long"), {});
    QVERIFY(room);
    // Pipelined sends: all in flight at once, acks matched by id.
    QStringList requestIds;
    for (int i = 0; i < 130; ++i) {
        requestIds.append(alice->sendWithId(QStringLiteral("send_message"),
                                            {{QStringLiteral("roomId"), double(room)},
                                             {QStringLiteral("content"), QStringLiteral("msg %1").arg(i)},
                                             {QStringLiteral("tempId"), QStringLiteral("p%1").arg(i)}}));
    }
    QList<qint64> sent;
    for (const QString& id : requestIds)
        sent.append(idOf(payloadOf(alice->waitForReply(id)).value(QLatin1String("messageId"))));
    QVERIFY(std::is_sorted(sent.begin(), sent.end())); // ids follow send order
    QCOMPARE(QSet<qint64>(sent.begin(), sent.end()).size(), 130);

    // Backwards from the newest page: 50 + 50 + 30.
    QList<qint64> seen;
    QJsonObject page = payloadOf(
        alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(room)}}));
    QCOMPARE(idOf(page.value(QLatin1String("roomId"))), room);
    QList<int> sizes;
    for (;;) {
        const QList<qint64> ids = idsOf(page.value(QLatin1String("messages")).toArray());
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
        sizes.append(int(ids.size()));
        seen = ids + seen;
        if (!page.value(QLatin1String("hasMore")).toBool())
            break;
        page = payloadOf(alice->request(
            QStringLiteral("fetch_messages"),
            {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("beforeId"), double(ids.first())}}));
    }
    QCOMPARE(sizes, (QList<int>{50, 50, 30}));
    QCOMPARE(seen, sent);

    // Forwards with afterId, limit 40: 40 + 40 + 40 + 9 after the first message.
    QList<qint64> forward{sent.first()};
    QList<int> forwardSizes;
    bool more = true;
    while (more) {
        page = payloadOf(alice->request(QStringLiteral("fetch_messages"),
                                        {{QStringLiteral("roomId"), double(room)},
                                         {QStringLiteral("afterId"), double(forward.last())},
                                         {QStringLiteral("limit"), 40}}));
        const QList<qint64> ids = idsOf(page.value(QLatin1String("messages")).toArray());
        forwardSizes.append(int(ids.size()));
        forward += ids;
        more = page.value(QLatin1String("hasMore")).toBool();
    }
    QCOMPARE(forwardSizes, (QList<int>{40, 40, 40, 9}));
    QCOMPARE(forward, sent);

    // Limits are clamped to [1, 100]; before and after together are refused.
    page =
        payloadOf(alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(room)},
                                                                    {QStringLiteral("limit"), 1000}}));
    QCOMPARE(page.value(QLatin1String("messages")).toArray().size(), 100);
    page =
        payloadOf(alice->request(QStringLiteral("fetch_messages"),
                                 {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("limit"), 0}}));
    QCOMPARE(page.value(QLatin1String("messages")).toArray().size(), 1);
    QCOMPARE(errorCodeOf(
                 alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(room)},
                                                                   {QStringLiteral("beforeId"), 5},
                                                                   {QStringLiteral("afterId"), 2}})),
             QStringLiteral("bad_request"));
}

void TestServerMessages::markReadMovesForwardAndTellsOtherConnections()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    auto bob2 = server.secondConnection(*bob);
    QVERIFY(bob2);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {bob->userId});
    const qint64 m1 = sendMessage(*alice, room, QStringLiteral("one"));
    const qint64 m2 = sendMessage(*alice, room, QStringLiteral("two"));
    const qint64 m3 = sendMessage(*alice, room, QStringLiteral("three"));
    QVERIFY(m1 && m2 && m3);
    auto unread = [&] {
        const QJsonArray rooms =
            payloadOf(bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
        return rooms.at(0).toObject().value(QLatin1String("unreadCount")).toInt();
    };
    QCOMPARE(unread(), 3);
    QCOMPARE(typeOf(bob->request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(room)},
                                                               {QStringLiteral("messageId"), double(m2)}})),
             QStringLiteral("ok"));
    QCOMPARE(idOf(payloadOf(bob2->waitFor(QStringLiteral("read"))).value(QLatin1String("messageId"))), m2);
    QVERIFY(bob->staysQuiet(QStringLiteral("read"), 100)); // only the other connections
    QCOMPARE(unread(), 1);
    // Never backwards: marking m1 leaves the marker at m2.
    QCOMPARE(typeOf(bob->request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(room)},
                                                               {QStringLiteral("messageId"), double(m1)}})),
             QStringLiteral("ok"));
    QCOMPARE(idOf(payloadOf(bob2->waitFor(QStringLiteral("read"))).value(QLatin1String("messageId"))), m2);
    QCOMPARE(unread(), 1);
    QCOMPARE(errorCodeOf(bob->request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(room)},
                                                                    {QStringLiteral("messageId"), 99999}})),
             QStringLiteral("not_found"));
    QVERIFY(alice->staysQuiet(QStringLiteral("read"), 10)); // other users never see read markers
}

void TestServerMessages::replyToMustBeInTheRoom()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    const qint64 a = createGroup(*alice, QStringLiteral("a"), {});
    const qint64 b = createGroup(*alice, QStringLiteral("b"), {});
    const qint64 inA = sendMessage(*alice, a, QStringLiteral("question?"));
    const qint64 inB = sendMessage(*alice, b, QStringLiteral("elsewhere"));
    QVERIFY(inA && inB);
    const QString id = alice->sendWithId(QStringLiteral("send_message"),
                                         {{QStringLiteral("roomId"), double(a)},
                                          {QStringLiteral("content"), QStringLiteral("answer")},
                                          {QStringLiteral("tempId"), QStringLiteral("r1")},
                                          {QStringLiteral("replyTo"), double(inA)}});
    QCOMPARE(typeOf(alice->waitForReply(id)), QStringLiteral("message_ack"));
    QCOMPARE(idOf(messageOf(alice->waitFor(QStringLiteral("message"), 5000,
                                           [](const QJsonObject& p) {
                                               return p.value(QLatin1String("message"))
                                                          .toObject()
                                                          .value(QLatin1String("content"))
                                                          .toString() == QLatin1String("answer");
                                           }))
                      .value(QLatin1String("replyTo"))),
             inA);
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("send_message"),
                                        {{QStringLiteral("roomId"), double(a)},
                                         {QStringLiteral("content"), QStringLiteral("x")},
                                         {QStringLiteral("tempId"), QStringLiteral("r2")},
                                         {QStringLiteral("replyTo"), double(inB)}})),
             QStringLiteral("not_found"));
}

void TestServerMessages::contentLimitsAndBadFields()
{
    auto config = TestServer::defaultConfig();
    config.contentMaxLength = 1000;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {});
    auto send = [&](QJsonObject payload) {
        payload.insert(QStringLiteral("roomId"), double(room));
        return errorCodeOf(alice->request(QStringLiteral("send_message"), payload));
    };
    QCOMPARE(send({{QStringLiteral("content"), QString(1001, QChar(0x4e2d))},
                   {QStringLiteral("tempId"), QStringLiteral("a")}}),
             QStringLiteral("too_large"));
    QCOMPARE(send({{QStringLiteral("content"), QStringLiteral(" \n\t ")},
                   {QStringLiteral("tempId"), QStringLiteral("b")}}),
             QStringLiteral("bad_request"));
    QCOMPARE(send({{QStringLiteral("content"), QStringLiteral("no temp id")}}),
             QStringLiteral("bad_request"));
    QCOMPARE(send({{QStringLiteral("content"), 5}, {QStringLiteral("tempId"), QStringLiteral("c")}}),
             QStringLiteral("bad_request"));
    QCOMPARE(send({{QStringLiteral("content"), QStringLiteral("x")},
                   {QStringLiteral("tempId"), QStringLiteral("d")},
                   {QStringLiteral("mentions"), QStringLiteral("@bob")}}),
             QStringLiteral("bad_request"));
    QCOMPARE(send({{QStringLiteral("content"), QStringLiteral("x")},
                   {QStringLiteral("tempId"), QStringLiteral("e")},
                   {QStringLiteral("mentions"), QJsonArray{QJsonObject{{QStringLiteral("userId"), 1}}}}}),
             QStringLiteral("bad_request"));
    // Exactly at the limit is fine; nothing from the failures was stored.
    QVERIFY(sendMessage(*alice, room, QString(1000, QChar(0x4e2d))));
    const QJsonObject history =
        alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(room)}});
    QCOMPARE(payloadOf(history).value(QLatin1String("messages")).toArray().size(), 1);
}

void TestServerMessages::sendsAreRateLimitedPerUser()
{
    auto config = TestServer::defaultConfig();
    config.sendBurst = 5;
    config.sendRatePerSecond = 1;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {bob->userId});
    for (int i = 0; i < 5; ++i)
        QVERIFY(sendMessage(*alice, room, QStringLiteral("burst %1").arg(i)));
    const QJsonObject limited = alice->request(QStringLiteral("send_message"),
                                               {{QStringLiteral("roomId"), double(room)},
                                                {QStringLiteral("content"), QStringLiteral("one too many")},
                                                {QStringLiteral("tempId"), QStringLiteral("x")}});
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    const double retry = payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble();
    QVERIFY2(retry > 0 && retry <= 1000, qPrintable(QString::number(retry)));
    // Bob has a bucket of his own.
    QVERIFY(sendMessage(*bob, room, QStringLiteral("bob is fine")));
    // After waiting as told, alice can send again.
    QTest::qWait(int(retry) + 50);
    QVERIFY(sendMessage(*alice, room, QStringLiteral("after the wait"), QStringLiteral("x")));
    const QJsonArray messages = payloadOf(alice->request(QStringLiteral("fetch_messages"),
                                                         {{QStringLiteral("roomId"), double(room)}}))
                                    .value(QLatin1String("messages"))
                                    .toArray();
    QCOMPARE(messages.size(), 7);
}

CONFAB_TEST_MAIN(TestServerMessages)
#include "tst_server_messages.moc"
