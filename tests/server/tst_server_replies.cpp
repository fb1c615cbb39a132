// Issue 12, item 5: no reply is larger than Confab's own client accepts.
// Every client here reads with the desktop client's frame limit
// (limits::kClientMaxFrameBytes, what client/session.cpp sets) and records
// the largest frame it received; a frame over the limit would close it.
#include "protocol/limits.h"
#include "store/store_factory.h"
#include "test_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace confab;
using namespace confab::test;

namespace {

// A client that reads like the desktop client: frames over its limit close it.
struct LimitedClient {
    std::unique_ptr<TestClient> client;
    std::shared_ptr<qsizetype> largestFrame = std::make_shared<qsizetype>(0); // bytes

    TestClient* operator->() const { return client.get(); }
    qsizetype largest() const { return *largestFrame; }
};

LimitedClient limitedClient(const QUrl& url, const QString& name)
{
    LimitedClient c{std::make_unique<TestClient>()};
    c.client->socket().setMaxAllowedIncomingFrameSize(limits::kClientMaxFrameBytes);
    c.client->socket().setMaxAllowedIncomingMessageSize(limits::kClientMaxFrameBytes);
    QObject::connect(
        &c.client->socket(), &QWebSocket::textMessageReceived, c.client.get(),
        [largest = c.largestFrame](const QString& text) { *largest = qMax(*largest, text.toUtf8().size()); });
    if (!c.client->open(url) || !c.client->signUp(name))
        c.client.reset();
    return c;
}

QJsonObject payloadOfRequest(TestClient& c, const QString& type, const QJsonObject& payload)
{
    return payloadOf(c.request(type, payload, 20000));
}

QList<qint64> idsOf(const QJsonArray& messages)
{
    QList<qint64> ids;
    for (const QJsonValue& m : messages)
        ids.append(idOf(m.toObject().value(QLatin1String("id"))));
    return ids;
}

QJsonObject sendPayload(qint64 room, const QString& content, const QString& tempId)
{
    return {{QStringLiteral("roomId"), double(room)},
            {QStringLiteral("content"), content},
            {QStringLiteral("tempId"), tempId}};
}

} // namespace

class TestServerReplies : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void controlCharactersInContentAreBadRequest_data();
    void controlCharactersInContentAreBadRequest();
    void heavyRoomsFitTheClientsRoomList();
    void historyPagesAreBoundedInBytes();
    void lastMessageIsAPreview();
    void longMemberListsAreCutToFitTheClient();
};

void TestServerReplies::controlCharactersInContentAreBadRequest_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("code");
    const auto s = [](std::u16string_view text) { return QString::fromUtf16(text.data(), text.size()); };
    QTest::newRow("NUL") << s(std::u16string_view(u"a\0b", 3)) << QStringLiteral("bad_request");
    QTest::newRow("escape sequence") << s(u"\u001b[31mred") << QStringLiteral("bad_request");
    QTest::newRow("bare CR") << s(u"fake\rline") << QStringLiteral("bad_request");
    QTest::newRow("DEL") << s(u"x\u007f") << QStringLiteral("bad_request");
    QTest::newRow("C1") << s(u"x\u0085y") << QStringLiteral("bad_request");
    QTest::newRow("lone surrogate") << QStringLiteral("x") + QChar(0xd800) << QStringLiteral("bad_request");
    QTest::newRow("tab, LF, CRLF") << s(u"a\tb\nc\r\nd") << QString();
    QTest::newRow("emoji") << s(u"ok \U0001F600") << QString();
}

void TestServerReplies::controlCharactersInContentAreBadRequest()
{
    QFETCH(QString, content);
    QFETCH(QString, code);
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {});
    const QJsonObject reply =
        alice->request(QStringLiteral("send_message"), sendPayload(room, content, QStringLiteral("t1")));
    if (!code.isEmpty()) {
        QCOMPARE(errorCodeOf(reply), code);
        const QJsonObject history =
            alice->request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(room)}});
        QCOMPARE(payloadOf(history).value(QLatin1String("messages")).toArray().size(), 0);
        return;
    }
    QCOMPARE(typeOf(reply), QStringLiteral("message_ack"));
    const QJsonArray stored = payloadOf(alice->request(QStringLiteral("fetch_messages"),
                                                       {{QStringLiteral("roomId"), double(room)}}))
                                  .value(QLatin1String("messages"))
                                  .toArray();
    QCOMPARE(stored.first().toObject().value(QLatin1String("content")).toString(),
             content); // exactly as sent
}

