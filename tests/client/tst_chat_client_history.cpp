// ChatClient against a real in-process server, history and live events:
// paging back without gaps, catching up exactly once after the server comes
// back, jumping to a message, mentions and their notification, typing both
// ways, signing up with an invite code. Histories are seeded pipelined
// (seedMessages), and the typing expiry is shortened through the options.
#include "client_app_fixture.h"

#include "message_list_model.h"
#include "message_results_model.h"
#include "room_list_model.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::test;
using client::AccountController;
using client::ChatClient;
using client::ConversationController;

class TestChatClientHistory : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }

    void pagingBackThreePagesHasNoGaps();
    void reconnectCatchesUpExactlyOnce();
    void jumpToMessageLoadsItsPage();
    void mentionWhileInactiveNotifiesAndFillsTheInbox();
    void typingOfOthersIsShownAndExpires();
    void signUpWithAnInviteCode();
};

void TestChatClientHistory::pagingBackThreePagesHasNoGaps()
{
    TestServer server(TestServer::fastSendersConfig());
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("history"), {});
    const QList<qint64> seeded = seedMessages(*me, room, numbered(QStringLiteral("message"), 165));
    QVERIFY(!seeded.contains(0));

    auto client = ClientFixture::create(QStringLiteral("paging"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));
    QCOMPARE(client->conversation()->messages()->rowCount(), 50);
    QVERIFY(client->conversation()->messages()->hasMoreOlder());

    for (int page = 1; page <= 3; ++page) {
        const int before = client->conversation()->messages()->rowCount();
        client->conversation()->loadOlder();
        QVERIFY(client->conversation()->loadingOlder());
        client->conversation()->loadOlder(); // ignored while one is under way
        QTRY_VERIFY(!client->conversation()->loadingOlder());
        QCOMPARE(client->conversation()->messages()->rowCount(), std::min(165, before + 50));
    }
    QVERIFY(!client->conversation()->messages()->hasMoreOlder());
    QList<qint64> ids;
    for (const Row& r : rowsOf(*client))
        ids.append(r.messageId);
    QCOMPARE(ids, seeded);
    client->conversation()->loadOlder(); // nothing older: no request
    QVERIFY(!client->conversation()->loadingOlder());
}

void TestChatClientHistory::reconnectCatchesUpExactlyOnce()
{
    const quint16 port = ClientFixture::freePort();
    auto config = fixedPortConfig(port);
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
    QCOMPARE(client->conversation()->messages()->rowCount(), 3);
    client->session()->setReconnectDelays(1500, 1500);

    server.stop();
    QTRY_VERIFY(client->account()->connectionState() != client::Session::State::Online);
    QVERIFY(server.start());
    alice = server.client();
    QVERIFY(alice->signIn(QStringLiteral("alice")));
    // More than one catch-up page (100) arrives while the client is away.
    QVERIFY(!seedMessages(*alice, room, numbered(QStringLiteral("away"), 130)).contains(0));

    QTRY_VERIFY_WITH_TIMEOUT(client->account()->connectionState() == client::Session::State::Online, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(client->conversation()->messages()->rowCount(), 133, 10000);
    // A live message after the reconnect lands once, after the missed ones.
    QVERIFY(sendMessage(*alice, room, QStringLiteral("live")));
    QTRY_COMPARE(client->conversation()->messages()->rowCount(), 134);
    QTest::qWait(300);

    const auto history = serverHistory(*alice, room);
    QCOMPARE(contentsOf(rowsOf(*client)), contentsOf(history));
    QList<qint64> ids;
    for (const Row& r : rowsOf(*client))
        ids.append(r.messageId);
    QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), ids.size());
}

void TestChatClientHistory::jumpToMessageLoadsItsPage()
{
    TestServer server(TestServer::fastSendersConfig());
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("history"), {});
    const qint64 other = createGroup(*me, QStringLiteral("other"), {});
    const QList<qint64> ids = seedMessages(*me, room, numbered(QStringLiteral("line"), 120));
    QVERIFY(!ids.contains(0));
    auto client = ClientFixture::create(QStringLiteral("jump"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 2));
    QVERIFY(ClientFixture::openRoom(*client, other));

    // Far back: the page ending at the message, and everything after it.
    QSignalSpy scrolled(client->conversation(), &ConversationController::scrollToMessage);
    client->conversation()->jumpToMessage(double(room), double(ids[10]));
    QTRY_COMPARE(scrolled.size(), 1);
    QCOMPARE(client->conversation()->messages()->rowOfMessage(ids[10]), scrolled[0][0].toInt());
    QCOMPARE(client->conversation()->messages()->newestId(), ids.last());
    QList<qint64> loaded;
    for (const Row& r : rowsOf(*client))
        loaded.append(r.messageId);
    QCOMPARE(loaded, ids);
    QVERIFY(!client->conversation()->messages()->hasMoreOlder());
}

