// The whole client window, as `confab` starts it (ChatClient + Confab.Ui's
// Main.qml through loadMainWindow()), offscreen against a real in-process
// server with seeded rooms. Saves screenshots to $CONFAB_TEST_ARTIFACTS
// (default <build>/test-artifacts): the login page, the chat with Chinese
// text and a highlighted mention of me, the @ popup, the narrow layout, dark.
#include "client_app_fixture.h"
#include "main_window.h"

#include "message_list_model.h"
#include "room_list_model.h"

#include <QDir>
#include <QJsonArray>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQmlExpression>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QTest>

using namespace confab::test;
using confab::client::ChatClient;

namespace {

std::unique_ptr<TestClient> registerUser(TestServer& server, const QString& username,
                                         const QString& displayName)
{
    auto c = server.client();
    const QJsonObject reply =
        c->request(QStringLiteral("register"), {{QStringLiteral("username"), username},
                                                {QStringLiteral("password"), QStringLiteral("correct horse")},
                                                {QStringLiteral("displayName"), displayName}});
    if (typeOf(reply) != QLatin1String("auth_ok"))
        return nullptr;
    const QJsonObject user = payloadOf(reply).value(QLatin1String("user")).toObject();
    c->userId = idOf(user.value(QLatin1String("id")));
    c->username = username;
    c->token = payloadOf(reply).value(QLatin1String("token")).toString();
    return c;
}

QJsonArray mentionOf(qint64 userId, int start, int end)
{
    return {QJsonObject{{QStringLiteral("userId"), double(userId)},
                        {QStringLiteral("indexStart"), start},
                        {QStringLiteral("indexEnd"), end}}};
}

QQuickItem* findItem(QQuickWindow* window, const char* name)
{
    return window->findChild<QQuickItem*>(QString::fromLatin1(name));
}

int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TestClientSmoke : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void windowShowsSeededRoomsAndSavesScreenshots();

private:
    void screenshot(QQuickWindow* window, const QString& name);
};

void TestClientSmoke::initTestCase()
{
    ClientFixture::prepareEnvironment();
}

void TestClientSmoke::screenshot(QQuickWindow* window, const QString& name)
{
    QTest::qWait(400); // layouts, delegates and popups settle; a frame is rendered
    const QImage image = window->grabWindow();
    QVERIFY2(!image.isNull(), qPrintable(name));
    QCOMPARE(image.size(), window->size() * window->devicePixelRatio());
    QVERIFY2(distinctColours(image) > 20, qPrintable(name + QStringLiteral(" is (nearly) one colour")));
    const QString path = artifactsDir(QStringLiteral(CONFAB_DEFAULT_ARTIFACTS)) + QLatin1Char('/') + name +
                         QStringLiteral(".png");
    QVERIFY2(image.save(path), qPrintable(path));
    qInfo("saved %s", qPrintable(path));
}