// The report: a user added to rooms that each hold one message as
// heavy as the server takes got a room list over the client's limit and
// reconnected forever. Each room here gets the heaviest content the server
// accepts: 16,000 control characters (6 bytes each in JSON) when it takes
// them, else 16,000 CJK characters (3 bytes each, the most that passes).
void TestServerReplies::heavyRoomsFitTheClientsRoomList()
{
    TestServer server;
    QVERIFY(server.start());
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(bob);
    LimitedClient alice = limitedClient(server.url(), QStringLiteral("alice"));
    QVERIFY(alice.client);

    const QString controls(16000, QChar(0x01));
    const QString cjk(16000, QChar(0x4e2d));
    int refusedControls = 0;
    QSet<qint64> rooms;
    for (int i = 0; i < 30; ++i) {
        const qint64 room = createGroup(*bob, QStringLiteral("heavy %1").arg(i), {alice->userId});
        QVERIFY(room > 0);
        rooms.insert(room);
        const QJsonObject first = bob->request(QStringLiteral("send_message"),
                                               sendPayload(room, controls, QStringLiteral("c%1").arg(i)));
        if (errorCodeOf(first) == QLatin1String("bad_request")) {
            ++refusedControls;
            QVERIFY(sendMessage(*bob, room, cjk));
        } else {
            QCOMPARE(typeOf(first), QStringLiteral("message_ack"));
        }
    }
    QVERIFY(QTest::qWaitFor([&] { return alice->history.count(QStringLiteral("message")) == 30; }, 20000) ||
            !alice->isConnected());

    const QJsonObject reply = alice->request(QStringLiteral("list_rooms"), {}, 20000);
    QVERIFY2(alice->isConnected(), "the room list was over the client's frame limit: it disconnected");
    QCOMPARE(typeOf(reply), QStringLiteral("rooms"));
    const QJsonArray list = payloadOf(reply).value(QLatin1String("rooms")).toArray();
    QCOMPARE(list.size(), 30);
    for (const QJsonValue& value : list) {
        const QJsonObject last = value.toObject().value(QLatin1String("lastMessage")).toObject();
        QCOMPARE(last.value(QLatin1String("content")).toString(), cjk.left(limits::kPreviewMaxLength));
        QCOMPARE(last.value(QLatin1String("truncated")), QJsonValue(true));
        QVERIFY(rooms.contains(idOf(value.toObject().value(QLatin1String("id")))));
    }
    QVERIFY2(alice.largest() < limits::kClientMaxFrameBytes, qPrintable(QString::number(alice.largest())));
    QCOMPARE(refusedControls, 30);
    qInfo("30 rooms of 48 KB messages: the rooms reply is %lld bytes; the largest frame %lld",
          qlonglong(QJsonDocument(reply).toJson(QJsonDocument::Compact).size()), qlonglong(alice.largest()));
}

