// Read receipts and the offline banner against a real in-process server:
// Bob reads, and Mei's client shows it ("Seen" in the DM, his avatar in the
// group; at opening through fetch_receipts and live through `receipt`); none
// of it while Mei hides her own receipts or the server keeps none. Offline:
// the countdown to the next try, "Reconnect now", and everyone shown offline
// until the server says otherwise again.
#include "client_app_fixture.h"

#include "room_list_model.h"

#include <QTest>

using namespace confab;
using namespace confab::test;
using confab::client::ChatClient;
using confab::client::RoomListModel;
using confab::client::Session;

namespace {

bool markRead(TestClient& reader, qint64 roomId, qint64 messageId)
{
    const QJsonObject reply =
        reader.request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(roomId)},
                                                     {QStringLiteral("messageId"), double(messageId)}});
    return typeOf(reply) != QLatin1String("error") && !reply.isEmpty();
}

QList<Id> seenBy(ChatClient& client, qint64 messageId)
{
    return client.conversation()->messages()->seenBy(messageId);
}

bool peerOnline(ChatClient& client, qint64 roomId)
{
    RoomListModel* model = client.rooms()->model();
    const int row = model->rowOf(roomId);
    return row >= 0 && model->data(model->index(row), RoomListModel::OnlineRole).toBool();
}

} // namespace

class TestSeenByE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void bobReadsMeiSees();
    void noneWhenTheServerKeepsNone();
    void offlineBannerAndPresence();
};

void TestSeenByE2e::bobReadsMeiSees()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(mei && bob && carol);
    const qint64 dm = openDm(*mei, bob->userId);
    const qint64 first = sendMessage(*mei, dm, QStringLiteral("你好 Bob, the draft is ready 📄"));
    const qint64 second = sendMessage(*mei, dm, QStringLiteral("Have a look when you can."));
    const qint64 team = createGroup(*mei, QStringLiteral("team"), {bob->userId, carol->userId});
    const qint64 g1 = sendMessage(*mei, team, QStringLiteral("Stand-up at ten."));
    const qint64 g2 = sendMessage(*carol, team, QStringLiteral("OK"));
    QVERIFY(dm && first && second && team && g1 && g2);
    QVERIFY(markRead(*bob, team, g1));
    QVERIFY(markRead(*carol, team, g2));

    auto client = ClientFixture::create(QStringLiteral("seen-e2e"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 2));

    // The group at opening (fetch_receipts): Bob at Mei's message, Carol at hers.
    QVERIFY(ClientFixture::openRoom(*client, team));
    QTRY_COMPARE(seenBy(*client, g1), QList<Id>{bob->userId});
    QCOMPARE(seenBy(*client, g2), QList<Id>{carol->userId});

    // The DM: nothing read yet; then Bob reads, live.
    QVERIFY(ClientFixture::openRoom(*client, dm));
    QTest::qWait(200);
    QVERIFY(seenBy(*client, first).isEmpty() && seenBy(*client, second).isEmpty());
    QVERIFY(markRead(*bob, dm, first));
    QTRY_COMPARE(seenBy(*client, first), QList<Id>{bob->userId});
    QVERIFY(seenBy(*client, second).isEmpty());
    QTest::qWait(1100); // receipts are coalesced to one a second per member and room
    QVERIFY(markRead(*bob, dm, second));
    QTRY_COMPARE(seenBy(*client, second), QList<Id>{bob->userId});
    QVERIFY(seenBy(*client, first).isEmpty()); // "Seen" moved down, not added

    // Mei hides her receipts: she sees nobody's (reciprocal), until she shows them again.
    client->profile()->setSendReceipts(false);
    QTRY_VERIFY(seenBy(*client, second).isEmpty());
    client->profile()->setSendReceipts(true);
    QTRY_COMPARE(seenBy(*client, second), QList<Id>{bob->userId});
}

void TestSeenByE2e::noneWhenTheServerKeepsNone()
{
    auto config = TestServer::defaultConfig();
    config.receipts = false;
    TestServer server(config);
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*mei, bob->userId);
    const qint64 sent = sendMessage(*mei, dm, QStringLiteral("hello"));
    QVERIFY(dm && sent && markRead(*bob, dm, sent));

    auto client = ClientFixture::create(QStringLiteral("seen-off"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(!client->session()->policy().receipts);
    QVERIFY(ClientFixture::openRoom(*client, dm));
    QTest::qWait(300);
    QVERIFY(seenBy(*client, sent).isEmpty());
}

void TestSeenByE2e::offlineBannerAndPresence()
{
    const quint16 port = ClientFixture::freePort();
    TestServer server(fixedPortConfig(port));
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*mei, bob->userId);
    QVERIFY(dm);

    auto client = ClientFixture::create(QStringLiteral("seen-offline"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QTRY_VERIFY(peerOnline(*client, dm));
    QCOMPARE(client->account()->retrySeconds(), -1);
    client->session()->setReconnectDelays(30000,
                                          30000); // far off: only "Reconnect now" brings it back in time

    server.stop();
    QTRY_COMPARE(client->account()->connectionState(), Session::State::Reconnecting);
    // The next try counts down from about 30 s (+-20% jitter); Bob shows offline.
    QTRY_VERIFY(client->account()->retrySeconds() > 20);
    QVERIFY(client->account()->retrySeconds() <= 36);
    QVERIFY(!peerOnline(*client, dm));

    QVERIFY(server.start());
    auto bobAgain = server.client();
    QVERIFY(bobAgain->signIn(QStringLiteral("bob")));
    QTest::qWait(300);
    QCOMPARE(client->account()->connectionState(), Session::State::Reconnecting); // still waiting
    client->account()->reconnectNow();
    QTRY_COMPARE_WITH_TIMEOUT(client->account()->connectionState(), Session::State::Online, 5000);
    QCOMPARE(client->account()->retrySeconds(), -1);
    QTRY_VERIFY(peerOnline(*client, dm)); // from the server's room list after the reconnect
}

QTEST_MAIN(TestSeenByE2e)
#include "tst_seen_by_e2e.moc"
