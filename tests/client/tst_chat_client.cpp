// ChatClient against a real in-process server: optimistic sends and their
// acks, retries that never duplicate, the outbox across a lost connection,
// paging, catching up after the server comes back, mentions and typing.
#include "client_app_fixture.h"

#include "message_list_model.h"
#include "message_results_model.h"
#include "room_list_model.h"
#include "user_directory.h"

#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::test;
using client::ChatClient;
using client::MessageListModel;
using Status = MessageListModel::Status;

namespace {

server::ServerConfig fixedPort(quint16 port)
{
    auto c = TestServer::defaultConfig();
    c.port = port;
    return c;
}

server::ServerConfig fastSenders()
{
    auto c = TestServer::defaultConfig();
    c.sendBurst = 100000;
    c.sendRatePerSecond = 100000;
    return c;
}

QStringList contentsOf(const QList<QJsonObject>& messages)
{
    QStringList out;
    for (const QJsonObject& m : messages)
        out.append(m.value(QLatin1String("content")).toString());
    return out;
}

QStringList contentsOf(const QList<Row>& rows)
{
    QStringList out;
    for (const Row& r : rows)
        out.append(r.content);
    return out;
}

int statusOf(const ChatClient& client, const QString& content)
{
    for (const Row& r : rowsOf(client)) {
        if (r.content == content)
            return r.status;
    }
    return -1;
}

bool allSent(const ChatClient& client)
{
    const auto rows = rowsOf(client);
    return std::all_of(rows.cbegin(), rows.cend(),
                       [](const Row& r) { return r.status == int(Status::Sent); });
}

} // namespace

class TestChatClient : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }

    void optimisticSendBecomesOneStoredRow();
    void messageEventBeforeAckKeepsOneRow();
    void storedSendWhoseAckWasLostIsNotDuplicated();
    void failedSendRetriesWithTheSameTempId();
    void rateLimitedSendsGoOutInOrder();
    void pagingBackThreePagesHasNoGaps();
    void reconnectCatchesUpExactlyOnce();
    void outboxWaitsForTheConnectionAndKeepsOrder();
    void pendingRowsSurviveSwitchingRooms();
    void mentionWhileInactiveNotifiesAndFillsTheInbox();
    void typingOfOthersIsShownAndExpires();
    void jumpToMessageLoadsItsPage();
    void signUpWithAnInviteCode();
};

void TestChatClient::optimisticSendBecomesOneStoredRow()
{
    TestServer server;
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(me && alice);
    const qint64 room = createGroup(*alice, QStringLiteral("设计评审"), {me->userId});
    QVERIFY(room);

    auto client = ClientFixture::create(QStringLiteral("optimistic"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));
    alice->clearInbox();

    const QString text = QStringLiteral("今天下午开会 @alice");
    const QVariantList spans{QVariantMap{{QStringLiteral("userId"), double(alice->userId)},
                                         {QStringLiteral("indexStart"), 7},
                                         {QStringLiteral("indexEnd"), 13}}};
    client->sendMessage(text, spans);
    // At once: one pending row with a tempId and no id yet.
    auto rows = rowsOf(*client);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].status, int(Status::Pending));
    QCOMPARE(rows[0].messageId, 0);
    QVERIFY(!rows[0].tempId.isEmpty());
    const QString tempId = rows[0].tempId;

    // The ack turns it into the stored message in place; the `message` event
    // that follows changes nothing.
    QTRY_COMPARE(rowsOf(*client).value(0).status, int(Status::Sent));
    const QJsonObject pushed = alice->waitFor(QStringLiteral("message"));
    QVERIFY(!pushed.isEmpty());
    QTest::qWait(200);
    rows = rowsOf(*client);
    QCOMPARE(rows.size(), 1);
    QVERIFY(rows[0].messageId > 0);
    QCOMPARE(rows[0].content, text);

    const auto history = serverHistory(*alice, room);
    QCOMPARE(history.size(), 1);
    QCOMPARE(history[0].value(QLatin1String("tempId")).toString(), tempId);
    QCOMPARE(idOf(history[0].value(QLatin1String("id"))), rows[0].messageId);
    // The mention span went out and was verified.
    QCOMPARE(history[0].value(QLatin1String("mentions")).toArray().size(), 1);
    QCOMPARE(client->rooms()
                 ->data(client->rooms()->index(0), client::RoomListModel::LastMessageTextRole)
                 .toString(),
             text);
}