// 25 messages of 48 KB (1.2 MB) in one room, each mentioning alice and
// matching the searches: every page of history, mentions and search (the
// indexed path and the scan of 1-2 characters) stays under the limit, ends
// early with hasMore, and paging on yields every message exactly once.
void TestServerReplies::historyPagesAreBoundedInBytes()
{
    TestServer server;
    QVERIFY(server.start());
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(bob);
    LimitedClient alice = limitedClient(server.url(), QStringLiteral("alice"));
    QVERIFY(alice.client);
    const qint64 room = createGroup(*bob, QStringLiteral("archive"), {alice->userId});
    const QString body = QStringLiteral("@alice ") + QString(16000 - 7, QChar(0x4e2d));
    const QJsonArray mention{QJsonObject{{QStringLiteral("userId"), double(alice->userId)},
                                         {QStringLiteral("indexStart"), 0},
                                         {QStringLiteral("indexEnd"), 6}}};
    QList<qint64> sent;
    for (int i = 0; i < 25; ++i) {
        const qint64 id = sendMessage(*bob, room, body, QString(), mention);
        QVERIFY(id > 0);
        sent.append(id);
    }
    const QJsonObject roomId{{QStringLiteral("roomId"), double(room)}};

    // Older pages from the newest: ascending within a page, each below the last.
    QList<qint64> seen;
    std::optional<qint64> before;
    int pages = 0;
    for (bool more = true; more && pages < 30; ++pages) {
        QJsonObject request = roomId;
        request.insert(QStringLiteral("limit"), 100);
        if (before)
            request.insert(QStringLiteral("beforeId"), double(*before));
        const QJsonObject history =
            payloadOfRequest(*alice.client, QStringLiteral("fetch_messages"), request);
        QVERIFY2(alice->isConnected(), "a history page was over the client's frame limit");
        const QList<qint64> ids = idsOf(history.value(QLatin1String("messages")).toArray());
        QVERIFY(!ids.isEmpty());
        QVERIFY(std::is_sorted(ids.cbegin(), ids.cend()));
        seen = ids + seen;
        before = ids.first();
        more = history.value(QLatin1String("hasMore")).toBool();
    }
    QCOMPARE(seen, sent);
    QVERIFY2(pages >= 3, "pages were not cut by bytes");

    // Newer pages from before the first message.
    seen.clear();
    qint64 after = sent.first() - 1;
    for (bool more = true; more;) {
        QJsonObject request = roomId;
        request.insert(QStringLiteral("limit"), 100);
        request.insert(QStringLiteral("afterId"), double(after));
        const QJsonObject history =
            payloadOfRequest(*alice.client, QStringLiteral("fetch_messages"), request);
        const QList<qint64> ids = idsOf(history.value(QLatin1String("messages")).toArray());
        QVERIFY(!ids.isEmpty());
        seen += ids;
        after = ids.last();
        more = history.value(QLatin1String("hasMore")).toBool();
    }
    QCOMPARE(seen, sent);

    // Mentions, newest first.
    QList<qint64> newestFirst = sent;
    std::reverse(newestFirst.begin(), newestFirst.end());
    seen.clear();
    before.reset();
    for (bool more = true; more;) {
        QJsonObject request{{QStringLiteral("limit"), 100}};
        if (before)
            request.insert(QStringLiteral("beforeId"), double(*before));
        const QJsonObject mentions =
            payloadOfRequest(*alice.client, QStringLiteral("list_mentions"), request);
        const QList<qint64> ids = idsOf(mentions.value(QLatin1String("items")).toArray());
        QVERIFY(!ids.isEmpty());
        seen += ids;
        before = ids.last();
        more = mentions.value(QLatin1String("hasMore")).toBool();
    }
    QCOMPARE(seen, newestFirst);

    // Search: a trigram query (the index) and a one-character one (the scan).
    for (const QString& query : {QStringLiteral("中中中"), QStringLiteral("中")}) {
        seen.clear();
        before.reset();
        for (int round = 0; round < 200; ++round) {
            QJsonObject request{{QStringLiteral("query"), query}, {QStringLiteral("limit"), 100}};
            if (before)
                request.insert(QStringLiteral("beforeId"), double(*before));
            const QJsonObject results =
                payloadOfRequest(*alice.client, QStringLiteral("search_messages"), request);
            QVERIFY2(alice->isConnected(), "a search page was over the client's frame limit");
            seen += idsOf(results.value(QLatin1String("messages")).toArray());
            if (!results.value(QLatin1String("hasMore")).toBool())
                break;
            before = idOf(results.value(QLatin1String("nextBeforeId")));
        }
        QCOMPARE(seen, newestFirst);
    }
    QVERIFY2(alice.largest() < limits::kClientMaxFrameBytes, qPrintable(QString::number(alice.largest())));
    QVERIFY2(alice.largest() <= limits::kPageBudgetBytes + 1024,
             qPrintable(QString::number(alice.largest())));
    qInfo("1.2 MB of history in pages: the largest frame %lld bytes", qlonglong(alice.largest()));
}

void TestServerReplies::lastMessageIsAPreview()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 longRoom = createGroup(*alice, QStringLiteral("long"), {bob->userId});
    const QString content =
        QStringLiteral("@bob ") + QString(300, QLatin1Char('x')) + QStringLiteral(" @bob and more");
    const QJsonArray mentions{QJsonObject{{QStringLiteral("userId"), double(bob->userId)},
                                          {QStringLiteral("indexStart"), 0},
                                          {QStringLiteral("indexEnd"), 4}},
                              QJsonObject{{QStringLiteral("userId"), double(bob->userId)},
                                          {QStringLiteral("indexStart"), 306},
                                          {QStringLiteral("indexEnd"), 310}}};
    const qint64 id = sendMessage(*alice, longRoom, content, QString(), mentions);
    QVERIFY(id > 0);
    const qint64 shortRoom = createGroup(*alice, QStringLiteral("short"), {bob->userId});
    QVERIFY(sendMessage(*alice, shortRoom, QStringLiteral("brief")));

    const QJsonArray rooms =
        payloadOf(bob->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.size(), 2);
    const QJsonObject brief = rooms.at(0).toObject().value(QLatin1String("lastMessage")).toObject();
    QCOMPARE(brief.value(QLatin1String("content")).toString(), QStringLiteral("brief"));
    QVERIFY(!brief.contains(QLatin1String("truncated"))); // the contract's message, untouched
    const QJsonObject preview = rooms.at(1).toObject().value(QLatin1String("lastMessage")).toObject();
    QCOMPARE(idOf(preview.value(QLatin1String("id"))), id);
    QCOMPARE(preview.value(QLatin1String("content")).toString(), content.left(limits::kPreviewMaxLength));
    QCOMPARE(preview.value(QLatin1String("truncated")), QJsonValue(true));
    const QJsonArray kept = preview.value(QLatin1String("mentions")).toArray();
    QCOMPARE(kept.size(), 1); // the span past the cut is gone
    QCOMPARE(kept.at(0).toObject().value(QLatin1String("indexEnd")).toInt(), 4);

    // The history has the whole message.
    const QJsonArray history = payloadOf(bob->request(QStringLiteral("fetch_messages"),
                                                      {{QStringLiteral("roomId"), double(longRoom)}}))
                                   .value(QLatin1String("messages"))
                                   .toArray();
    QCOMPARE(history.at(0).toObject().value(QLatin1String("content")).toString(), content);
    QCOMPARE(history.at(0).toObject().value(QLatin1String("mentions")).toArray().size(), 2);
    QVERIFY(!history.at(0).toObject().contains(QLatin1String("truncated")));
}

