// The load balancer configurations that docs/deploy.md ships
// (docs/deploy/haproxy.cfg, docs/deploy/nginx.conf) in front of two
// confab-server instances on one PostgreSQL database, run as they are with
// only the addresses, ports and file paths filled in: connections spread over
// both instances without stickiness, chat works across them, and when one
// instance is killed its clients reconnect through the balancer to the other
// one and catch up on what they missed.
//
// Which instance took a connection is read from the instances' own logs
// (confab.server.net.debug prints "connection from ..." for every WebSocket
// handshake); the balancers' TCP health checks never complete a handshake,
// so every line is one client.
#include "event_matchers.h"
#include "scratch_postgres.h"
#include "server_process.h"
#include "test_client.h"
#include "test_server.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <sys/prctl.h>
#include <unistd.h>

using namespace confab::test;

namespace {

QString deployDir()
{
    return QStringLiteral(CONFAB_DEPLOY_DIR);
}

// haproxy and nginx live in /usr/sbin, which is not on every user's PATH.
QString findProgram(const QString& name)
{
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin"), QStringLiteral("/sbin")});
    return found;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString hostPort(const QUrl& url)
{
    return QStringLiteral("%1:%2").arg(url.host()).arg(url.port());
}

// haproxy -db or nginx "daemon off" as a child process, from a copy of the
// shipped configuration in a private directory.
class Balancer {
public:
    explicit Balancer(QString kind)
        : m_kind(std::move(kind))
    {}
    ~Balancer() { stop(); }
    Balancer(const Balancer&) = delete;
    Balancer& operator=(const Balancer&) = delete;

    static QString packageName(const QString& kind)
    {
        return kind == QLatin1String("haproxy") ? QStringLiteral("haproxy") : QStringLiteral("nginx");
    }
    static QString shippedConfig(const QString& kind)
    {
        return deployDir() + (kind == QLatin1String("haproxy") ? QStringLiteral("/haproxy.cfg")
                                                               : QStringLiteral("/nginx.conf"));
    }

    // Fills in the placeholders, starts it and waits until it accepts
    // connections; false with error() set otherwise.
    bool start(const QString& instanceA, const QString& instanceB)
    {
        const QString program = findProgram(m_kind);
        if (program.isEmpty())
            return fail(QStringLiteral("%1 is not installed").arg(m_kind));
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        // nginx's workers run as www-data when the master is root; let them in.
        QFile::setPermissions(m_dir.path(), QFile::permissions(m_dir.path()) | QFile::ReadOther |
                                                QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup);
        QFile shipped(shippedConfig(m_kind));
        if (!shipped.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1").arg(shipped.fileName()));
        QString config = QString::fromUtf8(shipped.readAll());
        m_port = freePort();
        if (m_port == 0)
            return fail(QStringLiteral("no free port"));
        for (const char* token : {"@LISTEN@", "@CONFAB_A@", "@CONFAB_B@"}) {
            if (!config.contains(QLatin1String(token)))
                return fail(QStringLiteral("%1 has no %2").arg(shipped.fileName(), QLatin1String(token)));
        }
        config.replace(QLatin1String("@LISTEN@"), QStringLiteral("127.0.0.1:%1").arg(m_port));
        config.replace(QLatin1String("@CONFAB_A@"), instanceA);
        config.replace(QLatin1String("@CONFAB_B@"), instanceB);
        QStringList arguments;
        const QString configPath = m_dir.filePath(QStringLiteral("balancer.conf"));
        if (m_kind == QLatin1String("nginx")) {
            // Debian's paths, as shipped, become paths in the private directory.
            config.replace(QLatin1String("/run/nginx.pid"), m_dir.filePath(QStringLiteral("nginx.pid")));
            config.replace(QLatin1String("/var/log/nginx/"), m_dir.path() + QLatin1Char('/'));
            config.replace(QLatin1String("/var/lib/nginx/"), m_dir.path() + QLatin1Char('/'));
            arguments = {QStringLiteral("-p"), m_dir.path(),
                         QStringLiteral("-e"), m_dir.filePath(QStringLiteral("error.log")),
                         QStringLiteral("-c"), configPath,
                         QStringLiteral("-g"), QStringLiteral("daemon off;")};
        } else {
            if (::geteuid() != 0) {
                // "user haproxy" can only work for root (CI runs as root and
                // tests the file exactly as shipped).
                qInfo("not root: running haproxy without its user/group lines");
                config.remove(QRegularExpression(QStringLiteral("^\\s*(user|group) haproxy\\s*$"),
                                                 QRegularExpression::MultilineOption));
            }
            arguments = {QStringLiteral("-f"), configPath, QStringLiteral("-db")};
        }
        for (const char* leftover : {"@", "/run/", "/var/"}) {
            for (const QString& line : config.split(QLatin1Char('\n'))) {
                const QString code = line.section(QLatin1Char('#'), 0, 0);
                if (code.contains(QLatin1String(leftover)))
                    return fail(QStringLiteral("unfilled or system path left in the config: %1").arg(line));
            }
        }
        QFile out(configPath);
        if (!out.open(QIODevice::WriteOnly) || out.write(config.toUtf8()) < 0)
            return fail(QStringLiteral("cannot write %1").arg(configPath));
        out.close();

        m_process.setProgram(program);
        m_process.setArguments(arguments);
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        // Own process group (nginx has worker processes: stop() can signal
        // them all), and SIGTERM if this test dies without cleaning up.
        m_process.setChildProcessModifier([] {
            ::setsid();
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        });
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return fail(QStringLiteral("%1 did not start: %2").arg(program, m_process.errorString()));
        QElapsedTimer clock;
        clock.start();
        const bool listening = QTest::qWaitFor(
            [&] {
                if (m_process.state() == QProcess::NotRunning)
                    return true;
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_port);
                return probe.waitForConnected(200);
            },
            10000);
        if (!listening || m_process.state() == QProcess::NotRunning)
            return fail(QStringLiteral("%1 is not listening on port %2").arg(m_kind).arg(m_port));
        qInfo("%s %s listening on 127.0.0.1:%d after %lld ms", qPrintable(m_kind), qPrintable(program),
              int(m_port), clock.elapsed());
        return true;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        const qint64 group = m_process.processId();
        m_process.terminate();
        if (!m_process.waitForFinished(10000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
        if (group > 0)
            ::kill(-pid_t(group), SIGKILL); // any worker left behind (normally none)
    }

    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_port)); }
    QString error() const { return m_error; }
    QString output()
    {
        QString text = QString::fromUtf8(m_process.readAll());
        QFile log(m_dir.filePath(QStringLiteral("error.log")));
        if (log.open(QIODevice::ReadOnly))
            text += QStringLiteral("\n--- error.log\n") + QString::fromUtf8(log.readAll());
        return text;
    }

private:
    bool fail(const QString& why)
    {
        m_error = why;
        return false;
    }

    QString m_kind;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

// One client connection and the instance the balancer gave it to.
struct Connection {
    explicit Connection(QString n)
        : name(std::move(n))
    {}
    QString name;
    std::unique_ptr<TestClient> client;
    int instance = -1; // 0: A, 1: B
};

QList<qint64> messageIds(const QJsonObject& history)
{
    QList<qint64> ids;
    for (const QJsonValue m : payloadOf(history).value(QLatin1String("messages")).toArray())
        ids.append(idIn(m.toObject(), "id"));
    return ids;
}

} // namespace

class TestLoadBalancer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void theGuideShowsTheShippedConfigs();
    void chatThroughTheBalancerAndSurviveAnInstance_data();
    void chatThroughTheBalancerAndSurviveAnInstance();

private:
    int connectionsOn(int instance)
    {
        return m_servers[instance]->output().count(QLatin1String("connection from"));
    }
    // Opens a connection through the balancer and finds out which instance took it.
    bool connectThroughBalancer(Connection& c);
    QString diagnostics();