// The server sends the ack before the `message` on the sending connection, so
// the reverse order cannot be forced end to end; the model gets it directly.
void TestChatClient::messageEventBeforeAckKeepsOneRow()
{
    client::UserDirectory users;
    MessageListModel model(&users);
    model.setSelfUserId(1);
    model.reset(7);
    model.addPending(QStringLiteral("t-1"), QStringLiteral("hello"), {}, 1764107700000);
    QCOMPARE(model.rowCount(), 1);

    Message stored;
    stored.id = 42;
    stored.roomId = 7;
    stored.senderId = 1;
    stored.content = QStringLiteral("hello");
    stored.createdAt = 1764107700123;
    stored.tempId = QStringLiteral("t-1");
    model.upsert(stored);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), MessageListModel::MessageIdRole).toDouble(), 42.0);
    model.acknowledge(QStringLiteral("t-1"), 42, stored.createdAt);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), MessageListModel::StatusRole).toInt(), int(Status::Sent));
    QCOMPARE(model.newestId(), 42);
}

// The message was stored but its ack never came (here: another connection of
// the same user stored the same tempId while this client was offline). On
// reconnect the catch-up finds it: one row, and the outbox does not send a
// second copy.
void TestChatClient::storedSendWhoseAckWasLostIsNotDuplicated()
{
    const quint16 port = ClientFixture::freePort();
    TestServer server(fixedPort(port));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("team"), {});
    QVERIFY(room);

    auto client = ClientFixture::create(QStringLiteral("lostack"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));
    client->session()->setReconnectDelays(3000, 3000);

    server.stop();
    QTRY_VERIFY(client->connectionState() != client::Session::State::Online);
    client->sendMessage(QStringLiteral("sent once"), {});
    const QString tempId = rowsOf(*client).value(0).tempId;
    QVERIFY(!tempId.isEmpty());

    QVERIFY(server.start());
    auto other = server.client();
    QVERIFY(other->signIn(QStringLiteral("mei")));
    QVERIFY(sendMessage(*other, room, QStringLiteral("sent once"), tempId));

    QTRY_VERIFY_WITH_TIMEOUT(client->connectionState() == client::Session::State::Online, 10000);
    QTRY_COMPARE(rowsOf(*client).value(0).status, int(Status::Sent));
    QTest::qWait(300);
    QCOMPARE(rowsOf(*client).size(), 1);
    QCOMPARE(serverHistory(*other, room).size(), 1);
}

void TestChatClient::failedSendRetriesWithTheSameTempId()
{
    const quint16 port = ClientFixture::freePort();
    auto config = fixedPort(port);
    config.contentMaxLength = 20;
    TestServer server(config);
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("team"), {});
    auto client = ClientFixture::create(QStringLiteral("retry"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    const QString longText = QStringLiteral("this is longer than twenty characters");
    client->sendMessage(longText, {});
    QTRY_COMPARE(rowsOf(*client).value(0).status, int(Status::Failed));
    QVERIFY(!client->errorMessage().isEmpty());
    const QString tempId = rowsOf(*client).value(0).tempId;

    // A later message is not held up by the failed one.
    client->sendMessage(QStringLiteral("short one"), {});
    QTRY_COMPARE(rowsOf(*client).size(), 2);
    QTRY_COMPARE(statusOf(*client, QStringLiteral("short one")), int(Status::Sent));

    // The server's limit goes up; the retry sends the same tempId and the
    // failed row becomes the stored one.
    server.config.contentMaxLength = 1000;
    QVERIFY(server.restart());
    QTRY_VERIFY_WITH_TIMEOUT(client->connectionState() == client::Session::State::Online, 10000);
    client->retry(tempId);
    QCOMPARE(rowsOf(*client).size(), 2);
    QTRY_VERIFY(allSent(*client));
    client->retry(tempId); // nothing left to retry: no effect
    QTest::qWait(200);

    const auto rows = rowsOf(*client);
    QCOMPARE(rows.size(), 2);
    QSet<qint64> ids{rows[0].messageId, rows[1].messageId};
    QCOMPARE(ids.size(), 2);
    auto reader = server.client();
    QVERIFY(reader->signIn(QStringLiteral("mei")));
    const auto history = serverHistory(*reader, room);
    QCOMPARE(contentsOf(history), (QStringList{QStringLiteral("short one"), longText}));
    QCOMPARE(history[1].value(QLatin1String("tempId")).toString(), tempId);
}

void TestChatClient::rateLimitedSendsGoOutInOrder()
{
    auto config = TestServer::defaultConfig();
    config.sendBurst = 2;
    config.sendRatePerSecond = 8;
    TestServer server(config);
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("team"), {});
    auto client = ClientFixture::create(QStringLiteral("ratelimit"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    QStringList sent;
    for (int i = 1; i <= 8; ++i) {
        sent.append(QStringLiteral("burst %1").arg(i));
        client->sendMessage(sent.last(), {});
    }
    QCOMPARE(rowsOf(*client).size(), 8);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*client), 10000);
    QCOMPARE(contentsOf(rowsOf(*client)), sent);
    QCOMPARE(contentsOf(serverHistory(*me, room)), sent);
}

