// Behind a load balancer every peer address is the balancer's. With
// --trusted-proxy the client address comes from X-Forwarded-For, so the
// failed-login limit per address applies per client; without it the header
// is ignored (anyone could send one). On both backends (tst_server_proxy_pg).
#include "test_client.h"
#include "test_server.h"

#include <QNetworkRequest>
#include <QTest>

using namespace confab::test;

namespace {

std::unique_ptr<TestClient> viaProxy(const TestServer& server, const QByteArray& forwardedFor)
{
    QNetworkRequest request(server.url());
    request.setRawHeader("X-Forwarded-For", forwardedFor);
    auto client = std::make_unique<TestClient>();
    if (!client->open(request))
        return nullptr;
    return client;
}

QString failLogin(TestClient& client, const QString& username)
{
    return errorCodeOf(
        client.request(QStringLiteral("login"), {{QStringLiteral("username"), username},
                                                 {QStringLiteral("password"), QStringLiteral("wrong")}}));
}

confab::server::ServerConfig strictPerAddress()
{
    auto config = TestServer::defaultConfig();
    config.failedLoginAddressBurst = 3;
    config.failedLoginAddressRatePerSecond = 0.001;
    return config;
}

} // namespace

class TestServerProxy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void anotherClientBehindTheBalancer_data();
    void anotherClientBehindTheBalancer();
    void spoofedHopsLeftOfTheProxyProveNothing();
};

void TestServerProxy::anotherClientBehindTheBalancer_data()
{
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<QString>("expected");
    // Trusted: the clients are told apart, the second is not punished.
    QTest::newRow("trusted proxy") << true << QStringLiteral("invalid_credentials");
    // Untrusted: both are 127.0.0.1 to the server; a made-up header changes nothing.
    QTest::newRow("untrusted peer") << false << QStringLiteral("rate_limited");
}

void TestServerProxy::anotherClientBehindTheBalancer()
{
    QFETCH(bool, trusted);
    QFETCH(QString, expected);
    auto config = strictPerAddress();
    if (trusted)
        config.trustedProxies = {QHostAddress(QStringLiteral("127.0.0.1"))};
    TestServer server(config);
    QVERIFY(server.start());
    auto first = viaProxy(server, "10.0.0.1");
    auto second = viaProxy(server, "10.0.0.2");
    QVERIFY(first && second);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(failLogin(*first, QStringLiteral("user%1").arg(i)), QStringLiteral("invalid_credentials"));
    QCOMPARE(failLogin(*first, QStringLiteral("user9")), QStringLiteral("rate_limited"));
    QCOMPARE(failLogin(*second, QStringLiteral("user9")), expected);
}

void TestServerProxy::spoofedHopsLeftOfTheProxyProveNothing()
{
    auto config = strictPerAddress();
    config.trustedProxies = {QHostAddress(QStringLiteral("127.0.0.1"))};
    TestServer server(config);
    QVERIFY(server.start());
    // The client sent its own "X-Forwarded-For: 10.9.9.x"; the balancer
    // appended the address it saw (10.0.0.1). Only that one counts.
    for (int i = 0; i < 3; ++i) {
        auto client = viaProxy(server, QByteArray("10.9.9.") + QByteArray::number(i) + ", 10.0.0.1");
        QVERIFY(client);
        QCOMPARE(failLogin(*client, QStringLiteral("user%1").arg(i)), QStringLiteral("invalid_credentials"));
    }
    auto again = viaProxy(server, "10.9.9.200, 10.0.0.1");
    QVERIFY(again);
    QCOMPARE(failLogin(*again, QStringLiteral("user9")), QStringLiteral("rate_limited"));
}

CONFAB_TEST_GUILESS_MAIN(TestServerProxy)
#include "tst_server_proxy.moc"