    std::unique_ptr<ScratchPostgres> m_db;
    std::unique_ptr<ServerProcess> m_servers[2];
    std::unique_ptr<Balancer> m_balancer;
};

void TestLoadBalancer::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    for (const QString& kind : {QStringLiteral("haproxy"), QStringLiteral("nginx")})
        QVERIFY2(QFile::exists(Balancer::shippedConfig(kind)), qPrintable(Balancer::shippedConfig(kind)));
}

void TestLoadBalancer::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning("%s", qPrintable(diagnostics()));
    if (m_balancer)
        m_balancer->stop();
    for (auto& server : m_servers) {
        if (server)
            QVERIFY2(!server->isRunning() || server->terminate(), qPrintable(server->output()));
        server.reset();
    }
    m_balancer.reset();
    m_db.reset();
}

bool TestLoadBalancer::connectThroughBalancer(Connection& c)
{
    const int before[2] = {connectionsOn(0), connectionsOn(1)};
    c.client = std::make_unique<TestClient>();
    if (!c.client->open(m_balancer->url()))
        return false;
    const bool logged = QTest::qWaitFor(
        [&] { return connectionsOn(0) + connectionsOn(1) == before[0] + before[1] + 1; }, 5000);
    if (!logged)
        return false;
    c.instance = connectionsOn(0) > before[0] ? 0 : 1;
    qInfo("%s -> instance %c", qPrintable(c.name), c.instance == 0 ? 'A' : 'B');
    return true;
}

