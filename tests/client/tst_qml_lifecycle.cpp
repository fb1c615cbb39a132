// QtQuickTest cases for a message's life in the whole chat page
// (qml_lifecycle/tst_*.qml): edit via Up, delete with confirmation, a reply's
// quote jumping to its original (older pages loaded), reaction chips; and
// screenshots, light and dark. The ChatClient is signed in to
// FakeRoomServer, which answers the contract's "Message changes and
// catch-up" for one room.
#include "client_app_fixture.h"
#include "fake_room_server.h"
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

        m_server = std::make_unique<FakeRoomServer>();
        if (!m_server->listen())
            qFatal("tst_qml_lifecycle: the fake server did not listen");
        const Id Bob = FakeRoomServer::kBob;
        const Id Mei = FakeRoomServer::kMei;
        m_quoted = m_server->addMessage(Bob, QStringLiteral("The plan: ship on Friday.\nNotes follow."));
        for (int i = 0; i < 70; ++i) // the original is several pages back
            m_server->addMessage(i % 3 ? Bob : Mei, QStringLiteral("line %1").arg(i));
        const Id deleted = m_server->addMessage(Bob, QStringLiteral("wrong room, sorry"));
        m_server->deleteAsBob(deleted, true);
        const Id edited = m_server->addMessage(Bob, QStringLiteral("The build is gren"));
        m_server->editAsBob(edited, QStringLiteral("The build is green ✅"), true);
        m_reply = m_server->addMessage(Bob, QStringLiteral("Still the plan?"), m_quoted);
        m_reacted = m_server->addMessage(Bob, QStringLiteral("Pizza for lunch 🍕"));
        m_server->reactAsBob(m_reacted, QString::fromUtf8("👍"), true, true);
        m_server->reactAsBob(m_reacted, QString::fromUtf8("❤️"), true, true);
        const Id quoteOfDeleted = m_server->addMessage(Bob, QStringLiteral("What did you delete?"), deleted);
        Q_UNUSED(quoteOfDeleted)
        m_mine = m_server->addMessage(Mei, QStringLiteral("I will write the notes tonigth"));

        m_client = ClientFixture::create(QStringLiteral("qmllifecycle"));
        if (!ClientFixture::signIn(*m_client, m_server->url(), QStringLiteral("mei"), 1) ||
            !ClientFixture::openRoom(*m_client, FakeRoomServer::kRoomId))
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
        m_server.reset();
    }

private:
    std::unique_ptr<FakeRoomServer> m_server;
    std::unique_ptr<confab::client::ChatClient> m_client;
    Id m_quoted = 0, m_reply = 0, m_reacted = 0, m_mine = 0;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_lifecycle, Setup)

#include "tst_qml_lifecycle.moc"
