// QtQuickTest cases for the composer (@ autocomplete, mention spans) and the
// message view (highlighting a mention of me, paging), in tests/qml/. The
// setup starts a real in-process server with a room of users and a room with
// a long history, and hands the QML a signed-in ChatClient with the first
// room open.
#include "client_app_fixture.h"
#include "main_window.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QTest>
#include <QtQuickTest>

using namespace confab::test;

class Setup : public QObject {
    Q_OBJECT
public slots:
    void applicationAvailable()
    {
        ClientFixture::prepareEnvironment();
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        confab::ui::importStaticModules();

        m_server = std::make_unique<TestServer>();
        if (!m_server->start())
            qFatal("tst_qml_composer: the test server did not start");
        m_me = m_server->user(QStringLiteral("mei"));
        m_bob = m_server->user(QStringLiteral("bob"));
        m_bobby = m_server->user(QStringLiteral("bobby"));
        m_carol = m_server->user(QStringLiteral("carol"));
        auto outsider = m_server->user(QStringLiteral("bea")); // not in the room: never offered
        if (!m_me || !m_bob || !m_bobby || !m_carol || !outsider)
            qFatal("tst_qml_composer: could not register the users");
        m_room =
            createGroup(*m_me, QStringLiteral("设计评审"), {m_bob->userId, m_bobby->userId, m_carol->userId});

        // A long history for the conversation view (older pages).
        m_historyRoom = createGroup(*m_bob, QStringLiteral("history"), {m_me->userId});
        qint64 last = 0;
        for (int i = 0; i < 120; ++i) {
            last = sendMessage(*m_bob, m_historyRoom, QStringLiteral("history line %1").arg(i));
            if (!last)
                qFatal("tst_qml_composer: could not seed the history");
        }
        // Read already (elsewhere): it opens at the newest, with no divider.
        m_me->request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(m_historyRoom)},
                                                    {QStringLiteral("messageId"), double(last)}});

        // A room read up to a point, then 130 unread messages: three pages
        // back, past the first page the room opens with.
        m_unreadRoom = createGroup(*m_bob, QStringLiteral("unread"), {m_me->userId});
        for (int i = 0; i < 30; ++i)
            last = sendMessage(*m_bob, m_unreadRoom, QStringLiteral("read line %1").arg(i));
        m_me->request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(m_unreadRoom)},
                                                    {QStringLiteral("messageId"), double(last)}});
        for (int i = 0; i < 130; ++i) {
            const qint64 id = sendMessage(*m_bob, m_unreadRoom, QStringLiteral("new line %1").arg(i));
            if (!id)
                qFatal("tst_qml_composer: could not seed the unread room");
            if (i == 0)
                m_firstUnread = id;
        }

        m_client = ClientFixture::create(QStringLiteral("qmltest"));
        if (!ClientFixture::signIn(*m_client, m_server->url(), QStringLiteral("mei"), 3) ||
            !ClientFixture::openRoom(*m_client, m_room))
            qFatal("tst_qml_composer: the client did not sign in");
    }

    void qmlEngineAvailable(QQmlEngine* engine)
    {
        // Static modules keep their qmldir in the resources, under "/" + URI.
        engine->addImportPath(QStringLiteral("qrc:/"));
        QQmlContext* context = engine->rootContext();
        context->setContextProperty(QStringLiteral("chatClient"), m_client.get());
        context->setContextProperty(QStringLiteral("testRoomId"), double(m_room));
        context->setContextProperty(QStringLiteral("historyRoomId"), double(m_historyRoom));
        context->setContextProperty(QStringLiteral("unreadRoomId"), double(m_unreadRoom));
        context->setContextProperty(QStringLiteral("firstUnreadId"), double(m_firstUnread));
        context->setContextProperty(QStringLiteral("meId"), double(m_me->userId));
        context->setContextProperty(QStringLiteral("bobId"), double(m_bob->userId));
        context->setContextProperty(QStringLiteral("bobbyId"), double(m_bobby->userId));
        context->setContextProperty(QStringLiteral("carolId"), double(m_carol->userId));
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_server.reset();
    }

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_me, m_bob, m_bobby, m_carol;
    std::unique_ptr<confab::client::ChatClient> m_client;
    qint64 m_room = 0;
    qint64 m_historyRoom = 0;
    qint64 m_unreadRoom = 0;
    qint64 m_firstUnread = 0;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_composer, Setup)

#include "tst_qml_composer.moc"