QString TestLoadBalancer::diagnostics()
{
    QString text;
    for (int i = 0; i < 2; ++i) {
        if (m_servers[i])
            text += QStringLiteral("\n--- instance %1\n%2")
                        .arg(QString(QLatin1Char(i == 0 ? 'A' : 'B')), m_servers[i]->output().right(8000));
    }
    if (m_balancer)
        text += QStringLiteral("\n--- balancer\n") + m_balancer->output().right(8000);
    return text;
}

// docs/deploy.md shows each file whole, so what a reader copies from the
// page is what this test runs.
void TestLoadBalancer::theGuideShowsTheShippedConfigs()
{
    QFile guide(deployDir() + QStringLiteral("/../deploy.md"));
    QVERIFY2(guide.open(QIODevice::ReadOnly), qPrintable(guide.fileName()));
    const QString text = QString::fromUtf8(guide.readAll());
    for (const QString& kind : {QStringLiteral("haproxy"), QStringLiteral("nginx")}) {
        QFile config(Balancer::shippedConfig(kind));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QString block = QStringLiteral("```") + kind + QLatin1Char('\n') +
                              QString::fromUtf8(config.readAll()) + QStringLiteral("```\n");
        QVERIFY2(text.contains(block),
                 qPrintable(QStringLiteral("docs/deploy.md does not show %1 verbatim in a "
                                           "code block")
                                .arg(config.fileName())));
    }
}

void TestLoadBalancer::chatThroughTheBalancerAndSurviveAnInstance_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("haproxy") << QStringLiteral("haproxy");
    QTest::newRow("nginx") << QStringLiteral("nginx");
}

