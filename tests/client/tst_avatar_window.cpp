// Avatars in the whole window (issue 15), offscreen against a real
// in-process server: Bob and Carol have pictures, Mei sets hers from the
// account menu's controller; the pictures show in the timeline, the room
// list (the DM) and beside Mei's name, round, instead of the letters.
// Saves screenshots (light and dark) to $CONFAB_TEST_ARTIFACTS.
#include "client_app_fixture.h"
#include "main_window.h"
#include "window_test_support.h"

#include "../server/avatar_helpers.h"

#include <QBuffer>
#include <QPainter>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace confab::test;
using confab::client::ChatClient;

namespace {

// A small portrait-ish picture: a gradient with a head and shoulders.
QImage portrait(QColor from, QColor to)
{
    QImage image(200, 200, QImage::Format_ARGB32);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QLinearGradient g(0, 0, 200, 200);
    g.setColorAt(0, from);
    g.setColorAt(1, to);
    p.fillRect(image.rect(), g);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 230));
    p.drawEllipse(QPointF(100, 80), 38, 38);
    p.drawEllipse(QRectF(40, 130, 120, 120));
    return image;
}

QByteArray png(const QImage& image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

} // namespace

class TestAvatarWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void picturesInTimelineRoomListAndMenu();
};

void TestAvatarWindow::picturesInTimelineRoomListAndMenu()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(mei && bob && carol);
    QCOMPARE(typeOf(setAvatar(*bob, png(portrait(QColor("#1864ab"), QColor("#74c0fc"))))),
             QStringLiteral("user"));
    QCOMPARE(typeOf(setAvatar(*carol, png(portrait(QColor("#c2255c"), QColor("#ffa8a8"))))),
             QStringLiteral("user"));
    const qint64 team = createGroup(*bob, QStringLiteral("team"), {mei->userId, carol->userId});
    const qint64 dm = openDm(*bob, mei->userId);
    QVERIFY(team && dm);
    QVERIFY(sendMessage(*bob, team, QStringLiteral("Morning! The build is green again.")));
    QVERIFY(sendMessage(*carol, team, QStringLiteral("Great, I'll cut the release after lunch 🍜")));
    QVERIFY(sendMessage(*bob, team, QStringLiteral("Thanks Carol.")));
    QVERIFY(sendMessage(*bob, dm, QStringLiteral("Got a minute?")));

    ChatClient client(ClientFixture::options(QStringLiteral("avatar-window")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 640);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("mei"), 2));

    // Mei sets hers as "Set avatar…" does, from a file.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("mei.png"));
    QVERIFY(portrait(QColor("#2b8a3e"), QColor("#b2f2bb")).save(file));
    QSignalSpy finished(client.avatars(), &confab::client::AvatarController::setFinished);
    client.avatars()->setAvatarFromFile(QUrl::fromLocalFile(file));
    QVERIFY(finished.wait(10000));
    QVERIFY(finished.first().first().toBool());

    QVERIFY(ClientFixture::openRoom(client, team));
    QQuickItem* list = window->findChild<QQuickItem*>(QStringLiteral("messageList"));
    QVERIFY(list);
    // Bob's first message and Carol's and Bob's again start groups: three
    // pictures in the timeline, fetched and decoded off the GUI thread.
    QTRY_VERIFY_WITH_TIMEOUT(countVisible(list, QStringLiteral("avatarPicture")) >= 3, 10000);
    QQuickItem* roomList = window->findChild<QQuickItem*>(QStringLiteral("roomList"));
    QVERIFY(roomList);
    // Mine beside my name, and Bob's on the DM row.
    QTRY_VERIFY_WITH_TIMEOUT(countVisible(roomList, QStringLiteral("avatarPicture")) >= 2, 10000);
    QVERIFY(saveScreenshot(window, QStringLiteral("avatars-timeline-light"), 500));

    QObject* theme = windowTheme(window);
    QVERIFY(theme);
    theme->setProperty("mode", QStringLiteral("dark"));
    QVERIFY(saveScreenshot(window, QStringLiteral("avatars-timeline-dark"), 500));
    theme->setProperty("mode", QStringLiteral("light"));

    QObject* accountMenu = window->findChild<QObject*>(QStringLiteral("accountMenu"));
    QVERIFY(accountMenu);
    QMetaObject::invokeMethod(accountMenu, "open");
    QTRY_VERIFY(accountMenu->property("opened").toBool());
    QObject* set = accountMenu->findChild<QObject*>(QStringLiteral("setAvatarItem"));
    QObject* remove = accountMenu->findChild<QObject*>(QStringLiteral("removeAvatarItem"));
    QVERIFY(set && remove);
    QVERIFY(set->property("visible").toBool());
    QVERIFY(remove->property("visible").toBool());
    QVERIFY(saveScreenshot(window, QStringLiteral("avatars-account-menu-light"), 500));
    QMetaObject::invokeMethod(accountMenu, "close");
    theme->setProperty("mode", QStringLiteral("dark"));
    QMetaObject::invokeMethod(accountMenu, "open");
    QVERIFY(saveScreenshot(window, QStringLiteral("avatars-account-menu-dark"), 500));
    QMetaObject::invokeMethod(accountMenu, "close");
    theme->setProperty("mode", QStringLiteral("light"));

    // "Remove avatar": my letter is back, the menu no longer offers it.
    QMetaObject::invokeMethod(remove, "triggered");
    QTRY_VERIFY(!client.avatars()->hasAvatar());
    QTRY_VERIFY(!remove->property("visible").toBool());
}

QTEST_MAIN(TestAvatarWindow)
#include "tst_avatar_window.moc"