void TestChatClientHistory::mentionWhileInactiveNotifiesAndFillsTheInbox()
{
    TestServer server;
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(me && alice);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {me->userId});
    auto client = ClientFixture::create(QStringLiteral("mentions"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QSignalSpy notified(client->attention(), &client::AttentionController::notified);

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
    QTRY_COMPARE(client->search()->mentions()->count(), 1);
    const auto rooms = client->rooms()->model();
    QCOMPARE(rooms->data(rooms->index(0), client::RoomListModel::MentionCountRole).toInt(), 1);

    QVERIFY(notified[0][0].toString().contains(QLatin1String("team")));

    // The room open in the active window: no notification, still in the inbox.
    client->setWindowActive(true);
    QVERIFY(ClientFixture::openRoom(*client, room));
    QVERIFY(sendMessage(*alice, room, QStringLiteral("@mei again"), {}, span));
    QTRY_COMPARE(client->search()->mentions()->count(), 2);
    QCOMPARE(notified.size(), 1);

    // Jumping from the inbox opens the room with the message in view.
    QSignalSpy scrolled(client->conversation(), &ConversationController::scrollToMessage);
    client->conversation()->jumpToMessage(double(room), double(id));
    QTRY_COMPARE(scrolled.size(), 1);
    QCOMPARE(client->conversation()->roomId(), double(room));
    QCOMPARE(client->conversation()->messages()->rowOfMessage(id), scrolled[0][0].toInt());
}

void TestChatClientHistory::typingOfOthersIsShownAndExpires()
{
    TestServer server;
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(me && alice);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {me->userId});
    // The 8 s expiry of the app, as 1.5 s: long enough that the line is seen.
    auto client = ClientFixture::create(QStringLiteral("typing"),
                                        [](ChatClient::Options& o) { o.typingExpiryMs = 1500; });
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));

    alice->sendWithId(QStringLiteral("typing"),
                      {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), true}});
    QTRY_COMPARE(client->conversation()->typingText(), QStringLiteral("alice is typing…"));
    alice->sendWithId(QStringLiteral("typing"),
                      {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), false}});
    QTRY_COMPARE(client->conversation()->typingText(), QString());

    // Mine reaches the others, at most once per 3 s while typing goes on.
    alice->clearInbox();
    client->conversation()->setTyping(true);
    client->conversation()->setTyping(true);
    const QJsonObject typing = alice->waitFor(QStringLiteral("typing"));
    QCOMPARE(payloadOf(typing).value(QLatin1String("isTyping")).toBool(), true);
    QVERIFY(alice->staysQuiet(QStringLiteral("typing"), 300));
    client->composer()->sendMessage(QStringLiteral("done"), {}); // sending ends it
    const QJsonObject stopped = alice->waitFor(QStringLiteral("typing"));
    QCOMPARE(payloadOf(stopped).value(QLatin1String("isTyping")).toBool(), false);

    // Someone typing who then vanishes without `false` expires (after the
    // expiry, not before: it was still there when first seen).
    QSignalSpy typingChanged(client->conversation(), &ConversationController::typingTextChanged);
    QElapsedTimer sinceSent;
    sinceSent.start();
    alice->sendWithId(QStringLiteral("typing"),
                      {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), true}});
    QTRY_VERIFY(!client->conversation()->typingText().isEmpty());
    typingChanged.clear();
    QTRY_VERIFY_WITH_TIMEOUT(client->conversation()->typingText().isEmpty(), 10000);
    QCOMPARE(typingChanged.size(), 1);
    QVERIFY(sinceSent.elapsed() >= 1500);
}

// A server with --registration invite: the sign-up form's invite code goes
// out as register.invite; a wrong one is refused with the server's reason.
void TestChatClientHistory::signUpWithAnInviteCode()
{
    auto config = TestServer::defaultConfig();
    config.registration = server::ServerConfig::Registration::Invite;
    TestServer server(config);
    QVERIFY(server.start());
    QProcess admin;
    admin.start(qEnvironmentVariable("CONFAB_SERVER_BIN"), {QStringLiteral("admin"), QStringLiteral("invite"),
                                                            QStringLiteral("--db"), server.databaseUrl()});
    QVERIFY(admin.waitForFinished(30000));
    const QString code = QString::fromUtf8(admin.readAllStandardOutput()).trimmed();
    QVERIFY2(admin.exitCode() == 0 && !code.isEmpty(), admin.readAllStandardError().constData());

    auto client = ClientFixture::create(QStringLiteral("invite"));
    client->account()->signUp(server.url().toString(), QStringLiteral("quinn"),
                              QStringLiteral("correct horse"), QStringLiteral("Quinn"),
                              QStringLiteral("not-the-code"));
    QTRY_VERIFY(client->account()->errorMessage().contains(QLatin1String("invite")));
    QVERIFY(!client->account()->signedIn());
    client->account()->signUp(server.url().toString(), QStringLiteral("quinn"),
                              QStringLiteral("correct horse"), QStringLiteral("Quinn"),
                              QStringLiteral(" %1 ").arg(code));
    QTRY_VERIFY(client->account()->signedIn());
    QCOMPARE(client->account()->username(), QStringLiteral("quinn"));
}

QTEST_MAIN(TestChatClientHistory)
#include "tst_chat_client_history.moc"
