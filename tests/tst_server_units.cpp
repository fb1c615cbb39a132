// The server's small pieces on their own: token buckets, the membership map,
// sessions, the command line and --db URLs.
#include "room_registry.h"
#include "server_config.h"
#include "session_registry.h"
#include "store/database_url.h"
#include "token_bucket.h"

#include <QTest>

using namespace confab;
using namespace confab::server;

class TestServerUnits : public QObject {
    Q_OBJECT

private slots:
    void tokenBucketAllowsBurstThenRefills();
    void rateLimiterKeysAreIndependentAndPruned();
    void roomRegistryTracksMembershipBothWays();
    void sessionRegistryReportsFirstAndLast();
    void databaseUrls_data();
    void databaseUrls();
    void commandLine();
};

void TestServerUnits::tokenBucketAllowsBurstThenRefills()
{
    TokenBucket bucket(2.0, 3, 0); // 2 per second, burst 3
    QCOMPARE(bucket.take(0), 0);
    QCOMPARE(bucket.take(0), 0);
    QCOMPARE(bucket.take(0), 0);
    QCOMPARE(bucket.take(0), 500); // one token takes 500 ms at 2/s
    QCOMPARE(bucket.take(250), 250);
    QCOMPARE(bucket.take(500), 0);
    QCOMPARE(bucket.take(500), 500);
    QVERIFY(!bucket.isFull(1000));
    QVERIFY(bucket.isFull(2000));
}

void TestServerUnits::rateLimiterKeysAreIndependentAndPruned()
{
    RateLimiter limiter(1.0, 1);
    QCOMPARE(limiter.take(QStringLiteral("a"), 0), 0);
    QCOMPARE(limiter.take(QStringLiteral("a"), 0), 1000);
    QCOMPARE(limiter.take(QStringLiteral("b"), 0), 0);
    QCOMPARE(limiter.msUntilAvailable(QStringLiteral("never-seen"), 0), 0);
    limiter.consume(QStringLiteral("c"), 0);
    QCOMPARE(limiter.msUntilAvailable(QStringLiteral("c"), 0), 1000);
    QCOMPARE(limiter.size(), 3);
    limiter.prune(10'000);
    QCOMPARE(limiter.size(), 0);
}

void TestServerUnits::roomRegistryTracksMembershipBothWays()
{
    RoomRegistry rooms;
    rooms.load({{10, RoomType::Group, {1, 2, 3}}, {11, RoomType::Dm, {1, 4}}, {12, RoomType::Group, {5}}});
    QVERIFY(rooms.isMember(10, 2));
    QVERIFY(!rooms.isMember(10, 4));
    QVERIFY(!rooms.isMember(99, 1));
    QCOMPARE(rooms.type(11), std::optional<RoomType>(RoomType::Dm));
    QCOMPARE(rooms.type(99), std::nullopt);
    QCOMPARE(rooms.contactsOf(1), (QSet<Id>{2, 3, 4}));
    rooms.removeMember(10, 2);
    QVERIFY(!rooms.isMember(10, 2));
    QCOMPARE(rooms.roomsOf(2), QList<Id>());
    QCOMPARE(rooms.contactsOf(1), (QSet<Id>{3, 4}));
    rooms.setRoom(10, RoomType::Group, {1, 6});
    QCOMPARE(rooms.contactsOf(3), QSet<Id>());
    QCOMPARE(rooms.contactsOf(6), QSet<Id>{1});
}

void TestServerUnits::sessionRegistryReportsFirstAndLast()
{
    SessionRegistry sessions;
    auto* a = reinterpret_cast<Connection*>(quintptr(0x10));
    auto* b = reinterpret_cast<Connection*>(quintptr(0x20));
    QVERIFY(sessions.attach(7, a));
    QVERIFY(!sessions.attach(7, b));
    QVERIFY(!sessions.attach(7, b)); // idempotent
    QCOMPARE(sessions.connectionsOf(7).size(), 2);
    QVERIFY(!sessions.detach(7, a));
    QVERIFY(sessions.isOnline(7));
    QVERIFY(sessions.detach(7, b));
    QVERIFY(!sessions.isOnline(7));
    QVERIFY(!sessions.detach(7, b));
}

void TestServerUnits::databaseUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("detail");
    QTest::newRow("sqlite abs") << QStringLiteral("sqlite:/var/lib/confab/c.db") << true << 0
                                << QStringLiteral("/var/lib/confab/c.db");
    QTest::newRow("sqlite rel") << QStringLiteral("sqlite:data/c.db") << true << 0
                                << QStringLiteral("data/c.db");
    QTest::newRow("sqlite triple") << QStringLiteral("sqlite:///tmp/c.db") << true << 0
                                   << QStringLiteral("/tmp/c.db");
    QTest::newRow("postgresql") << QStringLiteral("postgresql://u:p%40ss@db.local:5433/chat") << true << 1
                                << QStringLiteral("u|p@ss|db.local|5433|chat");
    QTest::newRow("postgres default port")
        << QStringLiteral("postgres://u@h/chat") << true << 1 << QStringLiteral("u||h|5432|chat");
    QTest::newRow("empty sqlite") << QStringLiteral("sqlite:") << false << 0 << QString();
    QTest::newRow("mysql") << QStringLiteral("mysql://u@h/db") << false << 0 << QString();
    QTest::newRow("garbage") << QStringLiteral("confab.db") << false << 0 << QString();
}

