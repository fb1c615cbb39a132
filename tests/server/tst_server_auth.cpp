// Authentication against a real server: register, login, auth (frame and
// handshake), logout, ping, the authentication deadline and login throttling.
#include "test_server.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace confab::test;

class TestServerAuth : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void pingBeforeAuthenticationEchoesId();
    void everyOtherEventNeedsAuthentication();
    void registerReturnsTokenAndUser();
    void registerRejectsTakenAndInvalidNames();
    void loginAndWrongPasswordAreIndistinguishable();
    void authWithTokenOnAnotherConnection();
    void handshakeTokenBearerAndQuery();
    void logoutRevokesTokenEverywhere();
    void failedLoginsAreRateLimited();
    void failedLoginsAreRateLimitedPerAddress();
    void unauthenticatedConnectionIsClosedAfterDeadline();
    void expiredTokenIsRefused();
    void passwordsAndTokensAreStoredHashed();
    void reauthenticationSwitchesIdentity();
};

void TestServerAuth::pingBeforeAuthenticationEchoesId()
{
    TestServer server;
    QVERIFY(server.start());
    auto c = server.client();
    const QJsonObject pong = c->request(QStringLiteral("ping"));
    QCOMPARE(typeOf(pong), QStringLiteral("pong"));
    QCOMPARE(payloadOf(pong), QJsonObject());
    // A numeric id comes back as a number.
    c->sendRaw(QStringLiteral(R"({"type":"ping","id":42,"payload":{}})"));
    QVERIFY(QTest::qWaitFor([&] { return c->inboxSize() > 0; }, 5000));
    const QJsonObject numeric = c->takeAll(QStringLiteral("pong")).value(0);
    QCOMPARE(numeric.value(QLatin1String("id")).toDouble(), 42.0);
}

void TestServerAuth::everyOtherEventNeedsAuthentication()
{
    TestServer server;
    QVERIFY(server.start());
    auto c = server.client();
    const QStringList types = {
        QStringLiteral("logout"),         QStringLiteral("create_room"),    QStringLiteral("open_dm"),
        QStringLiteral("list_rooms"),     QStringLiteral("join_room"),      QStringLiteral("leave_room"),
        QStringLiteral("send_message"),   QStringLiteral("fetch_messages"), QStringLiteral("mark_read"),
        QStringLiteral("list_mentions"),  QStringLiteral("typing"),         QStringLiteral("search_users"),
        QStringLiteral("search_messages")};
    for (const QString& type : types) {
        const QJsonObject reply = c->request(type, {{QStringLiteral("roomId"), 1}});
        QVERIFY2(errorCodeOf(reply) == QLatin1String("unauthenticated"), qPrintable(type));
    }
    QVERIFY(c->isConnected());
}

void TestServerAuth::registerReturnsTokenAndUser()
{
    TestServer server;
    QVERIFY(server.start());
    auto c = server.client();
    const QJsonObject reply = c->request(QStringLiteral("register"),
                                         {{QStringLiteral("username"), QStringLiteral("alice")},
                                          {QStringLiteral("password"), QStringLiteral("s3cret pass")},
                                          {QStringLiteral("displayName"), QStringLiteral("Alice Liddell")}});
    QCOMPARE(typeOf(reply), QStringLiteral("auth_ok"));
    const QJsonObject p = payloadOf(reply);
    QCOMPARE(p.value(QLatin1String("token")).toString().size(), 43); // 256 bits, base64url
    const QJsonObject user = p.value(QLatin1String("user")).toObject();
    QVERIFY(idOf(user.value(QLatin1String("id"))) > 0);
    QCOMPARE(user.value(QLatin1String("username")).toString(), QStringLiteral("alice"));
    QCOMPARE(user.value(QLatin1String("displayName")).toString(), QStringLiteral("Alice Liddell"));
    QCOMPARE(user.value(QLatin1String("online")).toBool(), true);
    QVERIFY(user.value(QLatin1String("lastSeenAt")).toDouble() > 1.7e12);
    // The connection is signed in now.
    QCOMPARE(typeOf(c->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));

    // displayName defaults to the username; Chinese names are letters.
    auto zh = server.client();
    const QJsonObject zhReply =
        zh->request(QStringLiteral("register"), {{QStringLiteral("username"), QStringLiteral("张三")},
                                                 {QStringLiteral("password"), QStringLiteral("pw")}});
    QCOMPARE(typeOf(zhReply), QStringLiteral("auth_ok"));
    QCOMPARE(payloadOf(zhReply)
                 .value(QLatin1String("user"))
                 .toObject()
                 .value(QLatin1String("displayName"))
                 .toString(),
             QStringLiteral("张三"));
}