void TestLoadBalancer::chatThroughTheBalancerAndSurviveAnInstance()
{
    QFETCH(QString, kind);
    CONFAB_REQUIRE_POSTGRES();
    CONFAB_REQUIRE_TOOL(!findProgram(kind).isEmpty(),
                        QStringLiteral("load balancer test: %1 is not installed (Debian package %2)")
                            .arg(kind, Balancer::packageName(kind)));

    // --- two instances on one fresh database, the balancer in front
    m_db = std::make_unique<ScratchPostgres>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->error()));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("confab.server.net.debug=true"));
    for (auto& server : m_servers) {
        server = std::make_unique<ServerProcess>();
        server->process().setProcessEnvironment(environment);
        QVERIFY(server->start(clusterArguments(m_db->url())));
    }
    m_balancer = std::make_unique<Balancer>(kind);
    QVERIFY2(m_balancer->start(hostPort(m_servers[0]->url()), hostPort(m_servers[1]->url())),
             qPrintable(m_balancer->error()));

    // --- clients spread over both instances
    Connection alice(QStringLiteral("alice")), bob(QStringLiteral("bob")), carol(QStringLiteral("carol")),
        alice2(QStringLiteral("alice (second connection)"));
    for (Connection* c : {&alice, &bob, &carol, &alice2})
        QVERIFY2(connectThroughBalancer(*c), qPrintable(c->name));
    int perInstance[2] = {0, 0};
    for (const Connection* c : {&alice, &bob, &carol, &alice2})
        ++perInstance[c->instance];
    qInfo("connections: A %d, B %d", perInstance[0], perInstance[1]);
    QVERIFY2(perInstance[0] > 0 && perInstance[1] > 0, "the balancer used both instances");

    QVERIFY(alice.client->signUp(QStringLiteral("alice")));
    QVERIFY(bob.client->signUp(QStringLiteral("bob")));
    QVERIFY(carol.client->signUp(QStringLiteral("carol")));
    QVERIFY(alice2.client->signIn(QStringLiteral("alice"))); // login, wherever it landed
    const qint64 aliceId = alice.client->userId, bobId = bob.client->userId, carolId = carol.client->userId;

    // --- a group and a DM; every member's connection hears of them
    const qint64 team = createGroup(*alice.client, QStringLiteral("team"), {bobId, carolId});
    QVERIFY(team > 0);
    for (Connection* c : {&bob, &carol, &alice2})
        QVERIFY2(!c->client->waitFor(QStringLiteral("room")).isEmpty(), qPrintable(c->name));
    const qint64 dm = openDm(*alice.client, bobId);
    QVERIFY(dm > 0);
    for (Connection* c : {&bob, &alice2})
        QVERIFY2(!c->client->waitFor(QStringLiteral("room")).isEmpty(), qPrintable(c->name));

    // --- messages arrive on every member's connection, whichever instance it is on
    QList<qint64> teamMessages;
    const auto sendAndExpect = [&](Connection& from, qint64 room, const QString& text,
                                   const QList<Connection*>& members) {
        const qint64 id = sendMessage(*from.client, room, text);
        if (id <= 0)
            return qint64(0);
        for (Connection* c : members) {
            const QJsonObject event = c->client->waitFor(QStringLiteral("message"), 5000, messageIs(id));
            if (event.isEmpty()) {
                qWarning("%s did not receive message %lld", qPrintable(c->name), id);
                return qint64(0);
            }
            if (payloadOf(event).value(QLatin1String("message")).toObject().value(QLatin1String("content")) !=
                text)
                return qint64(0);
        }
        return id;
    };
    const QList<Connection*> everyone{&alice, &bob, &carol, &alice2};
    for (Connection* sender : {&alice, &bob, &carol}) {
        const qint64 id =
            sendAndExpect(*sender, team, QStringLiteral("hello team from %1").arg(sender->name), everyone);
        QVERIFY2(id > 0, qPrintable(sender->name));
        teamMessages.append(id);
    }
    const qint64 dm1 = sendAndExpect(bob, dm, QStringLiteral("psst, alice"), {&alice, &alice2, &bob});
    QVERIFY2(dm1 > 0, "see the logs below");
    const qint64 dm2 = sendAndExpect(alice2, dm, QStringLiteral("你好 bob"), {&alice, &alice2, &bob});
    QVERIFY2(dm2 > 0, "see the logs below");
    QVERIFY(carol.client->staysQuiet(QStringLiteral("message"), 300)); // not a member of the DM
    for (Connection* c : everyone)
        c->client->clearInbox();

    // --- kill -9 the instance bob is on
    const int victim = bob.instance;
    const int survivor = 1 - victim;
    const char victimName = victim == 0 ? 'A' : 'B';
    QList<Connection*> cut, staying;
    for (Connection* c : everyone)
        (c->instance == victim ? cut : staying).append(c);
    // Offline: users none of whose connections is on the survivor.
    QList<qint64> goneOffline;
    for (const qint64 id : {aliceId, bobId, carolId}) {
        bool onSurvivor = false;
        for (const Connection* c : staying)
            onSurvivor = onSurvivor || c->client->userId == id;
        if (!onSurvivor)
            goneOffline.append(id);
    }
    qInfo("killing instance %c (%d connections)", victimName, int(cut.size()));
    QElapsedTimer clock;
    clock.start();
    m_servers[victim]->kill();

    // The balancer closes the connections that went through the dead instance.
    for (Connection* c : cut)
        QVERIFY2(QTest::qWaitFor([&] { return c->client->wasDisconnected(); }, 10000),
                 qPrintable(c->name + QStringLiteral(" still connected")));
    qInfo("clients of %c disconnected by the balancer %lld ms after kill -9", victimName, clock.elapsed());
    // A new connection right away, before a health check may have noticed:
    // the balancer retries it on the survivor and the client sees nothing.
    {
        Connection early(QStringLiteral("a connection opened right after the kill"));
        QVERIFY(connectThroughBalancer(early));
        QCOMPARE(early.instance, survivor);
        QCOMPARE(typeOf(early.client->request(QStringLiteral("ping"))), QStringLiteral("pong"));
        qInfo("a new connection reached %c %lld ms after kill -9", survivor == 0 ? 'A' : 'B',
              clock.elapsed());
    }
    // Their users show offline to the others (3 heartbeats of 200 ms), and
    // nobody else does. The time is reported; the wait is generous.
    for (const qint64 user : goneOffline) {
        for (Connection* watcher : staying)
            QVERIFY2(!watcher->client->waitFor(QStringLiteral("presence"), 30000, presenceOf(user, false))
                          .isEmpty(),
                     qPrintable(watcher->name));
    }
    qInfo("offline shown %lld ms after kill -9 (heartbeat 200 ms)", clock.elapsed());
    for (Connection* watcher : staying) {
        for (const QJsonObject& event : watcher->client->takeAll(QStringLiteral("presence"))) {
            const qint64 user = idIn(payloadOf(event), "userId");
            QVERIFY2(goneOffline.contains(user) || payloadOf(event).value(QLatin1String("online")).toBool(),
                     "only the users of the dead instance go offline");
        }
    }

    // Something happens while bob is away.
    const qint64 missed = sendMessage(*staying.first()->client, team, QStringLiteral("while you were away"));
    QVERIFY2(missed > 0, "see the logs below");
    teamMessages.append(missed);

    // --- bob reconnects through the balancer: only the survivor can take him
    clock.restart();
    const int survivorBefore = connectionsOn(survivor);
    Connection bobAgain(QStringLiteral("bob (reconnected)"));
    QVERIFY2(connectThroughBalancer(bobAgain), "see the logs below");
    QCOMPARE(bobAgain.instance, survivor);
    QCOMPARE(connectionsOn(survivor), survivorBefore + 1);
    const QJsonObject authed =
        bobAgain.client->request(QStringLiteral("auth"), {{QStringLiteral("token"), bob.client->token}});
    QCOMPARE(typeOf(authed), QStringLiteral("auth_ok"));
    bobAgain.client->userId = bobId;
    qInfo("bob back on %c %lld ms after his reconnect began", survivor == 0 ? 'A' : 'B', clock.elapsed());
    // What the balancer said about the dead instance (its health check, a
    // failed connection attempt that went to the other instance).
    const QString deadPort = QStringLiteral(":%1").arg(m_servers[victim]->url().port());
    const QRegularExpression retried(
        QStringLiteral("/\\+\\d+ ")); // HAProxy's log: redispatched after a retry
    for (const QString& line : m_balancer->output().split(QLatin1Char('\n'))) {
        if (line.contains(deadPort) || line.contains(QLatin1String(" is DOWN")) ||
            retried.match(line).hasMatch())
            qInfo("balancer: %s", qPrintable(line.trimmed()));
    }

    // Catch-up as the protocol says: afterId = the last id he held.
    const QJsonObject caughtUp = bobAgain.client->request(
        QStringLiteral("fetch_messages"),
        {{QStringLiteral("roomId"), double(team)}, {QStringLiteral("afterId"), double(teamMessages.at(2))}});
    QCOMPARE(messageIds(caughtUp), QList<qint64>{missed});
    // And the whole history is there.
    QCOMPARE(messageIds(bobAgain.client->request(QStringLiteral("fetch_messages"),
                                                 {{QStringLiteral("roomId"), double(team)}})),
             teamMessages);
    QCOMPARE(messageIds(bobAgain.client->request(QStringLiteral("fetch_messages"),
                                                 {{QStringLiteral("roomId"), double(dm)}})),
             (QList<qint64>{dm1, dm2}));
    // The others see him online again, and chat goes on.
    for (Connection* watcher : staying)
        QVERIFY2(
            !watcher->client->waitFor(QStringLiteral("presence"), 5000, presenceOf(bobId, true)).isEmpty(),
            qPrintable(watcher->name));
    QList<Connection*> members = staying;
    members.append(&bobAgain);
    QVERIFY2(sendAndExpect(bobAgain, team, QStringLiteral("back again"), members) > 0, "see the logs below");
}

CONFAB_TEST_GUILESS_MAIN(TestLoadBalancer)
#include "tst_load_balancer.moc"
