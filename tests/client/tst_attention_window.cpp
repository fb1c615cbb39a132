// Attention in the whole window (as `confab` starts it), offscreen against a
// real in-process server: a room opened with unread messages shows the "New
// messages" line at the first of them; the room menu sets the level (stored
// on the server, the room dimmed and left out of the title's count); the
// account menu has the notification sound. Saves screenshots (light and
// dark) to $CONFAB_TEST_ARTIFACTS (default <build>/test-artifacts).
#include "client_app_fixture.h"
#include "main_window.h"
#include "tray.h"
#include "window_test_support.h"

#include "room_list_model.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMenu>
#include <QPainter>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

using namespace confab::test;
using confab::client::AttentionController;
using confab::client::ChatClient;
using confab::client::RoomListModel;

namespace {

QVariant roomData(ChatClient& client, qint64 roomId, int role)
{
    RoomListModel* model = client.rooms()->model();
    const int row = model->rowOf(roomId);
    return row < 0 ? QVariant() : model->data(model->index(row), role);
}

} // namespace

class TestAttentionWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void dividerLevelsAndMenus();
};

void TestAttentionWindow::dividerLevelsAndMenus()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(mei && bob && carol);
    const qint64 team = createGroup(*bob, QStringLiteral("team"), {mei->userId, carol->userId});
    qint64 last = 0;
    for (int i = 0; i < 12; ++i)
        last =
            sendMessage(i % 2 ? *carol : *bob, team, QStringLiteral("Earlier: item %1 is done.").arg(i + 1));
    QVERIFY(last);
    mei->request(QStringLiteral("mark_read"),
                 {{QStringLiteral("roomId"), double(team)}, {QStringLiteral("messageId"), double(last)}});
    const qint64 firstUnread = sendMessage(*bob, team, QStringLiteral("New build is out, please try it."));
    QVERIFY(firstUnread);
    for (int i = 0; i < 4; ++i)
        QVERIFY(sendMessage(i % 2 ? *bob : *carol, team, QStringLiteral("Since then: note %1.").arg(i + 1)));
    const qint64 noisy = createGroup(*carol, QStringLiteral("random"), {mei->userId});
    for (int i = 0; i < 3; ++i)
        QVERIFY(sendMessage(*carol, noisy, QStringLiteral("cat picture %1").arg(i + 1)));

    ChatClient client(ClientFixture::options(QStringLiteral("attention")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 640);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->requestActivate();
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("mei"), 2));
    QTRY_COMPARE(client.attention()->unreadTotal(), 8);
    QTRY_VERIFY(window->title().startsWith(QLatin1String("(8) ")));

    // Muting "random" on another device reaches this one (room_settings):
    // dimmed, and out of the total and the title's count.
    auto other = server.client();
    QVERIFY(other->open(server.url()));
    const QJsonObject auth = other->request(QStringLiteral("login"),
                                            {{QStringLiteral("username"), QStringLiteral("mei")},
                                             {QStringLiteral("password"), QStringLiteral("correct horse")}});
    QCOMPARE(typeOf(auth), QStringLiteral("auth_ok"));
    const QJsonObject muted = other->request(
        QStringLiteral("set_room_settings"),
        {{QStringLiteral("roomId"), double(noisy)}, {QStringLiteral("notify"), QStringLiteral("none")}});
    const bool serverKeepsLevels = typeOf(muted) == QLatin1String("ok");
    if (serverKeepsLevels) {
        QTRY_COMPARE(roomData(client, noisy, RoomListModel::MutedRole).toBool(), true);
    } else {
        // The server of this branch predates set_room_settings (server14):
        // the client side is shown with the level set locally.
        qWarning("server without set_room_settings: %s",
                 QJsonDocument(muted).toJson(QJsonDocument::Compact).constData());
        client.rooms()->model()->setNotifyLevel(noisy, confab::NotifyLevel::None);
    }
    QTRY_COMPARE(client.attention()->unreadTotal(), 5);
    QTRY_VERIFY(window->title().startsWith(QLatin1String("(5) ")));

    // The divider at the first unread message.
    client.conversation()->openRoom(double(team));
    QTRY_COMPARE(client.conversation()->messages()->firstUnreadId(), firstUnread);
    QQuickItem* list = window->findChild<QQuickItem*>(QStringLiteral("messageList"));
    QVERIFY(list);
    QTRY_VERIFY(visibleItemNamed(list, QStringLiteral("unreadDivider")));
    // The header says who is in it, also for a group without a topic (its
    // line once had no width at all then).
    QQuickItem* subtitle = visibleItemNamed(window->contentItem(), QStringLiteral("roomSubtitle"));
    QVERIFY(subtitle);
    QCOMPARE(subtitle->property("text").toString(), QStringLiteral("3 members"));
    QTRY_VERIFY(subtitle->width() >= subtitle->property("implicitWidth").toReal());
    QVERIFY(saveScreenshot(window, QStringLiteral("attention-divider-light")));

    QObject* theme = windowTheme(window);
    QVERIFY(theme);
    theme->setProperty("mode", QStringLiteral("dark"));
    QVERIFY(saveScreenshot(window, QStringLiteral("attention-divider-dark")));
    theme->setProperty("mode", QStringLiteral("light"));

    // The room menu with the levels; the current one checked.
    QObject* roomMenu = window->findChild<QObject*>(QStringLiteral("roomMenu"));
    QVERIFY(roomMenu);
    if (serverKeepsLevels) {
        client.attention()->setRoomLevel(double(team), AttentionController::Level::Mentions);
        QCOMPARE(typeOf(other->waitFor(QStringLiteral("room_settings"))), QStringLiteral("room_settings"));
    } else {
        client.rooms()->model()->setNotifyLevel(team, confab::NotifyLevel::Mentions);
    }
    QMetaObject::invokeMethod(roomMenu, "open");
    QTRY_VERIFY(roomMenu->property("opened").toBool());
    QObject* mentions = roomMenu->findChild<QObject*>(QStringLiteral("levelMentions"));
    QObject* all = roomMenu->findChild<QObject*>(QStringLiteral("levelAll"));
    QVERIFY(mentions && all);
    QVERIFY(mentions->property("checked").toBool());
    QVERIFY(!all->property("checked").toBool());
    QVERIFY(saveScreenshot(window, QStringLiteral("attention-room-menu-light")));
    QMetaObject::invokeMethod(roomMenu, "close");
    theme->setProperty("mode", QStringLiteral("dark"));
    QMetaObject::invokeMethod(roomMenu, "open");
    QVERIFY(saveScreenshot(window, QStringLiteral("attention-room-menu-dark")));
    QMetaObject::invokeMethod(roomMenu, "close");
    theme->setProperty("mode", QStringLiteral("light"));

    // My status from the account menu's controller: the server's answer is
    // what shows, and people who share a room with me are told.
    client.profile()->setStatus(confab::client::ProfileController::Status::Away,
                                QStringLiteral("In a meeting"));
    if (serverKeepsLevels) { // the server of issue 14 (set_profile with set_room_settings)
        QTRY_COMPARE(client.profile()->status(), confab::client::ProfileController::Status::Away);
        QCOMPARE(client.profile()->statusText(), QStringLiteral("In a meeting"));
        QCOMPARE(typeOf(bob->waitFor(QStringLiteral("user_updated"))), QStringLiteral("user_updated"));
    }

    // The account menu: status, profile, receipts, the notification sound.
    QObject* accountMenu = window->findChild<QObject*>(QStringLiteral("accountMenu"));
    QVERIFY(accountMenu);
    QMetaObject::invokeMethod(accountMenu, "open");
    QTRY_VERIFY(accountMenu->property("opened").toBool());
    QObject* sound = accountMenu->findChild<QObject*>(QStringLiteral("soundToggle"));
    QVERIFY(sound && sound->property("checked").toBool());
    QVERIFY(saveScreenshot(window, QStringLiteral("attention-account-menu-light")));
    QMetaObject::invokeMethod(accountMenu, "close");
    theme->setProperty("mode", QStringLiteral("dark"));
    QMetaObject::invokeMethod(accountMenu, "open");
    QVERIFY(saveScreenshot(window, QStringLiteral("attention-account-menu-dark")));
    QMetaObject::invokeMethod(accountMenu, "close");
    theme->setProperty("mode", QStringLiteral("light"));

    // A DM while the window is active: the in-window notification (the
    // desktop's is for when it is not), with Show.
    const qint64 dm = openDm(*bob, mei->userId);
    QVERIFY(dm);
    QVERIFY(sendMessage(*bob, dm, QStringLiteral("Lunch at noon? 🍜 午饭")));
    QQuickItem* toast = nullptr;
    QTRY_VERIFY((toast = visibleItemNamed(window->contentItem(), QStringLiteral("notificationToast"))));
    QVERIFY(toast->property("text").toString().contains(QStringLiteral("Lunch at noon?")));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("attention-notification")));

    // The tray: the unread total on the icon and in the tooltip, and its
    // menu (drawn here; offscreen there is no tray to click).
    confab::ui::Tray tray(client.attention(), window);
    QTRY_VERIFY(tray.toolTip().contains(QStringLiteral("unread")));
    QMenu* trayMenu = tray.menu();
    QCOMPARE(trayMenu->actions().size(), 3); // Show, a separator, Quit
    const QPixmap menuShot = trayMenu->grab();
    QImage shot(menuShot.width() + 96, std::max(menuShot.height(), 80), QImage::Format_ARGB32);
    shot.fill(QColor(0x30, 0x33, 0x38)); // a panel
    QPainter painter(&shot);
    painter.drawPixmap(16, 8, tray.icon().pixmap(64, 64));
    painter.drawPixmap(96, 0, menuShot);
    painter.end();
    QVERIFY(saveArtifact(shot, QStringLiteral("attention-tray")));

    client.attention()->setSoundEnabled(false);
    QVERIFY(!sound->property("checked").toBool());
    ChatClient::Options kept; // not ClientFixture::options(), which starts the profile afresh
    kept.profile = QStringLiteral("attention");
    kept.keychainService = QStringLiteral("ConfabTest");
    kept.autoResume = false;
    ChatClient again(kept);
    QVERIFY(!again.attention()->soundEnabled());
}

QTEST_MAIN(TestAttentionWindow)
#include "tst_attention_window.moc"