void TestServerAuth::registerRejectsTakenAndInvalidNames()
{
    TestServer server;
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("alice")));
    auto c = server.client();
    auto reg = [&](const QJsonObject& payload) {
        return errorCodeOf(c->request(QStringLiteral("register"), payload));
    };
    QCOMPARE(reg({{QStringLiteral("username"), QStringLiteral("ALICE")},
                  {QStringLiteral("password"), QStringLiteral("x")}}),
             QStringLiteral("conflict"));
    QCOMPARE(reg({{QStringLiteral("username"), QStringLiteral("bad name")},
                  {QStringLiteral("password"), QStringLiteral("x")}}),
             QStringLiteral("bad_request"));
    QCOMPARE(reg({{QStringLiteral("username"), QString(33, QLatin1Char('a'))},
                  {QStringLiteral("password"), QStringLiteral("x")}}),
             QStringLiteral("bad_request"));
    QCOMPARE(
        reg({{QStringLiteral("username"), QStringLiteral("bob")}, {QStringLiteral("password"), QString()}}),
        QStringLiteral("bad_request"));
    QCOMPARE(reg({{QStringLiteral("username"), QStringLiteral("bob")}}), QStringLiteral("bad_request"));
    QCOMPARE(reg({{QStringLiteral("username"), 7}, {QStringLiteral("password"), QStringLiteral("x")}}),
             QStringLiteral("bad_request"));
    // Nothing was half-created: bob can still register.
    QCOMPARE(
        typeOf(c->request(QStringLiteral("register"), {{QStringLiteral("username"), QStringLiteral("bob")},
                                                       {QStringLiteral("password"), QStringLiteral("x")}})),
        QStringLiteral("auth_ok"));
}

void TestServerAuth::loginAndWrongPasswordAreIndistinguishable()
{
    TestServer server;
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("alice")));
    auto c = server.client();
    QVERIFY(c->signIn(QStringLiteral("Alice"))); // case-insensitive username
    auto wrong = c->request(QStringLiteral("login"), {{QStringLiteral("username"), QStringLiteral("alice")},
                                                      {QStringLiteral("password"), QStringLiteral("nope")}});
    auto unknown =
        c->request(QStringLiteral("login"), {{QStringLiteral("username"), QStringLiteral("nobody")},
                                             {QStringLiteral("password"), QStringLiteral("nope")}});
    QCOMPARE(errorCodeOf(wrong), QStringLiteral("invalid_credentials"));
    QCOMPARE(errorCodeOf(unknown), QStringLiteral("invalid_credentials"));
    QCOMPARE(payloadOf(wrong).value(QLatin1String("message")),
             payloadOf(unknown).value(QLatin1String("message")));
}

void TestServerAuth::authWithTokenOnAnotherConnection()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    auto second = server.client();
    const QJsonObject ok = second->request(QStringLiteral("auth"), {{QStringLiteral("token"), alice->token}});
    QCOMPARE(typeOf(ok), QStringLiteral("auth_ok"));
    QCOMPARE(payloadOf(ok).value(QLatin1String("token")).toString(), alice->token);
    QCOMPARE(idOf(payloadOf(ok).value(QLatin1String("user")).toObject().value(QLatin1String("id"))),
             alice->userId);
    auto third = server.client();
    QCOMPARE(errorCodeOf(third->request(QStringLiteral("auth"),
                                        {{QStringLiteral("token"), QStringLiteral("forged")}})),
             QStringLiteral("invalid_credentials"));
    QCOMPARE(errorCodeOf(third->request(QStringLiteral("auth"), {{QStringLiteral("token"), 12}})),
             QStringLiteral("bad_request"));
}

