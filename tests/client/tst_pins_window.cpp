// Pins and "Browse groups" in the whole window (as `confab` starts it),
// offscreen against a real in-process server: the header's pins button and
// its popup, a click that jumps to an old pinned message (loaded and
// flashed); the welcome screen's Browse, the directory's search and Join;
// "+ Group" making a public group with a topic. Each state is checked through
// the items it shows and saved as screenshots, light and dark, to
// $CONFAB_TEST_ARTIFACTS (default <build>/test-artifacts).
#include "client_app_fixture.h"
#include "main_window.h"
#include "window_test_support.h"

#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

using namespace confab::test;
using confab::client::ChatClient;

class TestPinsWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void pinsPopupJumps();
    void browseAndCreatePublic();
};

void TestPinsWindow::pinsPopupJumps()
{
    auto config = TestServer::fastSendersConfig();
    config.groupBurst = 1000;
    config.groupRatePerSecond = 1000;
    TestServer server(config);
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 team = createGroup(*mei, QStringLiteral("设计评审"), {bob->userId});
    QVERIFY(team);
    QStringList lines = numbered(QStringLiteral("history line"), 120);
    lines[2] = QStringLiteral("The release checklist: build, sign, <b>upload</b>, announce — 发布清单");
    const QList<qint64> ids = seedMessages(*bob, team, lines);
    QCOMPARE(ids.size(), 120);
    for (const qint64 id : {ids.at(2), ids.at(110)})
        QVERIFY(typeOf(mei->request(QStringLiteral("pin_message"), {{QStringLiteral("messageId"), double(id)},
                                                                    {QStringLiteral("pinned"), true}})) ==
                QLatin1String("ok"));

    ChatClient client(ClientFixture::options(QStringLiteral("pins-window")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 640);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(client, team));

    QQuickItem* button = nullptr;
    QTRY_VERIFY((button = visibleItemNamed(window->contentItem(), QStringLiteral("pinsButton"))));
    QTRY_COMPARE(button->property("text").toString(), QStringLiteral("\U0001F4CC 2"));
    QMetaObject::invokeMethod(button, "clicked");
    QObject* popup = window->findChild<QObject*>(QStringLiteral("pinsPopup"));
    QVERIFY(popup);
    QTRY_VERIFY(popup->property("opened").toBool());
    QQuickItem* old = nullptr;
    QTRY_VERIFY((old = itemWithText(window->contentItem(), QStringLiteral("pinText"), lines.at(2))));
    QCOMPARE(old->property("textFormat").toInt(), int(Qt::PlainText));
    QVERIFY(visibleItemNamed(window->contentItem(), QStringLiteral("unpinButton"))); // the owner may unpin
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("pins-popup")));

    // The old one is usually not loaded yet (the first page is the newest
    // 100 of 122), so the click loads it, scrolls to it and flashes it; a
    // fast machine may already have paged back while the list settled, and
    // then the jump only scrolls. Either way it must end at the message.
    if (client.conversation()->messages()->rowOfMessage(ids.at(2)) >= 0)
        qInfo("the pinned message was already loaded before the jump");
    clickItem(window, old);
    QTRY_VERIFY(!popup->property("opened").toBool());
    QTRY_VERIFY(client.conversation()->messages()->rowOfMessage(ids.at(2)) >= 0);
    QQuickItem* conversation = window->findChild<QQuickItem*>(QStringLiteral("conversation"));
    QVERIFY(conversation);
    QTRY_COMPARE(conversation->property("flashId").toDouble(), double(ids.at(2)));
    QQuickItem* list = window->findChild<QQuickItem*>(QStringLiteral("messageList"));
    QTRY_VERIFY(visibleItemNamed(list, QStringLiteral("pinMark")));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("pins-jumped")));
}

