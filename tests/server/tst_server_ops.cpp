// The operations listener (server/ops): /metrics in the Prometheus text
// format with live figures, /healthz (503 while the database is down, with a
// real server process), and what it answers to anything else. On both
// backends (tst_server_ops_pg).
#include "server_process.h"
#include "store/database_url.h"
#include "test_server.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace confab;
using namespace confab::test;

namespace {

struct HttpReply {
    int status = 0;
    QByteArray head;
    QByteArray body;
};

HttpReply httpGet(quint16 port, const QByteArray& method, const QByteArray& path)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(method + ' ' + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray all;
    // The server runs in this thread: wait with the event loop turning.
    (void)QTest::qWaitFor(
        [&] {
            all += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        5000);
    all += socket.readAll();
    HttpReply reply;
    const qsizetype end = all.indexOf("\r\n\r\n");
    reply.head = all.left(end);
    reply.body = all.mid(end + 4);
    const QList<QByteArray> statusLine = reply.head.left(reply.head.indexOf("\r\n")).split(' ');
    reply.status = statusLine.size() > 1 ? statusLine[1].toInt() : 0;
    return reply;
}

// The value of one sample line, e.g. metric("confab_errors_total{code=\"bad_request\"}").
double metric(const QByteArray& body, const QByteArray& sample)
{
    for (const QByteArray& line : body.split('\n')) {
        if (line.startsWith(sample + ' '))
            return line.mid(sample.size() + 1).toDouble();
    }
    return -1;
}

// The ops port of a confab-server process, from its log line.
quint16 opsPortOf(ServerProcess& server)
{
    const QRegularExpression line(QStringLiteral("metrics and health on http://127.0.0.1:(\\d+)/metrics"));
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
            match = line.match(server.output());
            return match.hasMatch();
        },
        10000);
    return match.hasMatch() ? match.captured(1).toUShort() : 0;
}

// GET /healthz from a server in another process (blocking is fine here).
HttpReply healthOf(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray all;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(10000))
        all += socket.readAll();
    all += socket.readAll();
    HttpReply reply;
    const qsizetype end = all.indexOf("\r\n\r\n");
    reply.head = all.left(end);
    reply.body = all.mid(end + 4);
    const QList<QByteArray> statusLine = reply.head.left(reply.head.indexOf("\r\n")).split(' ');
    reply.status = statusLine.size() > 1 ? statusLine[1].toInt() : 0;
    return reply;
}

// Asks /healthz until it answers `status` (or timeoutMs passes), four times
// a second: more often than the store's idle probe (after a second without
// jobs, sql_store_connection.cpp) could ever run, so only a health check that
// really asks the database sees it go.
HttpReply healthUntil(quint16 port, int status, int timeoutMs = 60000)
{
    QElapsedTimer clock;
    clock.start();
    HttpReply reply = healthOf(port);
    while (reply.status != status && clock.elapsed() < timeoutMs) {
        QTest::qWait(250);
        reply = healthOf(port);
    }
    return reply;
}

// Runs one statement on the test cluster's admin database; the error text,
// empty on success. Utility statements (ALTER DATABASE) cannot be prepared:
// they run as they are, with a name ScratchPostgres made, never input.
QString onCluster(const QString& statement, const QVariantList& values = {})
{
    QString error;
    {
        QSqlDatabase db = openTestDatabase(ScratchPostgres::adminUrl(), QStringLiteral("ops-admin"));
        QSqlQuery query(db);
        bool ran = false;
        if (values.isEmpty()) {
            ran = query.exec(statement);
        } else {
            query.prepare(statement);
            for (const QVariant& v : values)
                query.addBindValue(v);
            ran = query.exec();
        }
        if (!ran)
            error = query.lastError().text();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("ops-admin"));
    return error;
}

} // namespace

class TestServerOps : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void metricsShowLiveFigures();
    void healthzAnswersWhenTheStoreDoes();
    void healthzIs503WhileTheDatabaseIsDown();
    void otherRequestsAreRefused();
    void offMeansNoListener();
};

