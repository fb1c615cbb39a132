// What docs/protocol.md promises "on every server sharing the database", run
// on two confab-server processes on one PostgreSQL: `confab-server admin
// disable` and `reset-password` close the user's connections on both
// instances (error unauthenticated, then 1008) and nobody else's; and on a
// mentioned user's connections the `message` comes before its `mention`
// whichever instance the sender and the reader are on.
#include "event_matchers.h"
#include "scratch_postgres.h"
#include "server_process.h"
#include "test_client.h"
#include "test_server.h"

#include <QJsonArray>
#include <QProcess>
#include <QTest>

#include <memory>

using namespace confab::test;

namespace {

// Generous: the docs say "within about a second"; a loaded machine may be slower.
constexpr int kPushTimeoutMs = 15000;

// The frame types `client` received, in order, without the ones before `from`.
QStringList typesSince(const TestClient& client, qsizetype from)
{
    return client.history.mid(from);
}

// `confab-server admin <arguments>` with `input` on stdin; the exit code
// (-1 when it did not finish), its stderr in *errors.
int runAdmin(const QStringList& arguments, const QByteArray& input, QString* errors)
{
    QProcess admin;
    admin.start(ServerProcess::binary(), QStringList{QStringLiteral("admin")} + arguments);
    if (!admin.waitForStarted(5000))
        return -1;
    admin.write(input);
    admin.closeWriteChannel();
    if (!admin.waitForFinished(60000) || admin.exitStatus() != QProcess::NormalExit)
        return -1;
    *errors = QString::fromUtf8(admin.readAllStandardError());
    return admin.exitCode();
}

} // namespace

class TestClusterAdmin : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void disableClosesTheUsersConnectionsOnEveryInstance();
    void resetPasswordClosesTheUsersConnectionsOnEveryInstance();
    void messageComesBeforeMentionOnEveryInstance();

private:
    // Every connection in `closed` gets error unauthenticated `message` (no
    // id) and is closed with 1008; every one in `open` stays, and quiet.
    void expectClosed(const QList<TestClient*>& closed, const QString& message,
                      const QList<TestClient*>& open);
    std::unique_ptr<ScratchPostgres> m_db;
    std::unique_ptr<ServerProcess> m_a;
    std::unique_ptr<ServerProcess> m_b;
};

void TestClusterAdmin::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    CONFAB_REQUIRE_POSTGRES();
}

void TestClusterAdmin::init()
{
    m_db = std::make_unique<ScratchPostgres>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->error()));
    m_a = std::make_unique<ServerProcess>();
    m_b = std::make_unique<ServerProcess>();
    QVERIFY(m_a->start(clusterArguments(m_db->url())));
    QVERIFY(m_b->start(clusterArguments(m_db->url())));
}

void TestClusterAdmin::cleanup()
{
    for (auto* server : {&m_a, &m_b}) {
        if (*server)
            QVERIFY2(!(*server)->isRunning() || (*server)->terminate(), qPrintable((*server)->output()));
        server->reset();
    }
    m_db.reset();
}

