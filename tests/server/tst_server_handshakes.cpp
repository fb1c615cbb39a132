// Issue 12, items 9 and 10, on a whole server: a foreign web page's handshake
// (an Origin header not in --allowed-origins) gets HTTP 403; connections are
// capped per client address (the forwarded one behind a trusted proxy: 429)
// and while not signed in, all addresses together (503). Real sockets: raw
// TCP for the HTTP answers, QWebSocket as browsers and desktops use it.
#include "test_server.h"

#include <QTcpSocket>
#include <QTest>

using namespace confab::test;

namespace {

// Opens a raw TCP connection, sends an upgrade request with `extraHeaders`
// ("Name: value\r\n" lines) and returns the response head's status line;
// the socket stays open (a 101) or closes (a refusal).
QByteArray handshake(QTcpSocket& raw, const QUrl& url, const QByteArray& extraHeaders = {})
{
    raw.connectToHost(url.host(), quint16(url.port()));
    if (!raw.waitForConnected(5000))
        return {};
    raw.write("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
              extraHeaders + "\r\n");
    // The server runs on this thread: wait with its events processed.
    QByteArray response;
    (void)QTest::qWaitFor(
        [&] {
            response += raw.readAll();
            return response.contains("\r\n\r\n") || raw.state() != QAbstractSocket::ConnectedState;
        },
        10000);
    return response;
}

QByteArray statusOf(const QByteArray& response)
{
    return response.left(response.indexOf("\r\n"));
}

bool closedByServer(QTcpSocket& raw)
{
    return QTest::qWaitFor(
        [&] {
            raw.readAll();
            return raw.state() == QAbstractSocket::UnconnectedState;
        },
        5000);
}

// A QWebSocket that sends `origin` (a web page's, as a browser would).
bool opensWithOrigin(const QUrl& url, const QString& origin)
{
    QWebSocket socket(origin);
    bool failed = false;
    QObject::connect(&socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), &socket,
                     [&] { failed = true; });
    socket.open(url);
    (void)QTest::qWaitFor([&] { return failed || socket.state() == QAbstractSocket::ConnectedState; }, 10000);
    const bool opened = !failed && socket.state() == QAbstractSocket::ConnectedState;
    socket.abort();
    return opened;
}

} // namespace

class TestServerHandshakes : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void foreignOriginsAreRefusedWith403();
    void allowedOriginsMaySignIn();
    void connectionsPerAddressAreCapped();
    void handshakesThatNeverFinishAreCappedToo();
    void theForwardedAddressCountsBehindATrustedProxy();
    void unauthenticatedConnectionsAreCapped();
    void capsOfZeroAreOff();
    void settings();
};

void TestServerHandshakes::foreignOriginsAreRefusedWith403()
{
    TestServer server; // --allowed-origins empty: no web page may connect
    QVERIFY(server.start());
    QTcpSocket page;
    const QByteArray response = handshake(page, server.url(), "Origin: https://evil.example\r\n");
    QCOMPARE(statusOf(response), QByteArray("HTTP/1.1 403 Forbidden"));
    QVERIFY(closedByServer(page));
    QVERIFY(!opensWithOrigin(server.url(), QStringLiteral("https://evil.example")));
    QVERIFY(!opensWithOrigin(server.url(), QStringLiteral("null")));
    QCOMPARE(server.server().connectionCount(), 0);
    QCOMPARE(server.server().gate().refused(confab::server::ConnectionGate::Refusal::Origin), quint64(3));

    // A desktop client sends no Origin: it is not affected.
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    QTcpSocket desktop;
    QCOMPARE(statusOf(handshake(desktop, server.url())), QByteArray("HTTP/1.1 101 Switching Protocols"));
}

void TestServerHandshakes::allowedOriginsMaySignIn()
{
    auto config = TestServer::defaultConfig();
    config.allowedOrigins = {QStringLiteral("https://chat.example.com")};
    TestServer server(config);
    QVERIFY(server.start());
    QVERIFY(opensWithOrigin(server.url(), QStringLiteral("https://chat.example.com")));
    QVERIFY(opensWithOrigin(server.url(), QStringLiteral("https://CHAT.example.com:443"))); // the same origin
    QVERIFY(!opensWithOrigin(server.url(), QStringLiteral("http://chat.example.com")));
    QVERIFY(!opensWithOrigin(server.url(), QStringLiteral("https://chat.example.com.evil.example")));

    TestClient page; // the allowed page can use the protocol
    QNetworkRequest request(server.url());
    request.setRawHeader("Origin", "https://chat.example.com");
    QVERIFY(page.open(request));
    QVERIFY(page.signUp(QStringLiteral("webuser")));
}

