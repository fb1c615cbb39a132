// QtQuickTest cases for the group info panel in the whole chat page
// (qml_groups/tst_*.qml): what it offers the owner and a plain member, an
// action performed through its menu, the topic in the header and system
// lines in the timeline; and screenshots, light and dark. The ChatClient
// (Mei) is signed in to a real in-process server; the groups and their
// history are seeded through it.
#include "client_app_fixture.h"
#include "main_window.h"

#include <QDir>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QtQuickTest>

using namespace confab;
using namespace confab::test;

namespace {

QJsonObject ask(TestClient& c, const QString& type, const QJsonObject& payload)
{
    const QJsonObject reply = c.request(type, payload);
    if (reply.value(QLatin1String("type")).toString() == QLatin1String("error"))
        qFatal("tst_qml_groups: %s was refused", qPrintable(type));
    return reply;
}

} // namespace

class Setup : public QObject {
    Q_OBJECT
public slots:
    void applicationAvailable()
    {
        ClientFixture::prepareEnvironment();
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        ui::importStaticModules();

        m_server = std::make_unique<TestServer>(TestServer::fastSendersConfig());
        if (!m_server->start())
            qFatal("tst_qml_groups: the test server did not start");
        m_mei = m_server->user(QStringLiteral("Mei"));
        m_bob = m_server->user(QStringLiteral("Bob"));
        m_dave = m_server->user(QStringLiteral("Dave"));
        m_li = m_server->user(QStringLiteral("Li"));
        if (!m_mei || !m_bob || !m_dave || !m_li)
            qFatal("tst_qml_groups: could not register the users");

        // Mei owns "Design review": Dave an admin, a topic, Li added by Dave.
        m_owned = createGroup(*m_mei, QStringLiteral("Design review"), {m_bob->userId, m_dave->userId});
        const QJsonValue room = double(m_owned);
        sendMessage(*m_bob, m_owned, QStringLiteral("Morning! Shall we go through the mock-ups?"));
        ask(*m_mei, QStringLiteral("set_role"),
            {{QStringLiteral("roomId"), room},
             {QStringLiteral("userId"), double(m_dave->userId)},
             {QStringLiteral("role"), QStringLiteral("admin")}});
        ask(*m_mei, QStringLiteral("update_room"),
            {{QStringLiteral("roomId"), room},
             {QStringLiteral("topic"),
              QStringLiteral("Tuesdays at ten: mock-ups, copy and the release checklist")}});
        ask(*m_dave, QStringLiteral("add_members"), // an admin adds people too
            {{QStringLiteral("roomId"), room},
             {QStringLiteral("userIds"), QJsonArray{double(m_li->userId)}}});
        sendMessage(*m_mei, m_owned, QStringLiteral("Welcome Li! The notes are pinned."));
        // Bob owns "Lunch club": Mei is a plain member there.
        m_member = createGroup(*m_bob, QStringLiteral("Lunch club"), {m_mei->userId, m_li->userId});
        sendMessage(*m_bob, m_member, QStringLiteral("Noodles today?"));

        m_client = ClientFixture::create(QStringLiteral("qml-groups"));
        if (!ClientFixture::signIn(*m_client, m_server->url(), QStringLiteral("Mei"), 2) ||
            !ClientFixture::openRoom(*m_client, m_owned))
            qFatal("tst_qml_groups: the client did not sign in");
    }

    void qmlEngineAvailable(QQmlEngine* engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        QQmlContext* context = engine->rootContext();
        context->setContextProperty(QStringLiteral("chatClient"), m_client.get());
        context->setContextProperty(QStringLiteral("ownedRoomId"), double(m_owned));
        context->setContextProperty(QStringLiteral("memberRoomId"), double(m_member));
        context->setContextProperty(QStringLiteral("bobId"), double(m_bob->userId));
        context->setContextProperty(QStringLiteral("daveId"), double(m_dave->userId));
        context->setContextProperty(QStringLiteral("meiId"), double(m_mei->userId));
        const QString shots =
            artifactsDir(QStringLiteral(CONFAB_DEFAULT_ARTIFACTS)) + QStringLiteral("/groups");
        QDir().mkpath(shots);
        context->setContextProperty(QStringLiteral("shotsDir"), shots);
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_server.reset();
    }

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_mei, m_bob, m_dave, m_li;
    std::unique_ptr<client::ChatClient> m_client;
    qint64 m_owned = 0;
    qint64 m_member = 0;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_groups, Setup)

#include "tst_qml_groups.moc"