void TestChatClient::pagingBackThreePagesHasNoGaps()
{
    TestServer server(fastSenders());
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("history"), {});
    QList<qint64> seeded;
    for (int i = 0; i < 165; ++i)
        seeded.append(sendMessage(*me, room, QStringLiteral("message %1").arg(i)));
    QVERIFY(!seeded.contains(0));

    auto client = ClientFixture::create(QStringLiteral("paging"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));
    QCOMPARE(client->messages()->rowCount(), 50);
    QVERIFY(client->messages()->hasMoreOlder());

    for (int page = 1; page <= 3; ++page) {
        const int before = client->messages()->rowCount();
        client->loadOlder();
        QVERIFY(client->loadingOlder());
        client->loadOlder(); // ignored while one is under way
        QTRY_VERIFY(!client->loadingOlder());
        QCOMPARE(client->messages()->rowCount(), std::min(165, before + 50));
    }
    QVERIFY(!client->messages()->hasMoreOlder());
    QList<qint64> ids;
    for (const Row& r : rowsOf(*client))
        ids.append(r.messageId);
    QCOMPARE(ids, seeded);
    client->loadOlder(); // nothing older: no request
    QVERIFY(!client->loadingOlder());
}

void TestChatClient::reconnectCatchesUpExactlyOnce()
{
    const quint16 port = ClientFixture::freePort();
    auto config = fixedPort(port);
    config.sendBurst = 100000;
    config.sendRatePerSecond = 100000;
    TestServer server(config);
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(me && alice);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {me->userId});
    for (int i = 0; i < 3; ++i)
        QVERIFY(sendMessage(*alice, room, QStringLiteral("before %1").arg(i)));

    auto client = ClientFixture::create(QStringLiteral("catchup"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));
    QCOMPARE(client->messages()->rowCount(), 3);
    client->session()->setReconnectDelays(1500, 1500);

    server.stop();
    QTRY_VERIFY(client->connectionState() != client::Session::State::Online);
    QVERIFY(server.start());
    alice = server.client();
    QVERIFY(alice->signIn(QStringLiteral("alice")));
    // More than one catch-up page (100) arrives while the client is away.
    for (int i = 0; i < 130; ++i)
        QVERIFY(sendMessage(*alice, room, QStringLiteral("away %1").arg(i)));

    QTRY_VERIFY_WITH_TIMEOUT(client->connectionState() == client::Session::State::Online, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(client->messages()->rowCount(), 133, 10000);
    // A live message after the reconnect lands once, after the missed ones.
    QVERIFY(sendMessage(*alice, room, QStringLiteral("live")));
    QTRY_COMPARE(client->messages()->rowCount(), 134);
    QTest::qWait(300);

    const auto history = serverHistory(*alice, room);
    QCOMPARE(contentsOf(rowsOf(*client)), contentsOf(history));
    QList<qint64> ids;
    for (const Row& r : rowsOf(*client))
        ids.append(r.messageId);
    QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), ids.size());
}

