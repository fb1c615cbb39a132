// Refusing a valid WebSocket upgrade before it is answered (issue 12, items 9
// and 10): origins as pure code, then WsServer's admission hook on loopback
// against raw TCP and QWebSocket clients.
#include "ws/ws_handshake.h"
#include "ws/ws_server.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace confab::server::ws;

namespace {

HandshakeRequest requestWith(const QList<QPair<QByteArray, QByteArray>>& headers)
{
    HandshakeRequest request;
    request.method = "GET";
    request.target = "/";
    request.headers = headers;
    return request;
}

QByteArray upgrade(const QByteArray& extraHeaders = {})
{
    return "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
           extraHeaders + "\r\n";
}

QByteArray readUntilClosed(QTcpSocket& raw, int timeoutMs = 5000)
{
    QByteArray all;
    QElapsedTimer clock;
    clock.start();
    while (raw.state() != QAbstractSocket::UnconnectedState && clock.elapsed() < timeoutMs) {
        QTest::qWait(5);
        all += raw.readAll();
    }
    return all + raw.readAll();
}

// A WsServer on loopback whose admission refuses requests carrying an
// "X-Refuse: <status>" header with that status.
struct Harness {
    WsServer server{64 * 1024};
    QList<WsSocket*> opened;
    QList<QByteArray> asked; // the Origin of every request the hook saw

    Harness()
    {
        server.setAdmission([this](const HandshakeRequest& request, const QHostAddress&) {
            asked.append(request.rawHeader("Origin"));
            const QByteArray status = request.rawHeader("X-Refuse");
            return status.isEmpty() ? QByteArray() : refusalResponse(status, "no\n", "Retry-After: 10\r\n");
        });
        QObject::connect(&server, &WsServer::socketOpened, &server,
                         [this](WsSocket* s) { opened.append(s); });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    }
    bool connectRaw(QTcpSocket& raw)
    {
        raw.connectToHost(QHostAddress::LocalHost, server.serverPort());
        return raw.waitForConnected(5000);
    }
};

} // namespace

class TestWsAdmission : public QObject {
    Q_OBJECT
private slots:
    void normalizedOrigins_data();
    void normalizedOrigins();
    void foreignOriginsAreRefused();
    void refusedHandshakeGetsTheResponseAndIsClosed();
    void admittedHandshakeOpens();
    void qwebsocketSeesTheRefusal();
};

void TestWsAdmission::normalizedOrigins_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("https") << QByteArray("https://chat.example.com")
                           << QByteArray("https://chat.example.com");
    QTest::newRow("case and spaces") << QByteArray("  HTTPS://Chat.Example.COM ")
                                     << QByteArray("https://chat.example.com");
    QTest::newRow("default port") << QByteArray("https://chat.example.com:443")
                                  << QByteArray("https://chat.example.com");
    QTest::newRow("http default port") << QByteArray("http://10.0.0.5:80") << QByteArray("http://10.0.0.5");
    QTest::newRow("other port") << QByteArray("http://localhost:8080") << QByteArray("http://localhost:8080");
    QTest::newRow("trailing slash") << QByteArray("https://chat.example.com/")
                                    << QByteArray("https://chat.example.com");
    QTest::newRow("ipv6") << QByteArray("http://[::1]:3000") << QByteArray("http://[::1]:3000");
    QTest::newRow("path") << QByteArray("https://chat.example.com/app") << QByteArray();
    QTest::newRow("query") << QByteArray("https://chat.example.com?x=1") << QByteArray();
    QTest::newRow("user info") << QByteArray("https://me@chat.example.com") << QByteArray();
    QTest::newRow("opaque null") << QByteArray("null") << QByteArray();
    QTest::newRow("no scheme") << QByteArray("chat.example.com") << QByteArray();
    QTest::newRow("empty") << QByteArray("") << QByteArray();
}

void TestWsAdmission::normalizedOrigins()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, origin);
    QCOMPARE(normalizedOrigin(text), origin);
}

void TestWsAdmission::foreignOriginsAreRefused()
{
    const QList<QByteArray> allowed{"https://chat.example.com"};
    QVERIFY(refuseForeignOrigin(requestWith({}), allowed).isEmpty()); // desktop clients send none
    QVERIFY(
        refuseForeignOrigin(requestWith({{"origin", "https://CHAT.example.com:443"}}), allowed).isEmpty());
    for (const QByteArray& origin :
         {QByteArray("https://evil.example"), QByteArray("http://chat.example.com"), QByteArray("null"),
          QByteArray(""), QByteArray("https://chat.example.com.evil.example")}) {
        const QByteArray refusal = refuseForeignOrigin(requestWith({{"Origin", origin}}), allowed);
        QVERIFY2(refusal.startsWith("HTTP/1.1 403 Forbidden\r\n"), origin.constData());
    }
    // Two Origin headers are one value that names no origin.
    QVERIFY(!refuseForeignOrigin(
                 requestWith({{"Origin", "https://chat.example.com"}, {"Origin", "https://evil.example"}}),
                 allowed)
                 .isEmpty());
    // Nothing allowed: every page is refused.
    QVERIFY(!refuseForeignOrigin(requestWith({{"Origin", "https://chat.example.com"}}), {}).isEmpty());
}

void TestWsAdmission::refusedHandshakeGetsTheResponseAndIsClosed()
{
    Harness h;
    QTcpSocket raw;
    QVERIFY(h.connectRaw(raw));
    raw.write(upgrade("X-Refuse: 429 Too Many Requests\r\n"));
    const QByteArray response = readUntilClosed(raw);
    QVERIFY2(response.startsWith("HTTP/1.1 429 Too Many Requests\r\n"), response.constData());
    QVERIFY(response.contains("\r\nRetry-After: 10\r\n"));
    QVERIFY(response.contains("\r\nConnection: close\r\n"));
    QVERIFY(response.endsWith("\r\n\r\nno\n"));
    QCOMPARE(raw.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(h.opened.isEmpty()); // no socketOpened: nobody above the ws layer sees it
    QCOMPARE(h.asked.size(), 1);
}

void TestWsAdmission::admittedHandshakeOpens()
{
    Harness h;
    QTcpSocket raw;
    QVERIFY(h.connectRaw(raw));
    raw.write(upgrade("Origin: https://chat.example.com\r\n"));
    QTRY_COMPARE(h.opened.size(), 1);
    QByteArray response;
    QTRY_VERIFY((response += raw.readAll()).contains("\r\n\r\n"));
    QVERIFY(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QCOMPARE(h.asked, QList<QByteArray>{"https://chat.example.com"});
}

void TestWsAdmission::qwebsocketSeesTheRefusal()
{
    Harness h;
    QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(h.server.serverPort())));
    request.setRawHeader("X-Refuse", "503 Service Unavailable");
    QWebSocket refused(QStringLiteral("https://page.example"));
    bool failed = false;
    QObject::connect(&refused, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), &refused,
                     [&] { failed = true; });
    refused.open(request);
    QTRY_VERIFY(failed);
    QVERIFY(refused.state() != QAbstractSocket::ConnectedState);
    QVERIFY(h.opened.isEmpty());
    QCOMPARE(h.asked, QList<QByteArray>{"https://page.example"}); // QWebSocket sends the origin it was given

    QWebSocket desktop; // no origin: no Origin header
    desktop.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(h.server.serverPort())));
    QTRY_COMPARE(desktop.state(), QAbstractSocket::ConnectedState);
    QTRY_COMPARE(h.opened.size(), 1);
    QCOMPARE(h.asked.last(), QByteArray());
}

QTEST_MAIN(TestWsAdmission)
#include "tst_ws_admission.moc"