void TestServerHandshakes::connectionsPerAddressAreCapped()
{
    auto config = TestServer::defaultConfig();
    config.maxConnectionsPerAddress = 3;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice")); // signed in or not, each counts
    QVERIFY(alice);
    auto second = server.client();
    auto third = server.client();
    QVERIFY(second->isConnected() && third->isConnected());
    QCOMPARE(server.server().gate().openFrom(QStringLiteral("127.0.0.1")), 3);

    QTcpSocket fourth;
    const QByteArray response = handshake(fourth, server.url());
    QCOMPARE(statusOf(response), QByteArray("HTTP/1.1 429 Too Many Requests"));
    QVERIFY(response.contains("\r\nRetry-After: 10\r\n"));
    QVERIFY(closedByServer(fourth));
    QCOMPARE(server.server().connectionCount(), 3);
    // Nothing changed for the connections already open.
    QCOMPARE(typeOf(alice->request(QStringLiteral("ping"))), QStringLiteral("pong"));

    // A connection that closes frees its place.
    third->close();
    QTRY_COMPARE(server.server().gate().openFrom(QStringLiteral("127.0.0.1")), 2);
    auto again = server.client();
    QVERIFY(again->isConnected());
    QVERIFY(again->signIn(QStringLiteral("alice")));

    // The count goes to zero and the address leaves the table.
    alice->close();
    second->close();
    again->close();
    QTRY_COMPARE(server.server().connectionCount(), 0);
    QCOMPARE(server.server().gate().addressCount(), 0);
}

// TCP connections that never send their request would each hold a
// descriptor until the handshake deadline: past the cap of them per address,
// a new one is closed unread. A trusted proxy is not limited here.
void TestServerHandshakes::handshakesThatNeverFinishAreCappedToo()
{
    auto config = TestServer::defaultConfig();
    config.maxConnectionsPerAddress = 3;
    TestServer server(config);
    QVERIFY(server.start());
    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < 3; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(server.url().host(), quint16(server.url().port()));
        QVERIFY(silent.back()->waitForConnected(5000));
    }
    QTRY_COMPARE(server.server().gate().handshakingFrom(QStringLiteral("127.0.0.1")), 3);
    QTcpSocket fourth;
    fourth.connectToHost(server.url().host(), quint16(server.url().port()));
    QVERIFY(fourth.waitForConnected(5000));
    QVERIFY(closedByServer(fourth)); // nothing read, nothing answered
    QCOMPARE(server.server().gate().refused(confab::server::ConnectionGate::Refusal::Address), quint64(1));

    // One finishes its handshake: a place is free again.
    silent.front()->write("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_COMPARE(server.server().connectionCount(), 1);
    QCOMPARE(server.server().gate().handshakingFrom(QStringLiteral("127.0.0.1")), 2);
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    // A silent one that goes away frees its place too.
    silent.back()->abort();
    QTRY_COMPARE(server.server().gate().handshakingFrom(QStringLiteral("127.0.0.1")), 1);

    // Behind a trusted proxy every client arrives from the proxy's address.
    auto proxied = TestServer::defaultConfig();
    proxied.maxConnectionsPerAddress = 2;
    proxied.trustedProxies = {QHostAddress(QStringLiteral("127.0.0.1"))};
    TestServer behind(proxied);
    QVERIFY(behind.start());
    std::vector<std::unique_ptr<QTcpSocket>> pending;
    for (int i = 0; i < 5; ++i) {
        pending.push_back(std::make_unique<QTcpSocket>());
        pending.back()->connectToHost(behind.url().host(), quint16(behind.url().port()));
        QVERIFY(pending.back()->waitForConnected(5000));
    }
    // All five were kept: each finishes its handshake now, as a client of its own.
    for (int i = 0; i < 5; ++i)
        pending[size_t(i)]->write(
            "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            "X-Forwarded-For: 10.0.1." +
            QByteArray::number(i) + "\r\n\r\n");
    QTRY_COMPARE(behind.server().connectionCount(), 5);
    QCOMPARE(behind.server().gate().refused(confab::server::ConnectionGate::Refusal::Address), quint64(0));
}