void TestChatClient::outboxWaitsForTheConnectionAndKeepsOrder()
{
    const quint16 port = ClientFixture::freePort();
    TestServer server(fixedPort(port));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("team"), {});
    QVERIFY(sendMessage(*me, room, QStringLiteral("earlier")));
    auto client = ClientFixture::create(QStringLiteral("outbox"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    server.stop();
    QTRY_VERIFY(client->connectionState() != client::Session::State::Online);
    const QStringList offline{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")};
    for (const QString& text : offline)
        client->sendMessage(text, {});
    QTest::qWait(300);
    auto rows = rowsOf(*client);
    QCOMPARE(rows.size(), 4);
    for (int i = 1; i < 4; ++i)
        QCOMPARE(rows[i].status, int(Status::Pending)); // waiting, not failed

    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*client), 10000);
    QTest::qWait(300);
    rows = rowsOf(*client);
    QCOMPARE(contentsOf(rows), QStringList({QStringLiteral("earlier")}) + offline);
    auto reader = server.client();
    QVERIFY(reader->signIn(QStringLiteral("mei")));
    QCOMPARE(contentsOf(serverHistory(*reader, room)), QStringList({QStringLiteral("earlier")}) + offline);
}

void TestChatClient::pendingRowsSurviveSwitchingRooms()
{
    const quint16 port = ClientFixture::freePort();
    TestServer server(fixedPort(port));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 first = createGroup(*me, QStringLiteral("first"), {});
    const qint64 second = createGroup(*me, QStringLiteral("second"), {});
    auto client = ClientFixture::create(QStringLiteral("switching"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 2));
    QVERIFY(ClientFixture::openRoom(*client, first));
    QVERIFY(ClientFixture::openRoom(*client, second)); // pages are loaded while online
    QVERIFY(ClientFixture::openRoom(*client, first));

    server.stop();
    QTRY_VERIFY(client->connectionState() != client::Session::State::Online);
    client->sendMessage(QStringLiteral("queued in first"), {});
    client->openRoom(double(second));
    QTRY_COMPARE(client->messages()->roomId(), second);
    QCOMPARE(client->messages()->rowCount(), 0);
    client->openRoom(double(first));
    QTRY_COMPARE(client->messages()->roomId(), first);
    QTRY_COMPARE(rowsOf(*client).size(), 1);
    QCOMPARE(rowsOf(*client)[0].status, int(Status::Pending));

    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(client->connectionState() == client::Session::State::Online, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*client) && rowsOf(*client).size() == 1, 10000);
    QTest::qWait(300);
    QCOMPARE(contentsOf(rowsOf(*client)), QStringList{QStringLiteral("queued in first")});
}

void TestChatClient::mentionWhileInactiveNotifiesAndFillsTheInbox()
{
    TestServer server;
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(me && alice);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {me->userId});
    auto client = ClientFixture::create(QStringLiteral("mentions"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QSignalSpy notified(client.get(), &ChatClient::mentionNotification);

    client->setWindowActive(false);
    const QJsonArray span{QJsonObject{{QStringLiteral("userId"), double(me->userId)},
                                      {QStringLiteral("indexStart"), 0},
                                      {QStringLiteral("indexEnd"), 4}}};
    const qint64 id = sendMessage(*alice, room, QStringLiteral("@mei please look"), {}, span);
    QVERIFY(id);
    QTRY_COMPARE(notified.size(), 1);
    QCOMPARE(notified[0][2].toDouble(), double(room));
    QCOMPARE(notified[0][3].toDouble(), double(id));
    QVERIFY(notified[0][0].toString().contains(QLatin1String("alice")));
    QTRY_COMPARE(client->mentions()->count(), 1);
    const auto rooms = client->rooms();
    QCOMPARE(rooms->data(rooms->index(0), client::RoomListModel::MentionCountRole).toInt(), 1);

    // Active window: no desktop notification, still in the inbox.
    client->setWindowActive(true);
    QVERIFY(sendMessage(*alice, room, QStringLiteral("@mei again"), {}, span));
    QTRY_COMPARE(client->mentions()->count(), 2);
    QCOMPARE(notified.size(), 1);

    // Jumping from the inbox opens the room with the message in view.
    QSignalSpy scrolled(client.get(), &ChatClient::scrollToMessage);
    client->jumpToMessage(double(room), double(id));
    QTRY_COMPARE(scrolled.size(), 1);
    QCOMPARE(client->currentRoomId(), double(room));
    QCOMPARE(client->messages()->rowOfMessage(id), scrolled[0][0].toInt());
}

void TestChatClient::typingOfOthersIsShownAndExpires()
{
    TestServer server;
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(me && alice);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {me->userId});
    auto client = ClientFixture::create(QStringLiteral("typing"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    alice->sendWithId(QStringLiteral("typing"),
                      {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), true}});
    QTRY_COMPARE(client->typingText(), QStringLiteral("alice is typing…"));
    alice->sendWithId(QStringLiteral("typing"),
                      {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), false}});
    QTRY_COMPARE(client->typingText(), QString());

    // Mine reaches the others, at most once per 3 s while typing goes on.
    alice->clearInbox();
    client->setTyping(true);
    client->setTyping(true);
    const QJsonObject typing = alice->waitFor(QStringLiteral("typing"));
    QCOMPARE(payloadOf(typing).value(QLatin1String("isTyping")).toBool(), true);
    QVERIFY(alice->staysQuiet(QStringLiteral("typing"), 300));
    client->sendMessage(QStringLiteral("done"), {}); // sending ends it
    const QJsonObject stopped = alice->waitFor(QStringLiteral("typing"));
    QCOMPARE(payloadOf(stopped).value(QLatin1String("isTyping")).toBool(), false);

    // Someone typing who then vanishes without `false` expires after 8 s.
    alice->sendWithId(QStringLiteral("typing"),
                      {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), true}});
    QTRY_VERIFY(!client->typingText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(client->typingText().isEmpty(), 12000);
}

