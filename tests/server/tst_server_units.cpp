// The server's small pieces on their own: token buckets, the membership map,
// sessions, the command line and --db URLs.
#include "base/logging.h"
#include "base/memory_release.h"
#include "base/token_bucket.h"
#include "room_registry.h"
#include "server_config.h"
#include "session_registry.h"
#include "store/database_url.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <memory>
#include <vector>

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
    void configFileAndEnvironment();
    void configFileErrorsNameTheirSource();
    void shippedConfigFileIsValid();
    void registrationAndPageSizeSettings();
    void logLinesAreOneLineEach();
    void memoryIsReleasedOnlyAfterABacklogDrained();
    void releasingFreeMemoryShrinksTheHeap();
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

namespace {
QString writeFile(const QTemporaryDir& dir, const QByteArray& text)
{
    const QString path = dir.filePath(QStringLiteral("confab.ini"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}
} // namespace

void TestServerUnits::configFileAndEnvironment()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, "; a comment\n"
                                        "port = 9100\n"
                                        "send-rate = 3\n"
                                        "trusted-proxy = 10.0.0.1, 10.0.0.2\n"
                                        "[server]\n"
                                        "max-frame-bytes = 65536\n"
                                        "host = 0.0.0.0\n");
    QVERIFY(!path.isEmpty());
    QProcessEnvironment env;
    env.insert(QStringLiteral("CONFAB_SEND_RATE"), QStringLiteral("4"));
    env.insert(QStringLiteral("CONFAB_HASH_THREADS"), QStringLiteral("3"));
    env.insert(QStringLiteral("CONFAB_SERVER_BIN"), QStringLiteral("/not/an/option")); // ignored
    auto c = ServerConfig::fromArguments({QStringLiteral("confab-server"), QStringLiteral("--config"), path,
                                          QStringLiteral("--hash-threads"), QStringLiteral("5")},
                                         env);
    QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
    QCOMPARE(c->port, quint16(9100));          // file
    QCOMPARE(c->maxFrameBytes, qint64(65536)); // file, [server] section
    QCOMPARE(c->host, QHostAddress(QStringLiteral("0.0.0.0")));
    QCOMPARE(c->sendRatePerSecond, 4.0);   // environment over file
    QCOMPARE(c->hashThreads, 5);           // command line over environment
    QCOMPARE(c->trustedProxies.size(), 2); // a comma list survives QSettings
    QCOMPARE(c->trustedProxies[1], QHostAddress(QStringLiteral("10.0.0.2")));

    // The file's path itself may come from the environment.
    QProcessEnvironment viaEnv;
    viaEnv.insert(QStringLiteral("CONFAB_CONFIG"), path);
    auto fromEnv = ServerConfig::fromArguments({QStringLiteral("confab-server")}, viaEnv);
    QVERIFY(fromEnv.ok());
    QCOMPARE(fromEnv->port, quint16(9100));
}

void TestServerUnits::configFileErrorsNameTheirSource()
{
    QTemporaryDir dir;
    const QStringList args{QStringLiteral("confab-server"), QStringLiteral("--config")};
    auto unknown = ServerConfig::fromArguments(args + QStringList{writeFile(dir, "prot = 1\n")}, {});
    QVERIFY(!unknown.ok());
    QVERIFY2(unknown.error().message.contains(QLatin1String("unknown setting \"prot\"")),
             qPrintable(unknown.error().message));
    auto bad = ServerConfig::fromArguments(args + QStringList{writeFile(dir, "port = seventy\n")}, {});
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message.startsWith(QLatin1String("port (in ")), qPrintable(bad.error().message));
    auto missing =
        ServerConfig::fromArguments(args + QStringList{dir.filePath(QStringLiteral("none.ini"))}, {});
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(QLatin1String("cannot read the config file")));
    QProcessEnvironment env;
    env.insert(QStringLiteral("CONFAB_PORT"), QStringLiteral("99999"));
    auto badEnv = ServerConfig::fromArguments({QStringLiteral("confab-server")}, env);
    QVERIFY(!badEnv.ok());
    QVERIFY2(badEnv.error().message.startsWith(QLatin1String("CONFAB_PORT must be")),
             qPrintable(badEnv.error().message));
}

void TestServerUnits::shippedConfigFileIsValid()
{
    // resources/confab-server.ini documents every setting (commented out):
    // it must load, and uncommenting every line must load too.
    QFile shipped(QStringLiteral(CONFAB_SOURCE_DIR "/resources/confab-server.ini"));
    QVERIFY(shipped.open(QIODevice::ReadOnly));
    const QByteArray text = shipped.readAll();
    QTemporaryDir dir;
    const QStringList args{QStringLiteral("confab-server"), QStringLiteral("--config")};
    auto asShipped = ServerConfig::fromArguments(args + QStringList{writeFile(dir, text)}, {});
    QVERIFY2(asShipped.ok(), asShipped.ok() ? "" : qPrintable(asShipped.error().message));
    QCOMPARE(asShipped->port, quint16(7860));

    QByteArray uncommented;
    int settings = 0;
    for (const QByteArray& line : text.split('\n')) {
        if (line.startsWith(";") && line.contains(" = ") && !line.startsWith("; ")) {
            uncommented += line.mid(1) + '\n';
            ++settings;
        } else {
            uncommented += line + '\n';
        }
    }
    auto all = ServerConfig::fromArguments(args + QStringList{writeFile(dir, uncommented)}, {});
    QVERIFY2(all.ok(), all.ok() ? "" : qPrintable(all.error().message));
    auto help = ServerConfig::fromArguments({QStringLiteral("confab-server"), QStringLiteral("--help")});
    QCOMPARE(settings, int(help->exitText.count(QLatin1String("\n  --"))) - 3); // not config, help, version
}

