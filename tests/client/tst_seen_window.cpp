// Seen-by, the offline banner and the first-run empty states in the whole
// window (as `confab` starts it), offscreen against a real in-process server.
// Each state is checked through the items it shows and saved as screenshots,
// light and dark, to $CONFAB_TEST_ARTIFACTS (default <build>/test-artifacts).
#include "client_app_fixture.h"
#include "main_window.h"
#include "window_test_support.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

#include <vector>

using namespace confab::test;
using confab::client::ChatClient;
using confab::client::Session;

namespace {

bool markRead(TestClient& reader, qint64 roomId, qint64 messageId)
{
    const QJsonObject reply =
        reader.request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(roomId)},
                                                     {QStringLiteral("messageId"), double(messageId)}});
    return !reply.isEmpty() && typeOf(reply) != QLatin1String("error");
}

} // namespace

class TestSeenWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void emptyStates();
    void seenByAndOfflineBanner();

private:
    // Light, then dark; back to light.
};

void TestSeenWindow::emptyStates()
{
    TestServer server;
    QVERIFY(server.start());
    auto newcomer = server.user(QStringLiteral("lena"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(newcomer && bob);

    ChatClient client(ClientFixture::options(QStringLiteral("seen-empty")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 640);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("lena"), 0));

    // Wide: the conversation's place welcomes and offers the next steps.
    QTRY_VERIFY(visibleItemNamed(window->contentItem(), QStringLiteral("welcomeState")));
    QVERIFY(visibleItemNamed(window->contentItem(), QStringLiteral("welcomeNewDm")));
    QVERIFY(visibleItemNamed(window->contentItem(), QStringLiteral("welcomeNewGroup")));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("seen-empty-wide")));

    // Narrow: the room list's place does.
    window->resize(400, 700);
    QQuickItem* roomList = window->findChild<QQuickItem*>(QStringLiteral("roomListView"));
    QVERIFY(roomList);
    QTRY_VERIFY(!roomList->isVisible()); // the welcome takes its place
    QVERIFY(visibleItemNamed(window->contentItem(), QStringLiteral("welcomeState")));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("seen-empty-narrow")));

    // "Message someone" opens the people picker.
    QQuickItem* newDm = visibleItemNamed(window->contentItem(), QStringLiteral("welcomeNewDm"));
    QVERIFY(newDm);
    QMetaObject::invokeMethod(newDm, "clicked");
    QObject* dialog = nullptr;
    QTRY_VERIFY((dialog = window->findChild<QObject*>(QStringLiteral("newDmDialog"))) &&
                dialog->property("opened").toBool());
    QMetaObject::invokeMethod(dialog, "close");

    // A room without messages says whose it is and what to do.
    const qint64 dm = openDm(*bob, newcomer->userId);
    QVERIFY(dm);
    QTRY_COMPARE(client.rooms()->model()->rowCount(), 1);
    window->resize(1000, 640);
    QVERIFY(ClientFixture::openRoom(client, dm));
    QTRY_VERIFY(visibleItemNamed(window->contentItem(), QStringLiteral("roomStart")));
    QVERIFY(!visibleItemNamed(window->contentItem(), QStringLiteral("welcomeState")));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("seen-room-start")));
    // The first message replaces it.
    QVERIFY(sendMessage(*bob, dm, QStringLiteral("Welcome aboard, Lena! 👋")));
    QTRY_VERIFY(!visibleItemNamed(window->contentItem(), QStringLiteral("roomStart")));
}

void TestSeenWindow::seenByAndOfflineBanner()
{
    const quint16 port = ClientFixture::freePort();
    TestServer server(fixedPortConfig(port));
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    // A group with seven readers: five avatars, then "+2".
    std::vector<std::unique_ptr<TestClient>> readers;
    QList<qint64> readerIds{bob->userId};
    for (const char* name : {"carol", "dan", "erin", "frank", "grace", "wang"}) {
        readers.push_back(server.user(QString::fromLatin1(name)));
        QVERIFY(readers.back());
        readerIds.append(readers.back()->userId);
    }
    const qint64 team = createGroup(*mei, QStringLiteral("团队 team"), readerIds);
    QVERIFY(team);
    QVERIFY(sendMessage(*bob, team, QStringLiteral("Release notes are in the wiki 📝")));
    const qint64 asked =
        sendMessage(*mei, team, QStringLiteral("Thanks! Everyone please check the 中文 section."));
    QVERIFY(asked);
    QVERIFY(markRead(*bob, team, asked));
    for (auto& reader : readers)
        QVERIFY(markRead(*reader, team, asked));
    const qint64 dm = openDm(*mei, bob->userId);
    QVERIFY(sendMessage(*mei, dm, QStringLiteral("Lunch at 12:30? 🍜")));
    const qint64 dmRead = sendMessage(*mei, dm, QStringLiteral("The usual place."));
    QVERIFY(dmRead && markRead(*bob, dm, dmRead));

    ChatClient client(ClientFixture::options(QStringLiteral("seen-window")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 640);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("mei"), 2));

    QVERIFY(ClientFixture::openRoom(client, dm));
    QQuickItem* list = window->findChild<QQuickItem*>(QStringLiteral("messageList"));
    QVERIFY(list);
    QTRY_VERIFY(visibleItemNamed(list, QStringLiteral("seenText")));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("seen-dm")));

    QVERIFY(ClientFixture::openRoom(client, team));
    QTRY_VERIFY(visibleItemNamed(list, QStringLiteral("seenAvatars")));
    QQuickItem* more = visibleItemNamed(list, QStringLiteral("seenMore"));
    QVERIFY(more);
    QCOMPARE(more->property("text").toString(), QStringLiteral("+2"));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("seen-group")));

    // Offline: the banner counts down to the next try and offers to try now.
    client.session()->setReconnectDelays(25000, 25000);
    server.stop();
    QTRY_COMPARE(client.account()->connectionState(), Session::State::Reconnecting);
    QTRY_VERIFY(visibleItemNamed(window->contentItem(), QStringLiteral("retryCountdown")));
    QQuickItem* reconnect = visibleItemNamed(window->contentItem(), QStringLiteral("reconnectNow"));
    QVERIFY(reconnect);
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("seen-offline")));
    QVERIFY(server.start());
    QMetaObject::invokeMethod(reconnect, "clicked");
    QTRY_COMPARE_WITH_TIMEOUT(client.account()->connectionState(), Session::State::Online, 5000);
    QTRY_VERIFY(!visibleItemNamed(window->contentItem(), QStringLiteral("connectionBanner")));
}

QTEST_MAIN(TestSeenWindow)
#include "tst_seen_window.moc"