void TestClientSmoke::windowShowsSeededRoomsAndSavesScreenshots()
{
    auto config = TestServer::defaultConfig();
    config.sendBurst = 1000;
    TestServer server(config);
    QVERIFY(server.start());
    auto mei = registerUser(server, QStringLiteral("mei"), QStringLiteral("Mei Lin"));
    auto wang = registerUser(server, QStringLiteral("wang"), QStringLiteral("王小明"));
    auto bob = registerUser(server, QStringLiteral("bob"), QStringLiteral("Bob Wang"));
    auto carol = registerUser(server, QStringLiteral("carol"), QStringLiteral("Carol Diaz"));
    QVERIFY(mei && wang && bob && carol);

    const qint64 general = createGroup(*bob, QStringLiteral("general"), {mei->userId, carol->userId});
    QVERIFY(sendMessage(*carol, general, QStringLiteral("新的设计系统文档已经发布了。")));
    QVERIFY(sendMessage(*bob, general, QStringLiteral("Build is green again, thanks all.")));
    // A room name is someone's input: markup in it must show as text.
    const qint64 markup = createGroup(
        *carol, QStringLiteral("<i>not italic</i> <img src=\"http://127.0.0.1:9/x.png\">"), {mei->userId});
    QVERIFY(markup);
    const qint64 dm = openDm(*bob, mei->userId);
    QVERIFY(sendMessage(*bob, dm, QStringLiteral("Lunch tomorrow?")));
    const qint64 design =
        createGroup(*wang, QStringLiteral("设计评审"), {mei->userId, bob->userId, carol->userId});
    QVERIFY(sendMessage(*wang, design, QStringLiteral("大家好，今天下午三点开会，讨论新版首页的设计稿。")));
    QVERIFY(sendMessage(*bob, design,
                        QStringLiteral("Sounds good. The draft is at https://example.com/design/v2")));
    QVERIFY(sendMessage(*bob, design, QStringLiteral("Comments welcome before the meeting.")));
    QVERIFY(sendMessage(*carol, design,
                        QStringLiteral("I'll bring the user-research notes <b>and</b> the survey.")));
    QVERIFY(sendMessage(*wang, design, QStringLiteral("@mei 你能先看一下第二版吗？谢谢！"), {},
                        mentionOf(mei->userId, 0, 4)));
    QVERIFY(sendMessage(*carol, design, QStringLiteral("@bob can you share the Figma link too?"), {},
                        mentionOf(bob->userId, 0, 4)));

    ChatClient client(ClientFixture::options(QStringLiteral("smoke")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->requestActivate();
    QCOMPARE(window->size(), QSize(1280, 800));

    QQuickItem* login = findItem(window, "loginPage");
    QVERIFY(login);
    screenshot(window, QStringLiteral("01-login"));
    // Creating an account: display name and the invite code a server may ask for.
    login->setProperty("registering", true);
    QTRY_VERIFY(findItem(window, "inviteField") && findItem(window, "inviteField")->isVisible());
    screenshot(window, QStringLiteral("01b-create-account"));
    login->setProperty("registering", false);

    client.signIn(server.url().toString(), QStringLiteral("mei"), QStringLiteral("correct horse"));
    QTRY_VERIFY_WITH_TIMEOUT(client.signedIn(), 10000);
    QTRY_VERIFY(findItem(window, "roomListView"));
    QQuickItem* roomList = findItem(window, "roomListView");
    QTRY_COMPARE(roomList->property("count").toInt(), 4);
    // Most recent activity first; the mention of me shows as a badge.
    const auto* rooms = client.rooms();
    QCOMPARE(rooms->data(rooms->index(0), confab::client::RoomListModel::NameRole).toString(),
             QStringLiteral("设计评审"));
    QCOMPARE(rooms->data(rooms->index(0), confab::client::RoomListModel::MentionCountRole).toInt(), 1);

    client.openRoom(double(design));
    QQuickItem* messageList = findItem(window, "messageList");
    QVERIFY(messageList);
    QTRY_COMPARE(messageList->property("count").toInt(), 6);
    // Delegates are created when the view lays out, after the rows arrive.
    const auto highlightedDelegates = [messageList] {
        int n = 0;
        const auto delegates = messageList->property("contentItem").value<QQuickItem*>()->childItems();
        for (QQuickItem* item : delegates)
            n += item->property("highlighted").toBool() ? 1 : 0;
        return n;
    };
    QTRY_COMPARE(highlightedDelegates(), 1); // the message mentioning me, and only that one
    screenshot(window, QStringLiteral("02-chat"));

    // The @ popup, from real key presses into the composer.
    QQuickItem* input = findItem(window, "composerInput");
    QVERIFY(input);
    input->forceActiveFocus();
    QTRY_VERIFY(input->hasActiveFocus());
    QTest::keyClick(window, Qt::Key_At, Qt::NoModifier);
    QObject* popup = window->findChild<QObject*>(QStringLiteral("mentionPopup"));
    QVERIFY(popup);
    QTRY_VERIFY(popup->property("opened").toBool());
    QTRY_COMPARE(popup->property("count").toInt(), 3);
    screenshot(window, QStringLiteral("03-mention-popup"));
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!popup->property("opened").toBool());
    QTest::keyClick(window, Qt::Key_Backspace);

    // Half the width: the room list leaves for a drawer.
    window->resize(640, 800);
    QTRY_COMPARE(window->width(), 640);
    QQuickItem* sideList = findItem(window, "roomList");
    QVERIFY(sideList);
    QTRY_VERIFY(!sideList->isVisible());
    screenshot(window, QStringLiteral("04-chat-narrow"));

    // The room drawer of the narrow layout.
    QObject* drawer = window->findChild<QObject*>(QStringLiteral("roomDrawer"));
    QVERIFY(drawer);
    QMetaObject::invokeMethod(drawer, "open");
    QTRY_VERIFY(drawer->property("opened").toBool());
    screenshot(window, QStringLiteral("05-narrow-drawer"));
    QMetaObject::invokeMethod(drawer, "close");
    QTRY_VERIFY(!drawer->property("opened").toBool());

    // Search over all rooms, from the header; Chinese finds Chinese.
    window->resize(1280, 800);
    QObject* chatPage = findItem(window, "chatPage");
    QVERIFY(chatPage);
    QMetaObject::invokeMethod(chatPage, "showPanel", Q_ARG(QVariant, QStringLiteral("search")));
    QQuickItem* searchField = findItem(window, "searchField");
    QVERIFY(searchField);
    QTRY_VERIFY(searchField->hasActiveFocus());
    searchField->setProperty("text", QStringLiteral("设计"));
    QQuickItem* results = findItem(window, "searchResults");
    QVERIFY(results);
    QTRY_COMPARE(results->property("count").toInt(), 1); // this room first
    QQuickItem* allRooms = findItem(window, "allRoomsScope");
    QVERIFY(allRooms);
    QTest::mouseClick(window, Qt::LeftButton, {},
                      allRooms->mapToScene(QPointF(allRooms->width() / 2, allRooms->height() / 2)).toPoint());
    QTRY_COMPARE(results->property("count").toInt(), 2);
    screenshot(window, QStringLiteral("06-search"));
    QObject* sidePanel = window->findChild<QObject*>(QStringLiteral("sidePanel"));
    QVERIFY(sidePanel);
    QMetaObject::invokeMethod(sidePanel, "close");
    QTRY_VERIFY(!sidePanel->property("opened").toBool());

    // Dark palette (the system decides; forced here).
    QQmlExpression themeOf(qmlContext(window), window, QStringLiteral("Theme"));
    auto* theme = themeOf.evaluate().value<QObject*>();
    QVERIFY(theme);
    theme->setProperty("mode", QStringLiteral("dark"));
    QVERIFY(theme->property("dark").toBool());
    screenshot(window, QStringLiteral("07-chat-dark"));
    theme->setProperty("mode", QStringLiteral("system"));

    client.signOut();
    QTRY_VERIFY(findItem(window, "loginPage"));
}

QTEST_MAIN(TestClientSmoke)
#include "tst_client_smoke.moc"