void TestServerHandshakes::theForwardedAddressCountsBehindATrustedProxy()
{
    auto config = TestServer::defaultConfig();
    config.maxConnectionsPerAddress = 2;
    config.trustedProxies = {QHostAddress(QStringLiteral("127.0.0.1"))};
    TestServer server(config);
    QVERIFY(server.start());
    // Through the "balancer" (this process on 127.0.0.1), each client is its
    // forwarded address: two clients behind one proxy are not one client.
    QTcpSocket a1, a2, a3, b1;
    QCOMPARE(statusOf(handshake(a1, server.url(), "X-Forwarded-For: 10.0.0.1\r\n")),
             QByteArray("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(statusOf(handshake(a2, server.url(), "X-Forwarded-For: 10.0.0.1\r\n")),
             QByteArray("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(statusOf(handshake(a3, server.url(), "X-Forwarded-For: 10.0.0.1\r\n")),
             QByteArray("HTTP/1.1 429 Too Many Requests"));
    QCOMPARE(statusOf(handshake(b1, server.url(), "X-Forwarded-For: 10.0.0.2\r\n")),
             QByteArray("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(server.server().gate().openFrom(QStringLiteral("10.0.0.1")), 2);
    QCOMPARE(server.server().gate().openFrom(QStringLiteral("10.0.0.2")), 1);
    QCOMPARE(server.server().gate().openFrom(QStringLiteral("127.0.0.1")), 0);

    // Without the proxy trusted, the header proves nothing: the peer counts.
    auto direct = TestServer::defaultConfig();
    direct.maxConnectionsPerAddress = 2;
    TestServer plain(direct);
    QVERIFY(plain.start());
    QTcpSocket c1, c2, c3;
    QCOMPARE(statusOf(handshake(c1, plain.url(), "X-Forwarded-For: 10.0.0.1\r\n")),
             QByteArray("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(statusOf(handshake(c2, plain.url(), "X-Forwarded-For: 10.0.0.2\r\n")),
             QByteArray("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(statusOf(handshake(c3, plain.url(), "X-Forwarded-For: 10.0.0.3\r\n")),
             QByteArray("HTTP/1.1 429 Too Many Requests"));
}

void TestServerHandshakes::unauthenticatedConnectionsAreCapped()
{
    auto config = TestServer::defaultConfig();
    config.maxUnauthenticatedConnections = 2;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice")); // signed in: not counted
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    auto idle1 = server.client();
    auto idle2 = server.client();
    QVERIFY(idle1->isConnected() && idle2->isConnected());
    QCOMPARE(server.server().unauthenticatedCount(), 2);

    QTcpSocket refused;
    const QByteArray response = handshake(refused, server.url());
    QCOMPARE(statusOf(response), QByteArray("HTTP/1.1 503 Service Unavailable"));
    QVERIFY(response.contains("\r\nRetry-After: 10\r\n"));
    QVERIFY(closedByServer(refused));

    // Signing in frees a place; signing out takes one again.
    QVERIFY(idle1->signIn(QStringLiteral("alice")));
    QCOMPARE(server.server().unauthenticatedCount(), 1);
    auto carol = server.user(QStringLiteral("carol"));
    QVERIFY(carol);
    QCOMPARE(typeOf(bob->request(QStringLiteral("logout"))), QStringLiteral("ok"));
    QCOMPARE(server.server().unauthenticatedCount(), 2);
    QTcpSocket again;
    QCOMPARE(statusOf(handshake(again, server.url())), QByteArray("HTTP/1.1 503 Service Unavailable"));
    QCOMPARE(server.server().gate().refused(confab::server::ConnectionGate::Refusal::Unauthenticated),
             quint64(2));
    // A connection that closes unauthenticated leaves the waiting room.
    idle2->close();
    QTRY_COMPARE(server.server().unauthenticatedCount(), 1);
    QTcpSocket last;
    QCOMPARE(statusOf(handshake(last, server.url())), QByteArray("HTTP/1.1 101 Switching Protocols"));
}

void TestServerHandshakes::capsOfZeroAreOff()
{
    auto config = TestServer::defaultConfig();
    config.maxConnectionsPerAddress = 0;
    config.maxUnauthenticatedConnections = 0;
    TestServer server(config);
    QVERIFY(server.start());
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < 40; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        QCOMPARE(statusOf(handshake(*sockets.back(), server.url())),
                 QByteArray("HTTP/1.1 101 Switching Protocols"));
    }
    QTRY_COMPARE(server.server().connectionCount(), 40);
}

void TestServerHandshakes::settings()
{
    using confab::server::ServerConfig;
    auto defaults = ServerConfig::fromArguments({QStringLiteral("confab-server")}, {});
    QVERIFY(defaults);
    QVERIFY(defaults->allowedOrigins.isEmpty());
    QCOMPARE(defaults->maxConnectionsPerAddress, 256);
    QCOMPARE(defaults->maxUnauthenticatedConnections, 1000);
    QProcessEnvironment env;
    env.insert(QStringLiteral("CONFAB_MAX_UNAUTHENTICATED_CONNECTIONS"), QStringLiteral("0"));
    auto set =
        ServerConfig::fromArguments({QStringLiteral("confab-server"), QStringLiteral("--allowed-origins"),
                                     QStringLiteral("https://Chat.Example.com:443, http://10.0.0.5:8080"),
                                     QStringLiteral("--max-connections-per-address"), QStringLiteral("1000")},
                                    env);
    QVERIFY(set);
    QCOMPARE(set->allowedOrigins, (QStringList{QStringLiteral("https://chat.example.com"),
                                               QStringLiteral("http://10.0.0.5:8080")}));
    QCOMPARE(set->maxConnectionsPerAddress, 1000);
    QCOMPARE(set->maxUnauthenticatedConnections, 0);
    auto badOrigin =
        ServerConfig::fromArguments({QStringLiteral("confab-server"), QStringLiteral("--allowed-origins"),
                                     QStringLiteral("chat.example.com/app")},
                                    {});
    QVERIFY(!badOrigin);
    QCOMPARE(badOrigin.error().message,
             QStringLiteral("--allowed-origins must list origins such as https://chat.example.com: "
                            "chat.example.com/app"));
    auto negative =
        ServerConfig::fromArguments({QStringLiteral("confab-server"),
                                     QStringLiteral("--max-connections-per-address"), QStringLiteral("-1")},
                                    {});
    QVERIFY(!negative);
}

CONFAB_TEST_MAIN(TestServerHandshakes)
#include "tst_server_handshakes.moc"