void TestServerAuth::handshakeTokenBearerAndQuery()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);

    QNetworkRequest bearer(server.url());
    bearer.setRawHeader("Authorization", "Bearer " + alice->token.toUtf8());
    TestClient viaHeader;
    QVERIFY(viaHeader.open(bearer));
    const QJsonObject pushed = viaHeader.waitFor(QStringLiteral("auth_ok"));
    QCOMPARE(idOf(payloadOf(pushed).value(QLatin1String("user")).toObject().value(QLatin1String("id"))),
             alice->userId);
    QCOMPARE(typeOf(viaHeader.request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));

    QUrl withQuery = server.url();
    withQuery.setQuery(QStringLiteral("token=") + alice->token);
    TestClient viaQuery;
    QVERIFY(viaQuery.open(withQuery));
    QVERIFY(!viaQuery.waitFor(QStringLiteral("auth_ok")).isEmpty());

    QUrl forged = server.url();
    forged.setQuery(QStringLiteral("token=forged"));
    TestClient bad;
    QVERIFY(bad.open(forged));
    const QJsonObject refused = bad.waitFor(QStringLiteral("error"));
    QCOMPARE(errorCodeOf(refused), QStringLiteral("invalid_credentials"));
    QCOMPARE(typeOf(bad.request(QStringLiteral("ping"))), QStringLiteral("pong")); // still open
    QVERIFY(bad.signIn(QStringLiteral("alice")));
}

void TestServerAuth::logoutRevokesTokenEverywhere()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    auto sameToken = server.secondConnection(*alice);
    QVERIFY(sameToken);
    auto otherLogin = server.client();
    QVERIFY(otherLogin->signIn(QStringLiteral("alice")));

    QCOMPARE(typeOf(alice->request(QStringLiteral("logout"))), QStringLiteral("ok"));
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("list_rooms"))), QStringLiteral("unauthenticated"));
    QVERIFY(QTest::qWaitFor([&] { return sameToken->wasDisconnected(); }, 5000));
    QCOMPARE(sameToken->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    // A session from another login is untouched.
    QCOMPARE(typeOf(otherLogin->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
    auto later = server.client();
    QCOMPARE(errorCodeOf(later->request(QStringLiteral("auth"), {{QStringLiteral("token"), alice->token}})),
             QStringLiteral("invalid_credentials"));
}

void TestServerAuth::failedLoginsAreRateLimited()
{
    auto config = TestServer::defaultConfig();
    config.failedLoginBurst = 3;
    config.failedLoginRatePerSecond = 0.01;
    TestServer server(config);
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("alice")));
    auto c = server.client();
    const QJsonObject wrong{{QStringLiteral("username"), QStringLiteral("alice")},
                            {QStringLiteral("password"), QStringLiteral("guess")}};
    for (int i = 0; i < 3; ++i)
        QCOMPARE(errorCodeOf(c->request(QStringLiteral("login"), wrong)),
                 QStringLiteral("invalid_credentials"));
    const QJsonObject limited = c->request(QStringLiteral("login"), wrong);
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
    // Even the right password waits: guessing must not continue.
    QCOMPARE(errorCodeOf(c->request(QStringLiteral("login"),
                                    {{QStringLiteral("username"), QStringLiteral("alice")},
                                     {QStringLiteral("password"), QStringLiteral("correct horse")}})),
             QStringLiteral("rate_limited"));
    QVERIFY(c->isConnected());
}