void TestServerUnits::registrationAndPageSizeSettings()
{
    auto defaults = ServerConfig::fromArguments({QStringLiteral("confab-server")}, {});
    QVERIFY(defaults.ok());
    QCOMPARE(defaults->registration, ServerConfig::Registration::Open);
    QCOMPARE(defaults->historyPageSize, 100);
    QProcessEnvironment env;
    env.insert(QStringLiteral("CONFAB_REGISTRATION"), QStringLiteral("invite"));
    auto set = ServerConfig::fromArguments(
        {QStringLiteral("confab-server"), QStringLiteral("--history-page-size"), QStringLiteral("500")}, env);
    QVERIFY(set.ok());
    QCOMPARE(set->registration, ServerConfig::Registration::Invite);
    QCOMPARE(set->historyPageSize, 500);
    auto closed = ServerConfig::fromArguments(
        {QStringLiteral("confab-server"), QStringLiteral("--registration"), QStringLiteral("closed")}, {});
    QVERIFY(closed.ok());
    QCOMPARE(closed->registration, ServerConfig::Registration::Closed);
    auto badMode = ServerConfig::fromArguments(
        {QStringLiteral("confab-server"), QStringLiteral("--registration"), QStringLiteral("ajar")}, {});
    QVERIFY(!badMode.ok());
    QCOMPARE(badMode.error().message, QStringLiteral("--registration must be open, closed or invite"));
    auto badSize = ServerConfig::fromArguments(
        {QStringLiteral("confab-server"), QStringLiteral("--history-page-size"), QStringLiteral("0")}, {});
    QVERIFY(!badSize.ok());
    QCOMPARE(badSize.error().message, QStringLiteral("--history-page-size must be a number from 1 to 1000"));
}

void TestServerUnits::logLinesAreOneLineEach()
{
    const QString message = QStringLiteral("two\nlines and a \\ and \"quotes\" 会议");
    const QByteArray text = formatLogLine(LogFormat::Text, QtWarningMsg, "confab.server", message);
    QVERIFY(!text.contains('\n'));
    QVERIFY2(text.endsWith(" warning confab.server: two\\nlines and a \\\\ and \"quotes\" 会议"),
             text.constData());
    QVERIFY(
        QDateTime::fromString(QString::fromUtf8(text.left(text.indexOf(' '))), Qt::ISODateWithMs).isValid());

    const QByteArray json = formatLogLine(LogFormat::Json, QtInfoMsg, "confab.server.auth", message);
    QVERIFY(!json.contains('\n'));
    const QJsonObject event = QJsonDocument::fromJson(json).object();
    QCOMPARE(event.value(QLatin1String("msg")).toString(), message);
    QCOMPARE(event.value(QLatin1String("level")).toString(), QStringLiteral("info"));
    QCOMPARE(event.value(QLatin1String("category")).toString(), QStringLiteral("confab.server.auth"));
}

void TestServerUnits::memoryIsReleasedOnlyAfterABacklogDrained()
{
    BacklogMemoryRelease release({/*backlog*/ 1'000, /*drained*/ 10, /*minIntervalMs*/ 60'000});
    // Everyday queues never release: nothing to give back.
    for (qint64 t = 0; t < 5; ++t)
        QVERIFY(!release.observe(t * 100, t * 1'000));
    QVERIFY(!release.observe(0, 6'000));
    // A backlog: nothing while it lasts or drains, once when it has drained.
    QVERIFY(!release.observe(40'000, 7'000));
    QVERIFY(!release.observe(900, 8'000));
    qint64 peak = 0;
    QVERIFY(release.observe(3, 9'000, &peak));
    QCOMPARE(peak, qint64(40'000));
    QVERIFY(!release.observe(0, 10'000)); // once
    // Another backlog within the minute waits for the minute, then releases.
    QVERIFY(!release.observe(5'000, 20'000));
    QVERIFY(!release.observe(0, 30'000));
    QVERIFY(!release.observe(0, 68'999));
    QVERIFY(release.observe(0, 69'000, &peak));
    QCOMPARE(peak, qint64(5'000));
}

void TestServerUnits::releasingFreeMemoryShrinksTheHeap()
{
#if !defined(__GLIBC__)
    QSKIP("malloc_trim is glibc's");
#else
    // The soak's pattern: a burst of small blocks, of which a few outlive it
    // (one in 64 here, the last among them), so the freed space lies in
    // holes below live blocks and there is no free top to trim.
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 64 * 1024; ++i) {
        blocks.emplace_back(new char[1'000]);
        std::memset(blocks.back().get(), 1, 1'000); // resident
    }
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (i % 64 != 63)
            blocks[i].reset();
    }
    const auto residentKiB = [] {
        QFile status(QStringLiteral("/proc/self/status"));
        if (!status.open(QIODevice::ReadOnly))
            return qint64(-1);
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("RssAnon:"))
                return line.mid(8).trimmed().split(' ').value(0).toLongLong();
        }
        return qint64(-1);
    };
    const qint64 before = residentKiB();
    if (before < 0)
        QSKIP("no /proc/self/status");
    QVERIFY(releaseFreeMemory());
    const qint64 after = residentKiB();
    // 63 MB were freed in 63 KB holes; most of their pages go back.
    QVERIFY2(before - after > 32 * 1024,
             qPrintable(QStringLiteral("RssAnon %1 -> %2 KiB").arg(before).arg(after)));
#endif
}

QTEST_MAIN(TestServerUnits)
#include "tst_server_units.moc"