void TestChatClient::jumpToMessageLoadsItsPage()
{
    TestServer server(fastSenders());
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("history"), {});
    const qint64 other = createGroup(*me, QStringLiteral("other"), {});
    QList<qint64> ids;
    for (int i = 0; i < 120; ++i)
        ids.append(sendMessage(*me, room, QStringLiteral("line %1").arg(i)));
    auto client = ClientFixture::create(QStringLiteral("jump"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 2));
    QVERIFY(ClientFixture::openRoom(*client, other));

    // Far back: the page ending at the message, and everything after it.
    QSignalSpy scrolled(client.get(), &ChatClient::scrollToMessage);
    client->jumpToMessage(double(room), double(ids[10]));
    QTRY_COMPARE(scrolled.size(), 1);
    QCOMPARE(client->messages()->rowOfMessage(ids[10]), scrolled[0][0].toInt());
    QCOMPARE(client->messages()->newestId(), ids.last());
    QList<qint64> loaded;
    for (const Row& r : rowsOf(*client))
        loaded.append(r.messageId);
    QCOMPARE(loaded, ids);
    QVERIFY(!client->messages()->hasMoreOlder());
}

// A server with --registration invite: the sign-up form's invite code goes
// out as register.invite; a wrong one is refused with the server's reason.
void TestChatClient::signUpWithAnInviteCode()
{
    auto config = TestServer::defaultConfig();
    config.registration = server::ServerConfig::Registration::Invite;
    TestServer server(config);
    QVERIFY(server.start());
    QProcess admin;
    admin.start(qEnvironmentVariable("CONFAB_SERVER_BIN"),
                {QStringLiteral("admin"), QStringLiteral("invite"), QStringLiteral("--db"), server.databaseUrl()});
    QVERIFY(admin.waitForFinished(30000));
    const QString code = QString::fromUtf8(admin.readAllStandardOutput()).trimmed();
    QVERIFY2(admin.exitCode() == 0 && !code.isEmpty(), admin.readAllStandardError().constData());

    auto client = ClientFixture::create(QStringLiteral("invite"));
    client->signUp(server.url().toString(), QStringLiteral("quinn"), QStringLiteral("correct horse"),
                   QStringLiteral("Quinn"), QStringLiteral("not-the-code"));
    QTRY_VERIFY(client->errorMessage().contains(QLatin1String("invite")));
    QVERIFY(!client->signedIn());
    client->signUp(server.url().toString(), QStringLiteral("quinn"), QStringLiteral("correct horse"),
                   QStringLiteral("Quinn"), QStringLiteral(" %1 ").arg(code));
    QTRY_VERIFY(client->signedIn());
    QCOMPARE(client->username(), QStringLiteral("quinn"));
}

QTEST_MAIN(TestChatClient)
#include "tst_chat_client.moc"