void TestServerAuth::failedLoginsAreRateLimitedPerAddress()
{
    auto config = TestServer::defaultConfig();
    config.failedLoginAddressBurst = 4;
    config.failedLoginAddressRatePerSecond = 0.01;
    TestServer server(config);
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("alice")));
    auto c = server.client();
    // A different username each time: only the address bucket can stop it.
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(errorCodeOf(c->request(QStringLiteral("login"),
                                        {{QStringLiteral("username"), QStringLiteral("user%1").arg(i)},
                                         {QStringLiteral("password"), QStringLiteral("guess")}})),
                 QStringLiteral("invalid_credentials"));
    }
    const QJsonObject limited =
        c->request(QStringLiteral("login"), {{QStringLiteral("username"), QStringLiteral("alice")},
                                             {QStringLiteral("password"), QStringLiteral("correct horse")}});
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
}

void TestServerAuth::unauthenticatedConnectionIsClosedAfterDeadline()
{
    auto config = TestServer::defaultConfig();
    // Long enough for alice's registration (a password hash) on a loaded
    // machine: she must be signed in before the deadline.
    config.authTimeoutMs = 1500;
    TestServer server(config);
    QVERIFY(server.start());
    auto idle = server.client();
    auto signedIn = server.user(QStringLiteral("alice"));
    QVERIFY(signedIn);
    QVERIFY(QTest::qWaitFor([&] { return idle->wasDisconnected(); }, 5000));
    QCOMPARE(idle->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QCOMPARE(errorCodeOf(idle->takeAll(QStringLiteral("error")).value(0)), QStringLiteral("unauthenticated"));
    QTest::qWait(1600);
    QVERIFY(signedIn->isConnected());
    QCOMPARE(typeOf(signedIn->request(QStringLiteral("ping"))), QStringLiteral("pong"));
}

void TestServerAuth::expiredTokenIsRefused()
{
    auto config = TestServer::defaultConfig();
    config.tokenLifetimeMs = 200;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    QTest::qWait(300);
    auto c = server.client();
    QCOMPARE(errorCodeOf(c->request(QStringLiteral("auth"), {{QStringLiteral("token"), alice->token}})),
             QStringLiteral("invalid_credentials"));
}

void TestServerAuth::passwordsAndTokensAreStoredHashed()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    server.stop();
    {
        QSqlDatabase db = openTestDatabase(server.databaseUrl(), QStringLiteral("inspect"));
        QVERIFY(db.isOpen());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT password_hash FROM users")));
        QVERIFY(q.next());
        const QString hash = q.value(0).toString();
        QVERIFY2(hash.startsWith(QLatin1String("$argon2id$")), qPrintable(hash));
        QVERIFY2(hash.contains(QLatin1String("m=19456,t=2")), qPrintable(hash)); // OWASP: 19 MiB, t=2
        QVERIFY(!hash.contains(QLatin1String("correct horse")));
        QVERIFY(q.exec(QStringLiteral("SELECT token_hash FROM tokens")));
        QVERIFY(q.next());
        const QByteArray stored = q.value(0).toByteArray();
        QCOMPARE(stored.size(), 32); // SHA-256, never the token itself
        QVERIFY(!stored.contains(alice->token.toUtf8()));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inspect"));
}

void TestServerAuth::reauthenticationSwitchesIdentity()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 dm = openDm(*alice, bob->userId);
    QVERIFY(dm > 0);
    auto c = server.client();
    QVERIFY(c->signIn(QStringLiteral("alice")));
    QVERIFY(c->signIn(QStringLiteral("bob")));
    QCOMPARE(c->userId, bob->userId);
    // Bob is also in the DM; the switched connection now receives bob's events.
    QVERIFY(sendMessage(*alice, dm, QStringLiteral("hi bob")) > 0);
    const QJsonObject got = c->waitFor(QStringLiteral("message"));
    QCOMPARE(
        payloadOf(got).value(QLatin1String("message")).toObject().value(QLatin1String("content")).toString(),
        QStringLiteral("hi bob"));
}

CONFAB_TEST_MAIN(TestServerAuth)
#include "tst_server_auth.moc"
