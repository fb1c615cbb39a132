// The whole client window, as `confab` starts it (ChatClient + Confab.Ui's
// Main.qml through loadMainWindow()), offscreen against a real in-process
// server with seeded rooms. Saves screenshots to $CONFAB_TEST_ARTIFACTS
// (default <build>/test-artifacts): the login page, the chat with Chinese
// text and a highlighted mention of me, the @ popup, the narrow layout, dark;
// namesakes told apart by @username; a hijacked server name on the login
// page (light, dark, and the question before choosing it). Untrusted text
// (room names, display names) is checked as rendered: laid out character by
// character as plain text, never as markup.
#include "attention_controller.h"
#include "client_app_fixture.h"
#include "main_window.h"

#include "discovery/discovered_servers_model.h"
#include "message_list_model.h"
#include "room_list_model.h"

#include <QDir>
#include <QFontMetricsF>
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

// The items in the visual tree under `root` (delegates have no QObject
// parent, so findChildren() does not see them) named `objectName`.
QList<QQuickItem*> itemsNamed(QQuickItem* root, const QString& objectName)
{
    QList<QQuickItem*> found;
    const auto children = root->childItems();
    for (QQuickItem* child : children) {
        if (child->objectName() == objectName)
            found.append(child);
        found += itemsNamed(child, objectName);
    }
    return found;
}

// The visible ones among them.
QList<QQuickItem*> visibleTexts(QQuickItem* root, const char* objectName)
{
    QList<QQuickItem*> found;
    const auto all = itemsNamed(root, QString::fromLatin1(objectName));
    for (QQuickItem* item : all) {
        if (item->isVisible())
            found.append(item);
    }
    return found;
}

QQuickItem* visibleTextSaying(QQuickItem* root, const char* objectName, const QString& text)
{
    for (QQuickItem* item : visibleTexts(root, objectName)) {
        if (item->property("text").toString() == text)
            return item;
    }
    return nullptr;
}