// Groups of 151 members with the heaviest names the server takes (32-letter
// usernames, 64-character CJK display names: ~55 KB a room), 30 of them: the
// room list would be 1.6 MB. It arrives under the limit: the member lists are
// cut (memberCount says how many there are), then the least recently active
// rooms are left out (hasMore).
void TestServerReplies::longMemberListsAreCutToFitTheClient()
{
    TestServer server;
    {
        auto parsed = server::DatabaseUrl::parse(server.databaseUrl());
        QVERIFY(parsed);
        auto store = server::createStore(parsed.value());
        QVERIFY(store);
        QVERIFY(store.value()->open());
        for (int i = 0; i < 150; ++i) {
            const QString name = QStringLiteral("member%1")
                                     .arg(i, 3, 10, QLatin1Char('0'))
                                     .leftJustified(32, QLatin1Char('x'));
            QVERIFY(store.value()->createUser(name, QString(64, QChar(0x540d)), "not-a-hash", 1));
        }
        store.value()->close();
    }
    QVERIFY(server.start());
    LimitedClient alice = limitedClient(server.url(), QStringLiteral("alice"));
    QVERIFY(alice.client);
    const QJsonArray found = payloadOf(alice->request(QStringLiteral("search_users"),
                                                      {{QStringLiteral("query"), QStringLiteral("member")},
                                                       {QStringLiteral("limit"), 100}}))
                                 .value(QLatin1String("users"))
                                 .toArray();
    QCOMPARE(found.size(), 100);
    QList<qint64> everyone;
    for (const QJsonValue& u : found)
        everyone.append(idOf(u.toObject().value(QLatin1String("id"))));
    const QJsonArray more = payloadOf(alice->request(QStringLiteral("search_users"),
                                                     {{QStringLiteral("query"), QStringLiteral("member1")},
                                                      {QStringLiteral("limit"), 100}}))
                                .value(QLatin1String("users"))
                                .toArray();
    for (const QJsonValue& u : more) {
        const qint64 id = idOf(u.toObject().value(QLatin1String("id")));
        if (!everyone.contains(id))
            everyone.append(id);
    }
    QCOMPARE(everyone.size(), 150);

    QList<qint64> created;
    for (int i = 0; i < 30; ++i) {
        const qint64 room = createGroup(*alice.client, QStringLiteral("all hands %1").arg(i), everyone);
        QVERIFY(room > 0);
        created.append(room);
    }
    const QJsonObject reply = alice->request(QStringLiteral("list_rooms"), {}, 20000);
    QVERIFY2(alice->isConnected(), "the room list was over the client's frame limit: it disconnected");
    const QJsonObject payload = payloadOf(reply);
    const QJsonArray rooms = payload.value(QLatin1String("rooms")).toArray();
    qInfo("30 groups of 151 heavy members: %lld rooms kept in %lld bytes", qlonglong(rooms.size()),
          qlonglong(QJsonDocument(reply).toJson(QJsonDocument::Compact).size()));
    QVERIFY(rooms.size() >= 10 && rooms.size() < 30);
    QCOMPARE(payload.value(QLatin1String("hasMore")), QJsonValue(true));
    for (qsizetype i = 0; i < rooms.size(); ++i) {
        const QJsonObject room = rooms.at(i).toObject();
        // Most recently active first: the newest rooms are the ones kept.
        QCOMPARE(idOf(room.value(QLatin1String("id"))), created.at(created.size() - 1 - i));
        QCOMPARE(room.value(QLatin1String("memberCount")).toInt(), 151);
        const QJsonArray members = room.value(QLatin1String("members")).toArray();
        QCOMPARE(members.size(), limits::kCutMemberListLength);
        // The first to join (all at once here: by id, the order rooms list members in).
        QList<qint64> ids = idsOf(members);
        QVERIFY(std::is_sorted(ids.cbegin(), ids.cend()));
        QCOMPARE(ids.first(), everyone.first());
    }
    QVERIFY2(alice.largest() < limits::kClientMaxFrameBytes, qPrintable(QString::number(alice.largest())));
}

CONFAB_TEST_MAIN(TestServerReplies)
#include "tst_server_replies.moc"