void TestServerOps::metricsShowLiveFigures()
{
    auto config = TestServer::defaultConfig();
    config.opsPort = 0;
    TestServer server(config);
    QVERIFY(server.start());
    const quint16 ops = server.server().opsPort();
    QVERIFY(ops != 0 && ops != server.server().port());

    HttpReply before = httpGet(ops, "GET", "/metrics");
    QCOMPARE(before.status, 200);
    QVERIFY(before.head.contains("Content-Type: text/plain; version=0.0.4"));
    QCOMPARE(metric(before.body, "confab_connections"), 0.0);
    QVERIFY(before.body.contains("# TYPE confab_ack_latency_seconds histogram"));

    auto alice = signUpAt(server.url(), QStringLiteral("alice"));
    auto bob = signUpAt(server.url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->sendRaw(QStringLiteral("not json"));
    QVERIFY(!alice->waitFor(QStringLiteral("error")).isEmpty());
    const QJsonObject room =
        alice->request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), bob->userId}});
    const qint64 roomId =
        qint64(payloadOf(room).value(QLatin1String("room")).toObject().value(QLatin1String("id")).toDouble());
    for (int i = 0; i < 3; ++i) {
        const QJsonObject ack = alice->request(QStringLiteral("send_message"),
                                               {{QStringLiteral("roomId"), roomId},
                                                {QStringLiteral("content"), QStringLiteral("hi %1").arg(i)},
                                                {QStringLiteral("tempId"), QStringLiteral("t%1").arg(i)}});
        QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
    }
    QVERIFY(!bob->waitFor(QStringLiteral("message")).isEmpty());

    const HttpReply after = httpGet(ops, "GET", "/metrics");
    QCOMPARE(after.status, 200);
    QCOMPARE(metric(after.body, "confab_connections"), 2.0);
    QCOMPARE(metric(after.body, "confab_online_users"), 2.0);
    QCOMPARE(metric(after.body, "confab_handshakes_total"), 2.0);
    QCOMPARE(metric(after.body, "confab_messages_total"), 3.0);
    QCOMPARE(metric(after.body, "confab_ack_latency_seconds_count"), 3.0);
    QCOMPARE(metric(after.body, "confab_ack_latency_seconds_bucket{le=\"+Inf\"}"), 3.0);
    QVERIFY(metric(after.body, "confab_db_commit_seconds_count") >= 3); // sign-ups, tokens, messages
    QCOMPARE(metric(after.body, "confab_errors_total{code=\"bad_request\"}"), 1.0);
    QVERIFY(metric(after.body, "confab_deliveries_total") >= 6);   // each message to alice and bob
    QCOMPARE(metric(after.body, "confab_store_queued_jobs"), 0.0); // all answered: nothing waits
    // Every sample line is "name{labels} number".
    static const QRegularExpression line(
        QStringLiteral(R"(^(#.*|[a-z_]+(\{[a-z_]+="[^"]*"\})? [-0-9.e+]+)$)"));
    for (const QByteArray& l : after.body.split('\n')) {
        if (!l.isEmpty())
            QVERIFY2(line.match(QString::fromUtf8(l)).hasMatch(), l.constData());
    }
}

void TestServerOps::healthzAnswersWhenTheStoreDoes()
{
    auto config = TestServer::defaultConfig();
    config.opsPort = 0;
    TestServer server(config);
    QVERIFY(server.start());
    const HttpReply health = httpGet(server.server().opsPort(), "GET", "/healthz");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body.trimmed(), QByteArray(R"({"database":"ok","status":"ok"})"));
}

