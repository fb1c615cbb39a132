// ChatClient against a real in-process server, sending: optimistic sends and
// their acks, retries that never duplicate, rate limits, the outbox across a
// lost connection and room switches. (History, catch-up, mentions and typing
// are in tst_chat_client_history.cpp; unavailable and timeouts in
// tst_chat_client_outbox.cpp: separate executables so ctest runs them side
// by side.)
#include "client_app_fixture.h"
#include "server_process.h"

#include "message_list_model.h"
#include "room_list_model.h"
#include "user_directory.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

using namespace confab;
using namespace confab::test;
using client::ChatClient;
using client::MessageListModel;
using Status = MessageListModel::Status;

class TestChatClient : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }

    void optimisticSendBecomesOneStoredRow();
    void messageEventBeforeAckKeepsOneRow();
    void storedSendWhoseAckWasLostIsNotDuplicated();
    void failedSendRetriesWithTheSameTempId();
    void rateLimitedSendsGoOutInOrder();
    void outboxWaitsForTheConnectionAndKeepsOrder();
    void pendingRowsSurviveSwitchingRooms();
    void sendThatTimesOutIsNotSentThenStoredOnce();
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
    client->composer()->sendMessage(text, spans);
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
                 ->model()
                 ->data(client->rooms()->model()->index(0), client::RoomListModel::LastMessageTextRole)
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
    TestServer server(fixedPortConfig(port));
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
    QTRY_VERIFY(client->account()->connectionState() != client::Session::State::Online);
    client->composer()->sendMessage(QStringLiteral("sent once"), {});
    const QString tempId = rowsOf(*client).value(0).tempId;
    QVERIFY(!tempId.isEmpty());

    QVERIFY(server.start());
    auto other = server.client();
    QVERIFY(other->signIn(QStringLiteral("mei")));
    QVERIFY(sendMessage(*other, room, QStringLiteral("sent once"), tempId));

    QTRY_VERIFY_WITH_TIMEOUT(client->account()->connectionState() == client::Session::State::Online, 10000);
    QTRY_COMPARE(rowsOf(*client).value(0).status, int(Status::Sent));
    QTest::qWait(300);
    QCOMPARE(rowsOf(*client).size(), 1);
    QCOMPARE(serverHistory(*other, room).size(), 1);
}

void TestChatClient::failedSendRetriesWithTheSameTempId()
{
    const quint16 port = ClientFixture::freePort();
    auto config = fixedPortConfig(port);
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
    client->composer()->sendMessage(longText, {});
    QTRY_COMPARE(rowsOf(*client).value(0).status, int(Status::Failed));
    QVERIFY(!client->account()->errorMessage().isEmpty());
    const QString tempId = rowsOf(*client).value(0).tempId;

    // A later message is not held up by the failed one.
    client->composer()->sendMessage(QStringLiteral("short one"), {});
    QTRY_COMPARE(rowsOf(*client).size(), 2);
    QTRY_COMPARE(statusOf(*client, QStringLiteral("short one")), int(Status::Sent));

    // The server's limit goes up; the retry sends the same tempId and the
    // failed row becomes the stored one.
    server.config.contentMaxLength = 1000;
    QVERIFY(server.restart());
    QTRY_VERIFY_WITH_TIMEOUT(client->account()->connectionState() == client::Session::State::Online, 10000);
    client->composer()->retry(tempId);
    QCOMPARE(rowsOf(*client).size(), 2);
    QTRY_VERIFY(allSent(*client));
    client->composer()->retry(tempId); // nothing left to retry: no effect
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
        client->composer()->sendMessage(sent.last(), {});
    }
    QCOMPARE(rowsOf(*client).size(), 8);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*client), 10000);
    QCOMPARE(contentsOf(rowsOf(*client)), sent);
    QCOMPARE(contentsOf(serverHistory(*me, room)), sent);
}

void TestChatClient::outboxWaitsForTheConnectionAndKeepsOrder()
{
    const quint16 port = ClientFixture::freePort();
    TestServer server(fixedPortConfig(port));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("team"), {});
    QVERIFY(sendMessage(*me, room, QStringLiteral("earlier")));
    auto client = ClientFixture::create(QStringLiteral("outbox"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    server.stop();
    QTRY_VERIFY(client->account()->connectionState() != client::Session::State::Online);
    const QStringList offline{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")};
    for (const QString& text : offline)
        client->composer()->sendMessage(text, {});
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
    TestServer server(fixedPortConfig(port));
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
    QTRY_VERIFY(client->account()->connectionState() != client::Session::State::Online);
    client->composer()->sendMessage(QStringLiteral("queued in first"), {});
    client->conversation()->openRoom(double(second));
    QTRY_COMPARE(client->conversation()->messages()->roomId(), second);
    QCOMPARE(client->conversation()->messages()->rowCount(), 0);
    client->conversation()->openRoom(double(first));
    QTRY_COMPARE(client->conversation()->messages()->roomId(), first);
    QTRY_COMPARE(rowsOf(*client).size(), 1);
    QCOMPARE(rowsOf(*client)[0].status, int(Status::Pending));

    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(client->account()->connectionState() == client::Session::State::Online, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*client) && rowsOf(*client).size() == 1, 10000);
    QTest::qWait(300);
    QCOMPARE(contentsOf(rowsOf(*client)), QStringList{QStringLiteral("queued in first")});
}

// A server that accepts the send and then says nothing: a real confab-server
// process, stopped with SIGSTOP (its socket stays open, so the client sees
// no lost connection, only no reply). The send times out and shows as not
// sent; the user retries (the same tempId goes out again, into the silence).
// When the server wakes up it stores the message once, and the client's row
// becomes that message.
void TestChatClient::sendThatTimesOutIsNotSentThenStoredOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ServerProcess server;
    QVERIFY(server.start({QStringLiteral("--db"),
                          QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("c.db")),
                          QStringLiteral("--discovery"), QStringLiteral("off")}));
    auto me = signUpAt(server.url(), QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("team"), {});
    QVERIFY(room);
    auto client = ClientFixture::create(QStringLiteral("timeout"),
                                        [](ChatClient::Options& o) { o.sendTimeoutMs = 1500; });
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    const auto pid = pid_t(server.pid());
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    auto resume = qScopeGuard([pid] { ::kill(pid, SIGCONT); });
    client->composer()->sendMessage(QStringLiteral("into the silence"), {});
    QCOMPARE(statusOf(*client, QStringLiteral("into the silence")), int(Status::Pending));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*client, QStringLiteral("into the silence")), int(Status::Failed),
                              15000);
    QVERIFY2(client->account()->errorMessage().contains(QLatin1String("timed out"), Qt::CaseInsensitive),
             qPrintable(client->account()->errorMessage()));
    QCOMPARE(client->account()->connectionState(), client::Session::State::Online); // not a lost connection
    const QString tempId = rowsOf(*client).value(0).tempId;
    client->composer()->retry(tempId);
    QCOMPARE(statusOf(*client, QStringLiteral("into the silence")), int(Status::Pending));

    resume.dismiss();
    QCOMPARE(::kill(pid, SIGCONT), 0);
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*client), 15000);
    QTest::qWait(300); // a second copy would show up here
    QCOMPARE(rowsOf(*client).size(), 1);
    QCOMPARE(rowsOf(*client).value(0).tempId, tempId);
    const auto history = serverHistory(*me, room);
    QCOMPARE(contentsOf(history), QStringList{QStringLiteral("into the silence")});
    QCOMPARE(history.value(0).value(QLatin1String("tempId")).toString(), tempId);
}

QTEST_MAIN(TestChatClient)
#include "tst_chat_client.moc"