void TestServerUnits::databaseUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    QFETCH(QString, detail);
    const auto parsed = DatabaseUrl::parse(url);
    QCOMPARE(parsed.ok(), ok);
    if (!ok) {
        QVERIFY(!parsed.error().message.isEmpty());
        return;
    }
    QCOMPARE(int(parsed->kind), kind);
    if (parsed->kind == DatabaseUrl::Kind::Sqlite)
        QCOMPARE(parsed->sqlitePath, detail);
    else
        QCOMPARE(QStringList({parsed->user, parsed->password, parsed->host, QString::number(parsed->port),
                              parsed->databaseName})
                     .join(QLatin1Char('|')),
                 detail);
}

void TestServerUnits::commandLine()
{
    auto c = ServerConfig::fromArguments(
        {QStringLiteral("confab-server"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
         QStringLiteral("--port"), QStringLiteral("9000"), QStringLiteral("--db"),
         QStringLiteral("sqlite:/tmp/x.db"), QStringLiteral("--send-rate"), QStringLiteral("5")});
    QVERIFY(c.ok());
    QCOMPARE(c->host, QHostAddress(QStringLiteral("0.0.0.0")));
    QCOMPARE(c->port, quint16(9000));
    QCOMPARE(c->databaseUrl, QStringLiteral("sqlite:/tmp/x.db"));
    QCOMPARE(c->sendRatePerSecond, 5.0);
    auto defaults = ServerConfig::fromArguments({QStringLiteral("confab-server")});
    QVERIFY(defaults.ok());
    QCOMPARE(defaults->port, quint16(7860));
    QCOMPARE(defaults->host, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(defaults->databaseUrl.startsWith(QLatin1String("sqlite:")));
    QVERIFY(defaults->databaseUrl.endsWith(QLatin1String("/confab/confab.db")));
    QVERIFY(!ServerConfig::fromArguments(
                 {QStringLiteral("confab-server"), QStringLiteral("--port"), QStringLiteral("x")})
                 .ok());
    QVERIFY(!ServerConfig::fromArguments(
                 {QStringLiteral("confab-server"), QStringLiteral("--host"), QStringLiteral("nohost")})
                 .ok());
    auto help = ServerConfig::fromArguments({QStringLiteral("confab-server"), QStringLiteral("--help")});
    QVERIFY(help.ok());
    QVERIFY(help->exitText.contains(QLatin1String("--db")));
}

QTEST_MAIN(TestServerUnits)
#include "tst_server_units.moc"
