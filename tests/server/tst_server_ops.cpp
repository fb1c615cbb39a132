// The operations listener (server/ops): /metrics in the Prometheus text
// format with live figures, /healthz, and what it answers to anything else.
#include "test_server.h"

#include <QRegularExpression>
#include <QTcpSocket>
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

} // namespace

class TestServerOps : public QObject {
    Q_OBJECT
private slots:
    void metricsShowLiveFigures();
    void healthzAnswersWhenTheStoreDoes();
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
    QVERIFY(metric(after.body, "confab_deliveries_total") >= 6); // each message to alice and bob
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