void TestPinsWindow::browseAndCreatePublic()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto lena = server.user(QStringLiteral("lena"));
    QVERIFY(mei && lena);
    qint64 design = 0;
    for (const auto& [name, topic] :
         {std::pair{"Design Review 设计评审", "Weekly critique of work in progress — anyone welcome"},
          std::pair{"Lunch club", "Where to eat on Fridays"}, std::pair{"Office 北京", ""}}) {
        const QJsonObject created = mei->request(QStringLiteral("create_room"),
                                                 {{QStringLiteral("name"), QString::fromUtf8(name)},
                                                  {QStringLiteral("memberIds"), QJsonArray()},
                                                  {QStringLiteral("topic"), QString::fromUtf8(topic)},
                                                  {QStringLiteral("visibility"), QStringLiteral("public")}});
        const qint64 id = qint64(
            payloadOf(created).value(QLatin1String("room")).toObject().value(QLatin1String("id")).toDouble());
        QVERIFY(id);
        if (!design)
            design = id;
    }
    QVERIFY(createGroup(*mei, QStringLiteral("Design secrets"), {})); // private: never listed

    ChatClient client(ClientFixture::options(QStringLiteral("pins-browse-window")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 640);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("lena"), 0));

    // The welcome screen offers the directory.
    QQuickItem* browse = nullptr;
    QTRY_VERIFY((browse = visibleItemNamed(window->contentItem(), QStringLiteral("welcomeBrowse"))));
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("pins-welcome")));
    QMetaObject::invokeMethod(browse, "clicked");
    QObject* dialog = window->findChild<QObject*>(QStringLiteral("browseGroupsDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->property("opened").toBool());
    QQuickItem* results = nullptr;
    QTRY_VERIFY((results = visibleItemNamed(window->contentItem(), QStringLiteral("publicGroupsList"))));
    QTRY_COMPARE(results->property("count").toInt(), 3);
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("pins-browse")));

    // Search as one types (any case), then Join: the group opens, the dialog closes.
    QQuickItem* field = visibleItemNamed(window->contentItem(), QStringLiteral("browseSearchField"));
    QVERIFY(field);
    field->setProperty("text", QStringLiteral("DESIGN"));
    QTRY_COMPARE(results->property("count").toInt(), 1);
    QQuickItem* join = nullptr;
    QTRY_VERIFY((join = visibleItemNamed(results, QStringLiteral("joinGroupButton"))));
    clickItem(window, join);
    QTRY_VERIFY(!dialog->property("opened").toBool());
    QTRY_COMPARE(client.conversation()->roomId(), double(design));
    QVERIFY(client.rooms()->model()->rowOf(design) >= 0);

    // Opened again from the sidebar, the joined group offers Open.
    QQuickItem* sidebarBrowse = visibleItemNamed(window->contentItem(), QStringLiteral("browseGroupsButton"));
    QVERIFY(sidebarBrowse);
    QMetaObject::invokeMethod(sidebarBrowse, "clicked");
    QTRY_VERIFY(dialog->property("opened").toBool());
    field->setProperty("text", QStringLiteral("design"));
    QTRY_VERIFY(visibleItemNamed(results, QStringLiteral("openGroupButton")));
    QMetaObject::invokeMethod(dialog, "close");

    // "+ Group" with a topic, made public: others find it.
    QObject* newGroup = window->findChild<QObject*>(QStringLiteral("newGroupDialog"));
    QVERIFY(newGroup);
    QMetaObject::invokeMethod(newGroup, "open");
    QTRY_VERIFY(newGroup->property("opened").toBool());
    QQuickItem* name = visibleItemNamed(window->contentItem(), QStringLiteral("groupNameField"));
    QQuickItem* topic = visibleItemNamed(window->contentItem(), QStringLiteral("groupTopicField"));
    QQuickItem* makePublic = visibleItemNamed(window->contentItem(), QStringLiteral("groupPublicSwitch"));
    QVERIFY(name && topic && makePublic);
    name->setProperty("text", QStringLiteral("Book club 读书会"));
    topic->setProperty("text", QStringLiteral("One book a month"));
    makePublic->setProperty("checked", true);
    QVERIFY(saveThemedScreenshots(window, QStringLiteral("pins-new-group")));
    QMetaObject::invokeMethod(newGroup, "accept");
    QTRY_COMPARE(client.rooms()->model()->rowCount(), 2);
    const QJsonObject listed = mei->request(QStringLiteral("list_public_rooms"),
                                            {{QStringLiteral("query"), QStringLiteral("读书")}});
    const QJsonArray rooms = payloadOf(listed).value(QLatin1String("rooms")).toArray();
    QCOMPARE(rooms.size(), 1);
    QCOMPARE(rooms.at(0).toObject().value(QLatin1String("topic")).toString(),
             QStringLiteral("One book a month"));
}

QTEST_MAIN(TestPinsWindow)
#include "tst_pins_window.moc"