void TestClusterAdmin::expectClosed(const QList<TestClient*>& closed, const QString& message,
                                    const QList<TestClient*>& open)
{
    for (TestClient* c : closed) {
        const QJsonObject pushed = c->waitFor(QStringLiteral("error"), kPushTimeoutMs);
        QVERIFY2(!pushed.isEmpty(), qPrintable(c->username + QStringLiteral(": no error pushed")));
        QCOMPARE(errorCodeOf(pushed), QStringLiteral("unauthenticated"));
        QCOMPARE(payloadOf(pushed).value(QLatin1String("message")).toString(), message);
        QVERIFY(!pushed.contains(QLatin1String("id")));
        QVERIFY2(QTest::qWaitFor([c] { return c->wasDisconnected(); }, kPushTimeoutMs),
                 qPrintable(c->username + QStringLiteral(" still connected")));
        QCOMPARE(c->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    }
    for (TestClient* c : open) {
        QVERIFY2(c->isConnected(), qPrintable(c->username));
        QVERIFY(c->staysQuiet(QStringLiteral("error"), 300));
        QCOMPARE(typeOf(c->request(QStringLiteral("ping"))), QStringLiteral("pong"));
    }
}

void TestClusterAdmin::disableClosesTheUsersConnectionsOnEveryInstance()
{
    auto daveA = signUpAt(m_a->url(), QStringLiteral("dave"));
    auto erinB = signUpAt(m_b->url(), QStringLiteral("erin"));
    QVERIFY(daveA && erinB);
    auto daveB = connectAs(m_b->url(), *daveA);
    auto erinA = connectAs(m_a->url(), *erinB);
    QVERIFY(daveB && erinA);
    daveB->username = QStringLiteral("dave (on B)");
    daveA->username = QStringLiteral("dave (on A)");

    QString errors;
    QCOMPARE(
        runAdmin({QStringLiteral("disable"), QStringLiteral("dave"), QStringLiteral("--db"), m_db->url()}, {},
                 &errors),
        0);
    expectClosed({daveA.get(), daveB.get()}, QStringLiteral("account disabled"), {erinA.get(), erinB.get()});

    // No way back in on either instance.
    for (ServerProcess* server : {m_a.get(), m_b.get()}) {
        TestClient again;
        QVERIFY(again.open(server->url()));
        QCOMPARE(
            errorCodeOf(again.request(QStringLiteral("auth"), {{QStringLiteral("token"), daveA->token}})),
            QStringLiteral("invalid_credentials"));
        const QJsonObject login = again.request(
            QStringLiteral("login"), {{QStringLiteral("username"), QStringLiteral("dave")},
                                      {QStringLiteral("password"), QStringLiteral("correct horse")}});
        QCOMPARE(errorCodeOf(login), QStringLiteral("forbidden"));
    }
}

void TestClusterAdmin::resetPasswordClosesTheUsersConnectionsOnEveryInstance()
{
    auto frankB = signUpAt(m_b->url(), QStringLiteral("frank"));
    auto gina = signUpAt(m_a->url(), QStringLiteral("gina"));
    QVERIFY(frankB && gina);
    auto frankA = connectAs(m_a->url(), *frankB);
    QVERIFY(frankA);
    // A second token of his, signed in on A by password: reset revokes every token.
    auto frankA2 = std::make_unique<TestClient>();
    QVERIFY(frankA2->open(m_a->url()));
    QVERIFY(frankA2->signIn(QStringLiteral("frank")));

    QString errors;
    const int exitCode = runAdmin({QStringLiteral("reset-password"), QStringLiteral("frank"),
                                   QStringLiteral("--password-stdin"), QStringLiteral("--db"), m_db->url()},
                                  "a new password\n", &errors);
    QVERIFY2(exitCode == 0, qPrintable(errors));

    expectClosed({frankA.get(), frankA2.get(), frankB.get()}, QStringLiteral("credentials changed"),
                 {gina.get()});
    for (ServerProcess* server : {m_a.get(), m_b.get()}) {
        TestClient again;
        QVERIFY(again.open(server->url()));
        QCOMPARE(
            errorCodeOf(again.request(QStringLiteral("auth"), {{QStringLiteral("token"), frankB->token}})),
            QStringLiteral("invalid_credentials"));
        QVERIFY(again.signIn(QStringLiteral("frank"), QStringLiteral("a new password")));
    }
}

void TestClusterAdmin::messageComesBeforeMentionOnEveryInstance()
{
    auto alice = signUpAt(m_a->url(), QStringLiteral("alice"));
    auto bobA = signUpAt(m_a->url(), QStringLiteral("bob"));
    QVERIFY(alice && bobA);
    auto bobB = connectAs(m_b->url(), *bobA);
    QVERIFY(bobB);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bobA->userId});
    QVERIFY(room > 0);
    QVERIFY(!bobB->waitFor(QStringLiteral("room")).isEmpty());

    // Several, pipelined from A, each mentioning bob: on both of bob's
    // connections (one on each instance) each message precedes its mention.
    constexpr int kMessages = 20;
    const QString text = QStringLiteral("hey @bob #%1");
    const QJsonArray mention{QJsonObject{{QStringLiteral("userId"), double(bobA->userId)},
                                         {QStringLiteral("indexStart"), 4},
                                         {QStringLiteral("indexEnd"), 8}}};
    const qsizetype startA = bobA->history.size();
    const qsizetype startB = bobB->history.size();
    QStringList requests;
    for (int i = 0; i < kMessages; ++i)
        requests.append(alice->sendWithId(QStringLiteral("send_message"),
                                          {{QStringLiteral("roomId"), double(room)},
                                           {QStringLiteral("content"), text.arg(i)},
                                           {QStringLiteral("tempId"), QStringLiteral("m-%1").arg(i)},
                                           {QStringLiteral("mentions"), mention}}));
    for (const QString& request : std::as_const(requests))
        QCOMPARE(typeOf(alice->waitForReply(request)), QStringLiteral("message_ack"));

    for (auto [bob, start] : {std::pair{bobA.get(), startA}, std::pair{bobB.get(), startB}}) {
        QVERIFY(QTest::qWaitFor(
            [bob = bob] { return bob->history.count(QStringLiteral("mention")) >= kMessages; }, 15000));
        // Per message id: the position of its message and of its mention.
        QHash<qint64, int> messageAt, mentionAt;
        const QList<QJsonObject> messages = bob->takeAll(QStringLiteral("message"));
        const QList<QJsonObject> mentions = bob->takeAll(QStringLiteral("mention"));
        QCOMPARE(messages.size(), kMessages);
        QCOMPARE(mentions.size(), kMessages);
        // takeAll keeps arrival order within a type; history has the interleaving.
        const QStringList order = typesSince(*bob, start);
        int messageIndex = 0, mentionIndex = 0;
        for (int at = 0; at < order.size(); ++at) {
            if (order.at(at) == QLatin1String("message"))
                messageAt.insert(
                    idIn(payloadOf(messages.at(messageIndex++)).value(QLatin1String("message")).toObject(),
                         "id"),
                    at);
            else if (order.at(at) == QLatin1String("mention"))
                mentionAt.insert(idIn(payloadOf(mentions.at(mentionIndex++)), "messageId"), at);
        }
        QCOMPARE(mentionAt.size(), kMessages);
        for (auto it = mentionAt.cbegin(); it != mentionAt.cend(); ++it) {
            QVERIFY2(messageAt.contains(it.key()), qPrintable(QString::number(it.key())));
            QVERIFY2(messageAt.value(it.key()) < it.value(),
                     qPrintable(QStringLiteral("mention of %1 before its message").arg(it.key())));
        }
    }
}

CONFAB_TEST_GUILESS_MAIN(TestClusterAdmin)
#include "tst_cluster_admin.moc"
