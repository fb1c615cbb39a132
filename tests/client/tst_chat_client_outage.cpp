// The outbox resends by itself after `unavailable`, against a real server
// whose real database goes away: a PostgreSQL cluster of this test's own
// (scripts/pg-test-cluster.sh in a temporary directory, so stopping it
// disturbs no other suite) is stopped while the client sends, and started
// again. The server answers `unavailable` (nothing stored, retry later) while
// it is down; the client's row stays "sending", is resent with the same
// tempId after each retryAfterMs, and is stored exactly once when the
// database is back, without the user doing anything.
//
// Needs PostgreSQL 15's programs and Qt's QPSQL driver: without them it
// reports "PostgreSQL tests NOT RUN" (ctest: Skipped), and fails instead when
// CONFAB_REQUIRE_POSTGRES=1 (scripts/test.sh, CI).
#include "client_app_fixture.h"

#include "hub.h"
#include "ops/metrics.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

using namespace confab;
using namespace confab::test;
using client::ChatClient;
using Status = client::MessageListModel::Status;

namespace {

QString clusterScript()
{
    return QStringLiteral(CONFAB_SOURCE_DIR "/scripts/pg-test-cluster.sh");
}

QString postgresBin()
{
    return qEnvironmentVariable("CONFAB_PG_BIN", QStringLiteral("/usr/lib/postgresql/15/bin"));
}

// Runs the cluster script; its stdout, or a null string on failure.
QString cluster(const QString& action, const QString& dir)
{
    QProcess script;
    script.setProcessChannelMode(QProcess::SeparateChannels);
    script.start(QStringLiteral("bash"), {clusterScript(), action, dir});
    if (!script.waitForFinished(120000) || script.exitStatus() != QProcess::NormalExit ||
        script.exitCode() != 0) {
        QFile log(dir + QStringLiteral("/postgresql.log")); // what PostgreSQL said, if it got that far
        const QByteArray said = log.open(QIODevice::ReadOnly) ? log.readAll().right(2000) : QByteArray();
        qWarning("pg-test-cluster.sh %s failed: %s\n%s", qPrintable(action),
                 script.readAllStandardError().constData(), said.constData());
        return {};
    }
    return QString::fromUtf8(script.readAllStandardOutput()) + QStringLiteral(" ");
}

// The `unavailable` error replies the server has sent so far.
quint64 unavailableReplies(TestServer& server)
{
    static const QRegularExpression line(
        QStringLiteral("^confab_errors_total\\{code=\"unavailable\"\\} (\\d+)"),
        QRegularExpression::MultilineOption);
    const auto match = line.match(QString::fromUtf8(server.server().hub()->metrics().render()));
    return match.hasMatch() ? match.captured(1).toULongLong() : 0;
}

} // namespace

class TestChatClientOutage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void sendDuringADatabaseOutageIsResentByItself();

private:
    QTemporaryDir m_dir{QStringLiteral("/tmp/confab-outage-XXXXXX")};
    bool m_started = false;
};

void TestChatClientOutage::initTestCase()
{
    ClientFixture::prepareEnvironment();
    QString missing;
    if (!QFileInfo(postgresBin() + QStringLiteral("/initdb")).isExecutable())
        missing = QStringLiteral("%1/initdb is missing (Debian package postgresql-15)").arg(postgresBin());
    else if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        missing =
            QStringLiteral("the Qt PostgreSQL driver QPSQL is missing (Debian package libqt6sql6-psql)");
    if (!missing.isEmpty())
        CONFAB_SKIP_MISSING(ScratchPostgres::required(), QStringLiteral("PostgreSQL tests NOT RUN: ") + missing);
    QVERIFY(m_dir.isValid());
    const QString env = cluster(QStringLiteral("start"), m_dir.path());
    QVERIFY2(!env.isNull(), "the private PostgreSQL cluster did not start");
    m_started = true;
    static const QRegularExpression urlLine(QStringLiteral("export CONFAB_TEST_PG_URL='([^']+)'"));
    const auto url = urlLine.match(env);
    QVERIFY2(url.hasMatch(), qPrintable(env));
    // ScratchPostgres makes its databases on the cluster this names: ours.
    qputenv("CONFAB_TEST_PG_URL", url.captured(1).toUtf8());
}

void TestChatClientOutage::cleanupTestCase()
{
    if (m_started)
        cluster(QStringLiteral("stop"), m_dir.path());
}

void TestChatClientOutage::sendDuringADatabaseOutageIsResentByItself()
{
    ScratchPostgres database;
    QVERIFY2(database.isValid(), qPrintable(database.error()));
    auto config = TestServer::defaultConfig();
    config.databaseUrl = database.url();
    TestServer server(config);
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("team"), {});
    QVERIFY(room);
    auto client = ClientFixture::create(QStringLiteral("outage"));
    QVERIFY(ClientFixture::signIn(*client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*client, room));
    client->composer()->sendMessage(QStringLiteral("before"), {});
    QTRY_VERIFY(allSent(*client));

    QVERIFY(!cluster(QStringLiteral("stop"), m_dir.path()).isNull());
    const quint64 before = unavailableReplies(server);
    client->composer()->sendMessage(QStringLiteral("during the outage"), {});
    // The server says `unavailable` to it, again and again: the client
    // resends by itself (no user action, no reconnect), and the row stays
    // "sending", never "not sent".
    QTRY_VERIFY_WITH_TIMEOUT(unavailableReplies(server) >= before + 3, 30000);
    QCOMPARE(client->account()->connectionState(), client::Session::State::Online);
    QCOMPARE(statusOf(*client, QStringLiteral("during the outage")), int(Status::Pending));
    // What any client gets now: `unavailable`, with a time to retry after.
    const QJsonObject probe =
        me->request(QStringLiteral("send_message"), {{QStringLiteral("roomId"), double(room)},
                                                     {QStringLiteral("content"), QStringLiteral("probe")},
                                                     {QStringLiteral("tempId"), QStringLiteral("probe-1")}});
    QCOMPARE(errorCodeOf(probe), QStringLiteral("unavailable"));
    QVERIFY(payloadOf(probe).value(QLatin1String("retryAfterMs")).toInteger() > 0);

    QVERIFY(!cluster(QStringLiteral("start"), m_dir.path()).isNull());
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*client), 30000);
    QCOMPARE(client->account()->errorMessage(), QString());
    QCOMPARE(contentsOf(rowsOf(*client)),
             (QStringList{QStringLiteral("before"), QStringLiteral("during the outage")}));
    // Stored once, whatever the number of attempts.
    QCOMPARE(contentsOf(serverHistory(*me, room)),
             (QStringList{QStringLiteral("before"), QStringLiteral("during the outage")}));
}

CONFAB_TEST_MAIN(TestChatClientOutage)
#include "tst_chat_client_outage.moc"