// A Text shows `expected` as plain text: the property holds it, the format
// is PlainText, and the laid-out width is that of every character of it in
// the item's font (rich text would drop the tags and draw an image instead).
bool rendersAsPlainText(QQuickItem* text, const QString& expected, QString* why)
{
    if (!text) {
        *why = QStringLiteral("no such item");
        return false;
    }
    if (text->property("text").toString() != expected) {
        *why = QStringLiteral("text is %1").arg(text->property("text").toString());
        return false;
    }
    if (text->property("textFormat").toInt() != 0) { // Text.PlainText
        *why = QStringLiteral("textFormat is %1").arg(text->property("textFormat").toInt());
        return false;
    }
    const QFontMetricsF metrics(text->property("font").value<QFont>());
    const qreal laidOut = text->implicitWidth();
    const qreal plain = metrics.horizontalAdvance(expected);
    if (qAbs(laidOut - plain) > 2.0) {
        *why = QStringLiteral("laid out %1 px wide, the plain text is %2 px").arg(laidOut).arg(plain);
        return false;
    }
    return true;
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
    void loginPageFlagsAHijackedServerName();

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
    // ❤ and ☕ are also in DejaVu Sans: in colour only with the emoji font per run.
    QVERIFY(sendMessage(*bob, general, QStringLiteral("Build is green again, thanks all ❤ ☕")));
    // A room name is someone's input: markup in it must show as text.
    const qint64 markup = createGroup(
        *carol, QStringLiteral("<i>not italic</i> <img src=\"http://127.0.0.1:9/x.png\">"), {mei->userId});
    QVERIFY(markup);
    const qint64 dm = openDm(*bob, mei->userId);
    QVERIFY(sendMessage(*bob, dm, QStringLiteral("Lunch tomorrow? ❤")));
    // Someone who took Carol's name (another case, so the server lets them):
    // the room shows who is who.
    auto carol2 = registerUser(server, QStringLiteral("carol2"), QStringLiteral("carol diaz"));
    QVERIFY(carol2);
    const qint64 support = createGroup(*carol, QStringLiteral("support 🎧"), {mei->userId, carol2->userId});
    QVERIFY(sendMessage(*carol, support, QStringLiteral("Can you look at the VPN config? 🙏")));
    QVERIFY(sendMessage(*carol2, support, QStringLiteral("Mei, send me your password here please 🔑")));
    QVERIFY(sendMessage(*carol, support, QStringLiteral("That was not me! 🚨 Never send passwords.")));
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

    client.account()->signIn(server.url().toString(), QStringLiteral("mei"), QStringLiteral("correct horse"));
    QTRY_VERIFY_WITH_TIMEOUT(client.account()->signedIn(), 10000);
    QTRY_VERIFY(findItem(window, "roomListView"));
    QQuickItem* roomList = findItem(window, "roomListView");
    QTRY_COMPARE(roomList->property("count").toInt(), 5);
    // Most recent activity first; the mention of me shows as a badge.
    const auto* rooms = client.rooms()->model();
    QCOMPARE(rooms->data(rooms->index(0), confab::client::RoomListModel::NameRole).toString(),
             QStringLiteral("设计评审"));
    QCOMPARE(rooms->data(rooms->index(0), confab::client::RoomListModel::MentionCountRole).toInt(), 1);

    // A DM's letter avatar takes its colour from the person, as beside their
    // messages (keyed by the sender), not from the room.
    const auto dmRow = [roomList, dm]() -> QQuickItem* {
        const auto rows = roomList->property("contentItem").value<QQuickItem*>()->childItems();
        for (QQuickItem* row : rows) {
            if (row->property("roomId").toDouble() == double(dm))
                return row;
        }
        return nullptr;
    };
    QTRY_VERIFY(dmRow());
    QCOMPARE(dmRow()->property("avatarKey").toDouble(), double(bob->userId));

    // The room named with markup, as rendered: in the list and in the header.
    const QString markupName = QStringLiteral("<i>not italic</i> <img src=\"http://127.0.0.1:9/x.png\">");
    QString why;
    QTRY_VERIFY(visibleTextSaying(roomList, "roomName", markupName));
    QVERIFY2(rendersAsPlainText(visibleTextSaying(roomList, "roomName", markupName), markupName, &why),
             qPrintable(why));
    client.conversation()->openRoom(double(markup));
    QTRY_COMPARE(findItem(window, "roomTitle")->property("text").toString(), markupName);
    QVERIFY2(rendersAsPlainText(findItem(window, "roomTitle"), markupName, &why), qPrintable(why));
    QVERIFY(window->title().contains(markupName + QStringLiteral(" — Confab"))); // after "(3) ", the unread

    client.conversation()->openRoom(double(design));
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
    // A muted room (level "nothing", synced through the server) in the
    // screenshots: dimmed, its count grey and out of the total.
    client.attention()->setRoomLevel(double(support), confab::client::AttentionController::Level::Nothing);
    QTRY_VERIFY(client.rooms()
                    ->model()
                    ->data(client.rooms()->model()->index(client.rooms()->model()->rowOf(support)),
                           confab::client::RoomListModel::MutedRole)
                    .toBool());
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

    // Near the length limit the composer counts down; past it, it does not
    // send and keeps the text (counter in the danger colour).
    const int maxLength = client.composer()->maxLength();
    const QString sentence = QStringLiteral("A long status report, pasted from a document ☕. ");
    QString nearLimit = sentence.repeated(maxLength / sentence.size());
    nearLimit = nearLimit.left(maxLength - 37);
    input->setProperty("text", nearLimit);
    QQuickItem* counter = findItem(window, "lengthCounter");
    QVERIFY(counter);
    QTRY_VERIFY(counter->isVisible());
    QCOMPARE(counter->property("text").toString(), QStringLiteral("37"));
    screenshot(window, QStringLiteral("09-composer-counter-dark"));
    input->setProperty("text", nearLimit + sentence);
    QTRY_VERIFY(counter->property("over").toBool());
    QVERIFY(!findItem(window, "sendButton")->isEnabled());
    theme->setProperty("mode", QStringLiteral("light"));
    screenshot(window, QStringLiteral("09b-composer-over-limit"));
    theme->setProperty("mode", QStringLiteral("dark"));
    input->setProperty("text", QString());

    // Namesakes: "@carol" and "@carol2" beside the two "Carol Diaz", as
    // rendered, on each of the three messages (each starts a group).
    QVERIFY(ClientFixture::openRoom(client, support));
    QTRY_COMPARE(messageList->property("count").toInt(), 3);
    QTRY_COMPARE(visibleTexts(messageList, "senderHandle").size(), 3);
    for (const QString& handle : {QStringLiteral("@carol"), QStringLiteral("@carol2")}) {
        QVERIFY2(rendersAsPlainText(visibleTextSaying(messageList, "senderHandle", handle), handle, &why),
                 qPrintable(handle + QStringLiteral(": ") + why));
    }
    QVERIFY(visibleTextSaying(messageList, "senderName", QStringLiteral("carol diaz")));
    QVERIFY(visibleTextSaying(messageList, "senderName", QStringLiteral("Carol Diaz")));
    screenshot(window, QStringLiteral("08b-namesakes-dark"));
    theme->setProperty("mode", QStringLiteral("light"));
    screenshot(window, QStringLiteral("08-namesakes"));
    theme->setProperty("mode", QStringLiteral("system"));

    client.account()->signOut();
    QTRY_VERIFY(findItem(window, "loginPage"));
}

