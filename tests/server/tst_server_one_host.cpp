// Issue 12, item 13: several confab-server processes on one host with the
// command docs/deploy.md (2.5) shows, default options otherwise. The default
// ops port (7861) can only be one server's: the others warn and serve chat
// without it; an ops port asked for that is taken stays an error. On
// PostgreSQL the servers share the database as one cluster; a SQLite database
// is one server's, and a second server on the same file refuses to start.
#include "scratch_postgres.h"
#include "server_process.h"
#include "test_server.h"

#include <QTcpServer>
#include <QTest>

using namespace confab::test;

namespace {

constexpr quint16 kDefaultOpsPort = 7861;

// confab-server with exactly `arguments` (no --ops-port added), stdout and
// stderr merged; url() is empty when it did not come up.
struct Server {
    QProcess process;
    QUrl url;
    QByteArray output;

    bool start(const QStringList& arguments)
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        url = startListening(process, arguments, 20000, &output);
        return url.isValid();
    }
    QString log()
    {
        output += process.readAll();
        return QString::fromUtf8(output);
    }
    ~Server()
    {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();
            if (!process.waitForFinished(10000))
                process.kill();
        }
    }
};

bool portIsFree(quint16 port)
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, port);
}

} // namespace

class TestServerOneHost : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void twoServersWithTheDocumentedCommand();
    void aSecondServerOnOneSqliteFileRefusesToStart();
    void anOpsPortAskedForThatIsTakenIsAnError();

private:
    // The database both servers get (--db): a scratch PostgreSQL database, or
    // on the SQLite run a file per server.
    QString databaseFor(int server);
    std::unique_ptr<ScratchPostgres> m_postgres;
    QTemporaryDir m_dir;
};

void TestServerOneHost::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    CONFAB_REQUIRE_TEST_BACKEND();
}

QString TestServerOneHost::databaseFor(int server)
{
    if (TestServer::usesPostgres()) {
        if (!m_postgres)
            m_postgres = std::make_unique<ScratchPostgres>();
        return m_postgres->url();
    }
    return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("server%1.db").arg(server));
}

// docs/deploy.md 2.5: `confab-server --port P --db URL &`, twice, nothing
// else. Both start and serve; one of them has /metrics on the default port
// (unless something else on this shared machine holds it: then neither).
void TestServerOneHost::twoServersWithTheDocumentedCommand()
{
    const bool opsPortWasFree = portIsFree(kDefaultOpsPort);
    Server a, b;
    const QStringList common{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                             m_dir.path()};
    QVERIFY2(a.start(common + QStringList{QStringLiteral("--db"), databaseFor(1)}), qPrintable(a.log()));
    QVERIFY2(b.start(common + QStringList{QStringLiteral("--db"), databaseFor(2)}), qPrintable(b.log()));

    const QString taken = QStringLiteral("the default ops port 127.0.0.1:%1 is taken").arg(kDefaultOpsPort);
    QVERIFY2(b.log().contains(taken), qPrintable(b.log()));
    if (opsPortWasFree) {
        QVERIFY2(
            a.log().contains(
                QStringLiteral("metrics and health on http://127.0.0.1:%1/metrics").arg(kDefaultOpsPort)),
            qPrintable(a.log()));
        QVERIFY(!a.log().contains(taken));
    } else {
        qWarning("port %d was in use before the test: neither server could have it", kDefaultOpsPort);
        QVERIFY(a.log().contains(taken));
    }

    // Both serve.
    auto alice = signUpAt(a.url, QStringLiteral("alice"));
    auto bob = signUpAt(b.url, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    if (TestServer::usesPostgres()) { // one cluster: a message crosses
        const qint64 room = createGroup(*alice, QStringLiteral("one host"), {bob->userId});
        QVERIFY(room > 0);
        const qint64 id = sendMessage(*alice, room, QStringLiteral("hello from the other port"));
        QVERIFY(id > 0);
        QVERIFY(!bob->waitFor(QStringLiteral("message"), 10000).isEmpty());
    }
    QCOMPARE(typeOf(alice->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
    QCOMPARE(typeOf(bob->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
}

// A SQLite database is one server's: a second one would share its accounts
// but not its live events or rooms. It says so and exits instead.
void TestServerOneHost::aSecondServerOnOneSqliteFileRefusesToStart()
{
    if (TestServer::usesPostgres())
        QSKIP("SQLite only (PostgreSQL: twoServersWithTheDocumentedCommand)");
    const QString db = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("shared.db"));
    const QStringList arguments{QStringLiteral("--port"),     QStringLiteral("0"),
                                QStringLiteral("--ops-port"), QStringLiteral("off"),
                                QStringLiteral("--db"),       db,
                                QStringLiteral("--data-dir"), m_dir.path()};
    Server first, second;
    QVERIFY2(first.start(arguments), qPrintable(first.log()));
    QVERIFY(!second.start(arguments));
    QVERIFY(second.process.state() == QProcess::NotRunning || second.process.waitForFinished(10000));
    QCOMPARE(second.process.exitStatus(), QProcess::NormalExit);
    QVERIFY(second.process.exitCode() != 0);
    QVERIFY2(second.log().contains(QStringLiteral("already serves the SQLite database")),
             qPrintable(second.log()));
    QVERIFY(second.log().contains(QStringLiteral("need PostgreSQL")));
    // The first one is unaffected; once it is gone (even killed) the file is free.
    auto alice = signUpAt(first.url, QStringLiteral("alice"));
    QVERIFY(alice);
    first.process.kill();
    QVERIFY(first.process.waitForFinished(10000));
    Server third;
    QVERIFY2(third.start(arguments), qPrintable(third.log()));
    auto again = std::make_unique<TestClient>();
    QVERIFY(again->open(third.url));
    QVERIFY(again->signIn(QStringLiteral("alice")));
}

void TestServerOneHost::anOpsPortAskedForThatIsTakenIsAnError()
{
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    Server server;
    QVERIFY(!server.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--ops-port"),
                           QString::number(holder.serverPort()), QStringLiteral("--db"), databaseFor(3),
                           QStringLiteral("--data-dir"), m_dir.path()}));
    QVERIFY(server.process.state() == QProcess::NotRunning || server.process.waitForFinished(10000));
    QVERIFY(server.process.exitCode() != 0);
    QVERIFY2(server.log().contains(QStringLiteral("cannot listen for /metrics and /healthz on 127.0.0.1:%1")
                                       .arg(holder.serverPort())),
             qPrintable(server.log()));
}

CONFAB_TEST_MAIN(TestServerOneHost)
#include "tst_server_one_host.moc"