// A real server process; its database made unusable from outside, as an
// operator would see it: PostgreSQL refusing the database (connections
// dropped, new ones refused), a SQLite file locked by another process. The
// store's jobs then fail or wait, and /healthz says 503 with the reason;
// once the database is back it says 200 again.
void TestServerOps::healthzIs503WhileTheDatabaseIsDown()
{
    QTemporaryDir dir;
    std::unique_ptr<ScratchPostgres> postgres;
    QString url = QStringLiteral("sqlite:") + dir.filePath(QStringLiteral("ops.db"));
    if (TestServer::usesPostgres()) {
        postgres = std::make_unique<ScratchPostgres>();
        QVERIFY2(postgres->isValid(), qPrintable(postgres->error()));
        url = postgres->url();
    }
    ServerProcess server;
    QVERIFY(
        server.start({QStringLiteral("--db"), url, QStringLiteral("--hash-threads"), QStringLiteral("1")}));
    const quint16 ops = opsPortOf(server);
    QVERIFY2(ops != 0, qPrintable(server.output()));
    QCOMPARE(healthOf(ops).status, 200);

    std::unique_ptr<TestClient> alice; // SQLite: her sends are what waits on the lock
    const QString lockName = QStringLiteral("ops-lock");
    if (postgres) {
        const auto parsed = confab::server::DatabaseUrl::parse(url);
        QVERIFY(parsed.ok());
        const QString name = parsed->databaseName; // generated by ScratchPostgres, never input
        QCOMPARE(onCluster(QStringLiteral("ALTER DATABASE %1 ALLOW_CONNECTIONS false").arg(name)), QString());
        QCOMPARE(onCluster(QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                          "WHERE datname = ?"),
                           {name}),
                 QString());
    } else {
        alice = signUpAt(server.url(), QStringLiteral("alice"));
        QVERIFY(alice);
        const qint64 room = createGroup(*alice, QStringLiteral("locked out"), {});
        QVERIFY(room > 0);
        QSqlDatabase lock = openTestDatabase(url, lockName);
        QSqlQuery begin(lock);
        QVERIFY2(begin.exec(QStringLiteral("BEGIN IMMEDIATE")), qPrintable(begin.lastError().text()));
        // Sends pile up behind the lock (each waits out the busy timeout),
        // and every store job after them waits too.
        for (int i = 0; i < 5; ++i)
            alice->sendWithId(QStringLiteral("send_message"),
                              {{QStringLiteral("roomId"), double(room)},
                               {QStringLiteral("content"), QStringLiteral("blocked %1").arg(i)},
                               {QStringLiteral("tempId"), QStringLiteral("b%1").arg(i)}});
        alice->socket().flush();
    }
    const HttpReply down = healthUntil(ops, 503);
    QCOMPARE(down.status, 503);
    const QJsonObject body = QJsonDocument::fromJson(down.body).object();
    QCOMPARE(body.value(QLatin1String("status")).toString(), QStringLiteral("unavailable"));
    const QString reason = body.value(QLatin1String("database")).toString();
    qInfo("503 while the database is down: %s", qPrintable(reason));
    QVERIFY2(reason.contains(postgres ? QLatin1String("unavailable") : QLatin1String("no answer")),
             down.body.constData());

    if (postgres) {
        const QString name = confab::server::DatabaseUrl::parse(url)->databaseName;
        QCOMPARE(onCluster(QStringLiteral("ALTER DATABASE %1 ALLOW_CONNECTIONS true").arg(name)), QString());
    } else {
        {
            QSqlQuery release(QSqlDatabase::database(lockName, false));
            QVERIFY2(release.exec(QStringLiteral("ROLLBACK")), qPrintable(release.lastError().text()));
        }
        QSqlDatabase::database(lockName, false).close();
        QSqlDatabase::removeDatabase(lockName);
    }
    const HttpReply up = healthUntil(ops, 200);
    QCOMPARE(up.status, 200);
    QCOMPARE(up.body.trimmed(), QByteArray(R"({"database":"ok","status":"ok"})"));
    // And the server serves again.
    auto bob = signUpAt(server.url(), QStringLiteral("bob"));
    QVERIFY(bob);
    alice.reset();
    QVERIFY(server.terminate());
}

void TestServerOps::otherRequestsAreRefused()
{
    auto config = TestServer::defaultConfig();
    config.opsPort = 0;
    TestServer server(config);
    QVERIFY(server.start());
    const quint16 ops = server.server().opsPort();
    QCOMPARE(httpGet(ops, "GET", "/").status, 404);
    QCOMPARE(httpGet(ops, "POST", "/metrics").status, 405);
    QCOMPARE(httpGet(ops, "BREW", "/coffee").status, 405);
    QCOMPARE(httpGet(ops, "GET", "/with space").status, 400); // not "METHOD PATH VERSION"
}

void TestServerOps::offMeansNoListener()
{
    TestServer server; // defaultConfig: opsPort -1
    QVERIFY(server.start());
    QCOMPARE(server.server().opsPort(), quint16(0));
}

CONFAB_TEST_MAIN(TestServerOps)
#include "tst_server_ops.moc"