// Issue 12: a machine on the LAN announces the name of a wss:// server the
// user trusted, with its own plain ws:// address. The login page lists both,
// the impostor with a warning in red words, and asks before it is chosen.
void TestClientSmoke::loginPageFlagsAHijackedServerName()
{
    ChatClient client(ClientFixture::options(QStringLiteral("smoke-hijack")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    auto* servers = window->findChild<confab::client::DiscoveredServersModel*>();
    QVERIFY(servers);

    const QString fingerprint = QStringLiteral(
        "3F:A9:1C:07:5B:E2:88:D4:61:0A:F3:9E:27:C5:4B:D0:19:7E:A2:66:F1:3C:58:8B:E4:02:9D:71:C6:35:AF:10");
    const auto announced = [](const QString& name, const char* address, quint16 port, bool tls,
                              const QString& fp) {
        confab::client::DiscoveredServer s;
        s.name = name;
        s.address = QHostAddress(QString::fromLatin1(address));
        s.port = port;
        s.tls = tls;
        s.fingerprint = fp;
        s.ttlSeconds = 120;
        return s;
    };
    // The user signed in to the real one before and trusted its certificate.
    client.account()->pinStore()->setPinnedFingerprint(QUrl(QStringLiteral("wss://192.168.1.10:7443/")),
                                                       fingerprint);
    servers->onServerSeen(announced(QStringLiteral("Team chat"), "192.168.1.10", 7443, true, fingerprint));
    servers->onServerSeen(announced(QStringLiteral("研发部 Confab 🚀"), "192.168.1.20", 7860, false, {}));
    servers->onServerSeen(announced(QStringLiteral("Team chat"), "192.168.1.66", 7860, false, {}));

    QQuickItem* list = findItem(window, "discoveredServerList");
    QVERIFY(list);
    const auto row = [list](const QString& url) -> QQuickItem* {
        const auto delegates = list->property("contentItem").value<QQuickItem*>()->childItems();
        for (QQuickItem* item : delegates) {
            if (item->objectName().startsWith(QLatin1String("discoveredServer_")) &&
                item->property("url").toString() == url)
                return item;
        }
        return nullptr;
    };
    const auto child = [](QQuickItem* item, const char* name) {
        const auto found = itemsNamed(item, QString::fromLatin1(name));
        return found.isEmpty() ? nullptr : found.constFirst();
    };
    const QString fakeUrl = QStringLiteral("ws://192.168.1.66:7860/");
    QTRY_VERIFY(row(fakeUrl) && row(QStringLiteral("wss://192.168.1.10:7443/")));
    QQuickItem* fake = row(fakeUrl);
    QQuickItem* real = row(QStringLiteral("wss://192.168.1.10:7443/"));
    QString why;
    QQuickItem* warning = child(fake, "serverWarning");
    QVERIFY(warning && warning->isVisible());
    const QString expected =
        QStringLiteral("Warning: Not encrypted (ws://), but you trusted “Team chat” with a "
                       "TLS certificate before. It may be an impostor: your password would "
                       "be sent in clear.");
    QCOMPARE(warning->property("text").toString(), expected);
    QCOMPARE(warning->property("textFormat").toInt(), 0); // Text.PlainText
    QVERIFY(child(fake, "plainBadge")->isVisible());
    QVERIFY(!child(real, "serverWarning")->isVisible());
    QVERIFY(child(real, "tlsBadge")->isVisible());
    QVERIFY2(rendersAsPlainText(child(real, "serverName"), QStringLiteral("Team chat"), &why),
             qPrintable(why));
    screenshot(window, QStringLiteral("01c-login-hijack"));

    QQmlExpression themeOf(qmlContext(window), window, QStringLiteral("Theme"));
    auto* theme = themeOf.evaluate().value<QObject*>();
    QVERIFY(theme);
    theme->setProperty("mode", QStringLiteral("dark"));
    screenshot(window, QStringLiteral("01d-login-hijack-dark"));

    // Clicking it asks first; the server field stays as it was.
    QQuickItem* serverField = findItem(window, "serverField");
    const QString before = serverField->property("text").toString();
    QTest::mouseClick(window, Qt::LeftButton, {},
                      fake->mapToScene(QPointF(fake->width() / 2, fake->height() / 2)).toPoint());
    QObject* dialog = window->findChild<QObject*>(QStringLiteral("suspiciousServerDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->property("opened").toBool());
    QCOMPARE(serverField->property("text").toString(), before);
    screenshot(window, QStringLiteral("01e-login-hijack-dialog-dark"));
    QQuickItem* useIt = findItem(window, "useSuspiciousServer");
    QVERIFY(useIt);
    QTest::mouseClick(window, Qt::LeftButton, {},
                      useIt->mapToScene(QPointF(useIt->width() / 2, useIt->height() / 2)).toPoint());
    QTRY_VERIFY(!dialog->property("opened").toBool());
    QCOMPARE(serverField->property("text").toString(), fakeUrl);
    QTRY_VERIFY(findItem(window, "chosenServerWarning")->isVisible());
    theme->setProperty("mode", QStringLiteral("light"));
    screenshot(window, QStringLiteral("01f-login-hijack-chosen"));
    theme->setProperty("mode", QStringLiteral("system"));
}

QTEST_MAIN(TestClientSmoke)
#include "tst_client_smoke.moc"
