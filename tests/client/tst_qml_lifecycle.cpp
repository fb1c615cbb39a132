// QtQuickTest cases for a message's life in the whole chat page
// (qml_lifecycle/tst_*.qml): edit via Up, delete with confirmation, a reply's
// quote jumping to its original (older pages loaded), reaction chips; and
// screenshots, light and dark. The ChatClient is signed in to a real
// in-process server; bob's messages and changes are seeded through it.
#include "client_app_fixture.h"
#include "main_window.h"

#include <QDir>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QtQuickTest>

using namespace confab;
using namespace confab::test;

class Setup : public QObject {
    Q_OBJECT
public slots:
    void applicationAvailable()
    {
        ClientFixture::prepareEnvironment();
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        confab::ui::importStaticModules();

        m_server = std::make_unique<TestServer>(TestServer::fastSendersConfig());
        if (!m_server->start())
            qFatal("tst_qml_lifecycle: the test server did not start");
        m_me = m_server->user(QStringLiteral("mei"));
        m_bob = m_server->user(QStringLiteral("bob"));
        if (!m_me || !m_bob)
            qFatal("tst_qml_lifecycle: could not register the users");
        TestClient& bob = *m_bob;
        m_room = createGroup(bob, QStringLiteral("lifecycle"), {m_me->userId});
        m_quoted = send(bob, QStringLiteral("The plan: ship on Friday.\nNotes follow."));
        // The original is several pages back.
        if (seedMessages(bob, m_room, numbered(QStringLiteral("line"), 150)).contains(0))
            qFatal("tst_qml_lifecycle: could not seed the history");
        const qint64 deleted = send(bob, QStringLiteral("wrong room, sorry"));
        const qint64 edited = send(bob, QStringLiteral("The build is gren"));
        check(bob.request(QStringLiteral("edit_message"),
                          {{QStringLiteral("messageId"), double(edited)},
                           {QStringLiteral("content"), QStringLiteral("The build is green ✅")}}));
        m_reply = send(bob, QStringLiteral("Still the plan?"), m_quoted);
        m_reacted = send(bob, QStringLiteral("Pizza for lunch 🍕"));
        for (const char* emoji : {"👍", "❤️"})
            check(bob.request(QStringLiteral("react"), {{QStringLiteral("messageId"), double(m_reacted)},
                                                        {QStringLiteral("emoji"), QString::fromUtf8(emoji)},
                                                        {QStringLiteral("on"), true}}));
        send(bob, QStringLiteral("What did you delete?"), deleted);
        send(*m_me, QStringLiteral("I'll bring the slides")); // still editable after the next one is deleted
        check(
            bob.request(QStringLiteral("delete_message"), {{QStringLiteral("messageId"), double(deleted)}}));
        m_mine = send(*m_me, QStringLiteral("I will write the notes tonigth"));

        m_client = ClientFixture::create(QStringLiteral("qmllifecycle"));
        if (!ClientFixture::signIn(*m_client, m_server->url(), QStringLiteral("mei"), 1) ||
            !ClientFixture::openRoom(*m_client, m_room))
            qFatal("tst_qml_lifecycle: the client did not sign in");
    }

    void qmlEngineAvailable(QQmlEngine* engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        QQmlContext* context = engine->rootContext();
        context->setContextProperty(QStringLiteral("chatClient"), m_client.get());
        context->setContextProperty(QStringLiteral("quotedId"), double(m_quoted));
        context->setContextProperty(QStringLiteral("replyId"), double(m_reply));
        context->setContextProperty(QStringLiteral("reactedId"), double(m_reacted));
        context->setContextProperty(QStringLiteral("mineId"), double(m_mine));
        const QString shots =
            artifactsDir(QStringLiteral(CONFAB_DEFAULT_ARTIFACTS)) + QStringLiteral("/lifecycle");
        QDir().mkpath(shots);
        context->setContextProperty(QStringLiteral("shotsDir"), shots);
    }

    void cleanupTestCase()
    {
        m_client.reset();
        m_me.reset();
        m_bob.reset();
        m_server.reset();
    }

private:
    // Sends as `sender` (answering `replyTo` when set); the new id.
    qint64 send(TestClient& sender, const QString& content, qint64 replyTo = 0)
    {
        QJsonObject p{{QStringLiteral("roomId"), double(m_room)},
                      {QStringLiteral("content"), content},
                      {QStringLiteral("tempId"), QStringLiteral("seed-%1").arg(++m_sent)}};
        if (replyTo != 0)
            p.insert(QStringLiteral("replyTo"), double(replyTo));
        const QJsonObject ack = sender.request(QStringLiteral("send_message"), p);
        const qint64 id = qint64(
            ack.value(QLatin1String("payload")).toObject().value(QLatin1String("messageId")).toDouble());
        if (id == 0)
            qFatal("tst_qml_lifecycle: a seed message was refused");
        return id;
    }
    static void check(const QJsonObject& reply)
    {
        if (reply.value(QLatin1String("type")).toString() != QLatin1String("ok"))
            qFatal("tst_qml_lifecycle: a seed change was refused");
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestClient> m_me, m_bob;
    qint64 m_room = 0;
    int m_sent = 0;
    std::unique_ptr<confab::client::ChatClient> m_client;
    qint64 m_quoted = 0, m_reply = 0, m_reacted = 0, m_mine = 0;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_lifecycle, Setup)

#include "tst_qml_lifecycle.moc"
