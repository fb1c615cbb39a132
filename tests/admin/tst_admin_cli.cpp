// confab-server admin as a process against a real database (a SQLite file, or
// PostgreSQL in the _pg run): the commands, their exit codes, a running
// server closing a disabled user's sessions at once, and the server options
// that go with it (--registration, --history-page-size) over the wire.
#include "server_process.h"
#include "test_client.h"
#include "test_server.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace confab::test;
using namespace Qt::StringLiterals;

namespace {

QString serverBinary()
{
    return qEnvironmentVariable("CONFAB_SERVER_BIN");
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// confab-server admin <arguments>, with `input` on stdin.
Run admin(const QStringList& arguments, const QByteArray& input = {})
{
    QProcess p;
    p.start(serverBinary(), QStringList{u"admin"_s} + arguments);
    if (!p.waitForStarted(5000))
        return {};
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QJsonArray jsonOf(const Run& run)
{
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

QJsonObject byUsername(const QJsonArray& users, const QString& username)
{
    for (const QJsonValue& u : users) {
        if (u[u"username"_s].toString() == username)
            return u.toObject();
    }
    return {};
}

QJsonObject registerPayload(const QString& name, const QString& invite = {})
{
    QJsonObject p{{u"username"_s, name}, {u"password"_s, u"correct horse"_s}};
    if (!invite.isEmpty())
        p.insert(u"invite"_s, invite);
    return p;
}

} // namespace

class TestAdminCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void helpAndUsageErrors();
    void usersRoomsAndInvites();
    void settingsComeFromTheConfigFile();
    void asksForThePasswordOnATerminal();
    void disableClosesSessionsOnARunningServer();
    void resetPasswordSignsOut();
    void registrationClosed();
    void registrationByInvite();
    void historyPageSizeClampsPages();
    void groupMembersFromTheShell();

private:
    QString newDatabaseUrl(const QString& name);
    // Starts confab-server on `url` and waits for "listening on ws://...".
    QUrl startServer(QProcess& process, const QString& url);

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<ScratchPostgres>> m_postgres;
};

QString TestAdminCli::newDatabaseUrl(const QString& name)
{
    if (!TestServer::usesPostgres())
        return u"sqlite:"_s + m_dir.filePath(name + u".db"_s);
    m_postgres.push_back(std::make_unique<ScratchPostgres>());
    if (!m_postgres.back()->isValid())
        qWarning("no PostgreSQL database: %s", qPrintable(m_postgres.back()->error()));
    return m_postgres.back()->url();
}

QUrl TestAdminCli::startServer(QProcess& process, const QString& url)
{
    return startListening(process, {u"--db"_s, url, u"--port"_s, u"0"_s, u"--ops-port"_s, u"off"_s});
}

void TestAdminCli::initTestCase()
{
    CONFAB_REQUIRE_TEST_BACKEND();
    QVERIFY2(QFile::exists(serverBinary()), "CONFAB_SERVER_BIN must name the built confab-server");
    QVERIFY(m_dir.isValid());
}

void TestAdminCli::helpAndUsageErrors()
{
    const Run help = admin({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const char* command : {"create-user", "reset-password", "disable", "enable", "list-users",
                                "list-rooms", "invite", "list-invites", "revoke-invite"})
        QVERIFY2(help.out.contains(QLatin1String(command)), command);
    const Run commandHelp = admin({u"create-user"_s, u"--help"_s});
    QCOMPARE(commandHelp.exitCode, 0);
    QVERIFY(commandHelp.out.contains(u"--password-stdin"_s));
    QVERIFY(commandHelp.out.contains(u"--display-name"_s));
    QVERIFY(commandHelp.out.contains(u"--config"_s)); // the server's settings apply

    const QString db = newDatabaseUrl(u"usage"_s);
    const struct {
        QStringList arguments;
        QString message;
    } usage[] = {
        {{}, u"confab-server admin: a command is missing; see confab-server admin --help\n"_s},
        {{u"frobnicate"_s},
         u"confab-server admin: unknown command \"frobnicate\"; see confab-server admin --help\n"_s},
        {{u"create-user"_s, u"--db"_s, db},
         u"confab-server admin: usage: confab-server admin create-user <username> (see --help)\n"_s},
        {{u"disable"_s, u"a"_s, u"b"_s, u"--db"_s, db},
         u"confab-server admin: usage: confab-server admin disable <username> (see --help)\n"_s},
        {{u"list-users"_s, u"--bogus"_s}, u"confab-server admin: Unknown option 'bogus'.\n"_s},
        {{u"invite"_s, u"--uses"_s, u"0"_s, u"--db"_s, db},
         u"confab-server admin: --uses must be a whole number from 1 to 1000000\n"_s},
        {{u"invite"_s, u"--expires-days"_s, u"soon"_s, u"--db"_s, db},
         u"confab-server admin: --expires-days must be a number from 0 (never) to 3650\n"_s},
        // Never a password on the command line, and no terminal to ask on here.
        {{u"create-user"_s, u"bob"_s, u"--db"_s, db},
         u"confab-server admin: no terminal to ask for the password: use --password-stdin\n"_s},
        {{u"create-user"_s, u"bad name"_s, u"--password-stdin"_s, u"--db"_s, db},
         u"confab-server admin: username must be 1-32 letters, digits, '_', '.' or '-'\n"_s},
    };
    for (const auto& u : usage) {
        const Run run = admin(u.arguments, "pw\n");
        QVERIFY2(run.exitCode == 2, qPrintable(u.arguments.join(u' ') + u": "_s + run.err));
        QCOMPARE(run.err, u.message);
        QCOMPARE(run.out, QString());
    }
}

void TestAdminCli::usersRoomsAndInvites()
{
    const QString db = newDatabaseUrl(u"users"_s);
    const QStringList on{u"--db"_s, db};
    Run run = admin(QStringList{u"create-user"_s, u"alice"_s, u"--display-name"_s, u"Alice 爱丽丝"_s,
                                u"--password-stdin"_s} +
                        on,
                    "first password\n");
    QCOMPARE(run.err, QString());
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith(u"created user alice (id "_s));
    run = admin(QStringList{u"create-user"_s, u"ALICE"_s, u"--password-stdin"_s} + on, "x\n");
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err, u"confab-server admin: username is already taken\n"_s);
    // register's rules, with the configured minimum length.
    run = admin(
        QStringList{u"create-user"_s, u"bob"_s, u"--password-stdin"_s, u"--min-password-length"_s, u"8"_s} +
            on,
        "short\n");
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err, u"confab-server admin: password must be at least 8 characters\n"_s);
    QCOMPARE(
        admin(QStringList{u"create-user"_s, u"bob"_s, u"--password-stdin"_s} + on, "bob's pw\n").exitCode, 0);

    run = admin(QStringList{u"list-users"_s, u"--json"_s} + on);
    QCOMPARE(run.exitCode, 0);
    QJsonArray users = jsonOf(run);
    QCOMPARE(users.size(), 2);
    QJsonObject alice = byUsername(users, u"alice"_s);
    QCOMPARE(alice[u"displayName"_s].toString(), u"Alice 爱丽丝"_s);
    QCOMPARE(alice[u"disabled"_s].toBool(), false);
    QVERIFY(alice[u"createdAt"_s].toDouble() > 1.7e12);
    QVERIFY(alice[u"lastSeenAt"_s].toDouble() > 1.7e12);
    QCOMPARE(byUsername(users, u"bob"_s)[u"displayName"_s].toString(), u"bob"_s);

    QCOMPARE(admin(QStringList{u"disable"_s, u"Alice"_s} + on).exitCode, 0);
    users = jsonOf(admin(QStringList{u"list-users"_s, u"--json"_s} + on));
    QCOMPARE(byUsername(users, u"alice"_s)[u"disabled"_s].toBool(), true);
    QVERIFY(byUsername(users, u"alice"_s)[u"disabledAt"_s].toDouble() > 1.7e12);
    run = admin(QStringList{u"list-users"_s} + on);
    QVERIFY(run.out.contains(QRegularExpression(u"alice\\s+Alice 爱丽丝\\s+disabled"_s)));
    QCOMPARE(admin(QStringList{u"enable"_s, u"alice"_s} + on).exitCode, 0);
    QCOMPARE(
        byUsername(jsonOf(admin(QStringList{u"list-users"_s, u"--json"_s} + on)), u"alice"_s)[u"disabled"_s],
        QJsonValue(false));
    run = admin(QStringList{u"disable"_s, u"nobody"_s} + on);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err, u"confab-server admin: no user named \"nobody\"\n"_s);
    run = admin(QStringList{u"reset-password"_s, u"nobody"_s, u"--password-stdin"_s} + on, "x\n");
    QCOMPARE(run.exitCode, 1);
    run =
        admin(QStringList{u"reset-password"_s, u"alice"_s, u"--password-stdin"_s} + on, "second password\n");
    QCOMPARE(run.exitCode, 0);

    run = admin(QStringList{u"list-rooms"_s, u"--json"_s} + on);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(jsonOf(run), QJsonArray());

    run = admin(QStringList{u"invite"_s, u"--uses"_s, u"2"_s, u"--expires-days"_s, u"3"_s} + on);
    QCOMPARE(run.exitCode, 0);
    const QString code = run.out.trimmed();
    QVERIFY2(QRegularExpression(u"^[A-Za-z0-9_-]{22}$"_s).match(code).hasMatch(), qPrintable(code));
    run = admin(QStringList{u"list-invites"_s, u"--json"_s} + on);
    QCOMPARE(run.exitCode, 0);
    QJsonArray invites = jsonOf(run);
    QCOMPARE(invites.size(), 1);
    QCOMPARE(invites[0][u"hint"_s].toString(), code.left(6));
    QCOMPARE(invites[0][u"maxUses"_s].toInt(), 2);
    QCOMPARE(invites[0][u"uses"_s].toInt(), 0);
    QCOMPARE(invites[0][u"status"_s].toString(), u"active"_s);
    const double days =
        (invites[0][u"expiresAt"_s].toDouble() - invites[0][u"createdAt"_s].toDouble()) / 86400e3;
    QVERIFY(qAbs(days - 3) < 0.001);
    QVERIFY(!admin(QStringList{u"list-invites"_s} + on).out.contains(code)); // only the hint is shown
    QCOMPARE(admin(QStringList{u"revoke-invite"_s, code} + on).exitCode, 0);
    QCOMPARE(jsonOf(admin(QStringList{u"list-invites"_s, u"--json"_s} + on))[0][u"status"_s].toString(),
             u"revoked"_s);
    run = admin(QStringList{u"revoke-invite"_s, u"not-a-code"_s} + on);
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(run.err, u"confab-server admin: no such invite code\n"_s);

    // What the CLI wrote is what a server reads: the reset password signs in.
    QProcess server;
    const QUrl url = startServer(server, db);
    QVERIFY(url.isValid());
    TestClient client;
    QVERIFY(client.open(url));
    QVERIFY(client.signIn(u"alice"_s, u"second password"_s));
    TestClient other;
    QVERIFY(other.open(url));
    QCOMPARE(errorCodeOf(other.request(u"login"_s,
                                       {{u"username"_s, u"alice"_s}, {u"password"_s, u"first password"_s}})),
             u"invalid_credentials"_s);
    // A group with a message shows in list-rooms.
    TestClient bob;
    QVERIFY(bob.open(url));
    QVERIFY(bob.signIn(u"bob"_s, u"bob's pw"_s));
    const QJsonObject created = client.request(
        u"create_room"_s, {{u"name"_s, u"Team"_s}, {u"memberIds"_s, QJsonArray{double(bob.userId)}}});
    const double roomId = payloadOf(created)[u"room"_s][u"id"_s].toDouble();
    QVERIFY2(roomId > 0, QJsonDocument(created).toJson().constData());
    QCOMPARE(typeOf(client.request(u"send_message"_s,
                                   {{u"roomId"_s, roomId}, {u"content"_s, u"hi"_s}, {u"tempId"_s, u"t1"_s}})),
             u"message_ack"_s);
    const QJsonArray rooms = jsonOf(admin(QStringList{u"list-rooms"_s, u"--json"_s} + on));
    QCOMPARE(rooms.size(), 1);
    QCOMPARE(rooms[0][u"kind"_s].toString(), u"group"_s);
    QCOMPARE(rooms[0][u"name"_s].toString(), u"Team"_s);
    QCOMPARE(rooms[0][u"memberCount"_s].toInt(), 2);
    QCOMPARE(rooms[0][u"messageCount"_s].toInt(), 1);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

void TestAdminCli::settingsComeFromTheConfigFile()
{
    const QString db = newDatabaseUrl(u"config"_s);
    const QString ini = m_dir.filePath(u"confab-server.ini"_s);
    QFile file(ini);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[server]\ndb = " + db.toUtf8() + "\nmin-password-length = 12\n");
    file.close();
    Run run = admin({u"create-user"_s, u"carol"_s, u"--password-stdin"_s, u"--config"_s, ini}, "too short\n");
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err, u"confab-server admin: password must be at least 12 characters\n"_s);
    run =
        admin({u"create-user"_s, u"carol"_s, u"--password-stdin"_s, u"--config"_s, ini}, "long enough now\n");
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(jsonOf(admin({u"list-users"_s, u"--json"_s, u"--db"_s, db}))[0][u"username"_s].toString(),
             u"carol"_s);
}

void TestAdminCli::asksForThePasswordOnATerminal()
{
    // script(1) (util-linux, on every Debian) gives the command a terminal.
    const QString script = QStandardPaths::findExecutable(u"script"_s);
    QVERIFY2(!script.isEmpty(), "script(1) from util-linux is needed to give the command a terminal");
    const QString db = newDatabaseUrl(u"terminal"_s);
    const auto onTerminal = [&](const QString& username, const QByteArray& typed) {
        QProcess p;
        p.start(script, {u"-qec"_s, u"%1 admin create-user %2 --db %3"_s.arg(serverBinary(), username, db),
                         u"/dev/null"_s});
        p.write(typed);
        p.closeWriteChannel();
        const bool finished = p.waitForFinished(30000);
        return std::make_pair(finished ? p.exitCode() : -1, QString::fromUtf8(p.readAll()));
    };
    auto [code, output] = onTerminal(u"terry"_s, "same pw\nsame pw\n");
    QVERIFY2(output.contains(u"New password:"_s) && output.contains(u"Repeat it:"_s), qPrintable(output));
    QCOMPARE(code, 0);
    QVERIFY(output.contains(u"created user terry"_s));
    std::tie(code, output) = onTerminal(u"tess"_s, "one\ntwo\n");
    QCOMPARE(code, 2);
    QVERIFY2(output.contains(u"the passwords differ"_s), qPrintable(output));
    const QJsonArray users = jsonOf(admin({u"list-users"_s, u"--json"_s, u"--db"_s, db}));
    QCOMPARE(users.size(), 1);
    QCOMPARE(users[0][u"username"_s].toString(), u"terry"_s);
}

void TestAdminCli::disableClosesSessionsOnARunningServer()
{
    const QString db = newDatabaseUrl(u"disable"_s);
    const QStringList on{u"--db"_s, db};
    QCOMPARE(
        admin(QStringList{u"create-user"_s, u"dave"_s, u"--password-stdin"_s} + on, "dave's pw\n").exitCode,
        0);
    QCOMPARE(
        admin(QStringList{u"create-user"_s, u"erin"_s, u"--password-stdin"_s} + on, "erin's pw\n").exitCode,
        0);
    QProcess server;
    const QUrl url = startServer(server, db);
    QVERIFY(url.isValid());

    TestClient dave, daveByToken, erin;
    QVERIFY(dave.open(url) && daveByToken.open(url) && erin.open(url));
    QVERIFY(dave.signIn(u"dave"_s, u"dave's pw"_s));
    QCOMPARE(typeOf(daveByToken.request(u"auth"_s, {{u"token"_s, dave.token}})), u"auth_ok"_s);
    QVERIFY(erin.signIn(u"erin"_s, u"erin's pw"_s));

    const Run disabled = admin(QStringList{u"disable"_s, u"dave"_s} + on);
    QElapsedTimer sinceDisabled;
    sinceDisabled.start();
    QCOMPARE(disabled.exitCode, 0);
    // "Within about a second" (docs/protocol.md): the time is reported; the
    // wait is generous, so a loaded machine does not fail it.
    for (TestClient* c : {&dave, &daveByToken}) {
        const QJsonObject pushed = c->waitFor(u"error"_s, 15000);
        QCOMPARE(errorCodeOf(pushed), u"unauthenticated"_s);
        QCOMPARE(payloadOf(pushed)[u"message"_s].toString(), u"account disabled"_s);
        QVERIFY(!pushed.contains(u"id"_s));
        QTRY_VERIFY_WITH_TIMEOUT(c->wasDisconnected(), 15000);
        QCOMPARE(c->closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    }
    qInfo("pushed and closed %lld ms after the admin command exited", sinceDisabled.elapsed());
    QVERIFY(erin.isConnected()); // nobody else
    QVERIFY(erin.staysQuiet(u"error"_s, 100));

    // No way back in: password (forbidden, the holder learns why), token, register.
    TestClient again;
    QVERIFY(again.open(url));
    const QJsonObject login =
        again.request(u"login"_s, {{u"username"_s, u"dave"_s}, {u"password"_s, u"dave's pw"_s}});
    QCOMPARE(errorCodeOf(login), u"forbidden"_s);
    QCOMPARE(payloadOf(login)[u"message"_s].toString(), u"account disabled"_s);
    QCOMPARE(
        errorCodeOf(again.request(u"login"_s, {{u"username"_s, u"dave"_s}, {u"password"_s, u"wrong"_s}})),
        u"invalid_credentials"_s);
    QCOMPARE(errorCodeOf(again.request(u"auth"_s, {{u"token"_s, dave.token}})), u"invalid_credentials"_s);
    QCOMPARE(errorCodeOf(again.request(u"register"_s, registerPayload(u"Dave"_s))), u"conflict"_s);

    QCOMPARE(admin(QStringList{u"enable"_s, u"dave"_s} + on).exitCode, 0);
    QVERIFY(again.signIn(u"dave"_s, u"dave's pw"_s));
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

void TestAdminCli::resetPasswordSignsOut()
{
    const QString db = newDatabaseUrl(u"reset"_s);
    const QStringList on{u"--db"_s, db};
    QCOMPARE(
        admin(QStringList{u"create-user"_s, u"frank"_s, u"--password-stdin"_s} + on, "old pw\n").exitCode, 0);
    QProcess server;
    const QUrl url = startServer(server, db);
    QVERIFY(url.isValid());
    TestClient frank;
    QVERIFY(frank.open(url));
    QVERIFY(frank.signIn(u"frank"_s, u"old pw"_s));
    QCOMPARE(
        admin(QStringList{u"reset-password"_s, u"frank"_s, u"--password-stdin"_s} + on, "new pw\n").exitCode,
        0);
    const QJsonObject pushed = frank.waitFor(u"error"_s, 15000);
    QCOMPARE(errorCodeOf(pushed), u"unauthenticated"_s);
    QCOMPARE(payloadOf(pushed)[u"message"_s].toString(), u"credentials changed"_s);
    QTRY_VERIFY_WITH_TIMEOUT(frank.wasDisconnected(), 15000);
    TestClient again;
    QVERIFY(again.open(url));
    QCOMPARE(errorCodeOf(again.request(u"auth"_s, {{u"token"_s, frank.token}})), u"invalid_credentials"_s);
    QCOMPARE(
        errorCodeOf(again.request(u"login"_s, {{u"username"_s, u"frank"_s}, {u"password"_s, u"old pw"_s}})),
        u"invalid_credentials"_s);
    QVERIFY(again.signIn(u"frank"_s, u"new pw"_s));
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

void TestAdminCli::registrationClosed()
{
    auto config = TestServer::defaultConfig();
    config.registration = confab::server::ServerConfig::Registration::Closed;
    TestServer server(config);
    QVERIFY(server.start());
    TestClient client;
    QVERIFY(client.open(server.url()));
    const QJsonObject refused = client.request(u"register"_s, registerPayload(u"gina"_s));
    QCOMPARE(errorCodeOf(refused), u"forbidden"_s);
    QCOMPARE(payloadOf(refused)[u"message"_s].toString(), u"registration is closed"_s);
    // Accounts come from the CLI, and sign in as usual.
    QCOMPARE(admin({u"create-user"_s, u"gina"_s, u"--password-stdin"_s, u"--db"_s, server.databaseUrl()},
                   "correct horse\n")
                 .exitCode,
             0);
    QVERIFY(client.signIn(u"gina"_s));
}

void TestAdminCli::registrationByInvite()
{
    auto config = TestServer::defaultConfig();
    config.registration = confab::server::ServerConfig::Registration::Invite;
    TestServer server(config);
    QVERIFY(server.start());
    const QStringList on{u"--db"_s, server.databaseUrl()};
    // A new invite code; the command's complaint, if any, in the failure.
    const auto invite = [&](const QStringList& options) {
        const Run run = admin(QStringList{u"invite"_s} + options + on);
        if (run.exitCode != 0)
            qWarning("admin invite exited %d: %s", run.exitCode, qPrintable(run.err));
        return run.out.trimmed();
    };
    const QString code = invite({});
    QCOMPARE(code.size(), 22);

    TestClient client;
    QVERIFY(client.open(server.url()));
    const struct {
        QString invite;
        QString message;
    } refusals[] = {
        {QString(), u"registration needs an invite code (invite)"_s},
        {u"not-a-real-code"_s, u"unknown invite code"_s},
    };
    for (const auto& r : refusals) {
        const QJsonObject refused = client.request(u"register"_s, registerPayload(u"hank"_s, r.invite));
        QCOMPARE(errorCodeOf(refused), u"forbidden"_s);
        QCOMPARE(payloadOf(refused)[u"message"_s].toString(), r.message);
    }
    const QJsonObject bad = client.request(
        u"register"_s, QJsonObject{{u"username"_s, u"hank"_s}, {u"password"_s, u"pw"_s}, {u"invite"_s, 42}});
    QCOMPARE(errorCodeOf(bad), u"bad_request"_s);
    QCOMPARE(typeOf(client.request(u"register"_s, registerPayload(u"hank"_s, code))), u"auth_ok"_s);
    TestClient second;
    QVERIFY(second.open(server.url()));
    const QJsonObject usedUp = second.request(u"register"_s, registerPayload(u"ivy"_s, code));
    QCOMPARE(errorCodeOf(usedUp), u"forbidden"_s);
    QCOMPARE(payloadOf(usedUp)[u"message"_s].toString(), u"the invite code has been used up"_s);
    const QString expired = invite({u"--expires-days"_s, u"0.000001"_s});
    QCOMPARE(expired.size(), 22);
    // 86 ms to live: wait until the CLI itself lists it as expired.
    const auto statusOf = [&](const QString& listed) {
        for (const QJsonValue& i : jsonOf(admin(QStringList{u"list-invites"_s, u"--json"_s} + on))) {
            if (i[u"hint"_s].toString() == listed.left(6))
                return i[u"status"_s].toString();
        }
        return QString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(expired), u"expired"_s, 15000);
    QCOMPARE(
        payloadOf(second.request(u"register"_s, registerPayload(u"ivy"_s, expired)))[u"message"_s].toString(),
        u"the invite code has expired"_s);
    const QString revoked = invite({});
    QCOMPARE(revoked.size(), 22);
    QCOMPARE(admin(QStringList{u"revoke-invite"_s, revoked} + on).exitCode, 0);
    QCOMPARE(
        payloadOf(second.request(u"register"_s, registerPayload(u"ivy"_s, revoked)))[u"message"_s].toString(),
        u"the invite code was revoked"_s);
    const QJsonArray invites = jsonOf(admin(QStringList{u"list-invites"_s, u"--json"_s} + on));
    QCOMPARE(invites[0][u"uses"_s].toInt(), 1);
    QCOMPARE(invites[0][u"status"_s].toString(), u"used up"_s);
}

void TestAdminCli::historyPageSizeClampsPages()
{
    auto config = TestServer::fastSendersConfig();
    config.historyPageSize = 5;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(u"alice"_s);
    auto bob = server.user(u"bob"_s);
    QVERIFY(alice && bob);
    const QJsonObject created = alice->request(
        u"create_room"_s, {{u"name"_s, u"Pages"_s}, {u"memberIds"_s, QJsonArray{double(bob->userId)}}});
    const double roomId = payloadOf(created)[u"room"_s][u"id"_s].toDouble();
    QVERIFY(roomId > 0);
    // Eight messages from bob, each mentioning alice ("@alice" is [5, 11)).
    const QJsonArray mention{
        QJsonObject{{u"userId"_s, double(alice->userId)}, {u"indexStart"_s, 5}, {u"indexEnd"_s, 11}}};
    for (int i = 0; i < 8; ++i)
        QCOMPARE(typeOf(bob->request(u"send_message"_s, {{u"roomId"_s, roomId},
                                                         {u"content"_s, u"page @alice %1"_s.arg(i)},
                                                         {u"tempId"_s, u"t%1"_s.arg(i)},
                                                         {u"mentions"_s, mention}})),
                 u"message_ack"_s);
    const auto count = [&](const QString& type, QJsonObject payload, const QString& list) {
        const QJsonObject reply = alice->request(type, payload);
        return payloadOf(reply)[list].toArray().size();
    };
    const QJsonObject room{{u"roomId"_s, roomId}};
    QCOMPARE(count(u"fetch_messages"_s, room, u"messages"_s), 5); // the default, capped
    QJsonObject big = room;
    big.insert(u"limit"_s, 100);
    QCOMPARE(count(u"fetch_messages"_s, big, u"messages"_s), 5); // the maximum
    QJsonObject small = room;
    small.insert(u"limit"_s, 3);
    QCOMPARE(count(u"fetch_messages"_s, small, u"messages"_s), 3); // below it: as asked
    QCOMPARE(count(u"search_messages"_s, {{u"query"_s, u"page"_s}, {u"limit"_s, 50}}, u"messages"_s), 5);
    QCOMPARE(count(u"search_messages"_s, {{u"query"_s, u"page"_s}}, u"messages"_s), 5);
    QCOMPARE(count(u"search_messages"_s, {{u"query"_s, u"page"_s}, {u"limit"_s, 2}}, u"messages"_s), 2);
    QCOMPARE(count(u"list_mentions"_s, {}, u"items"_s), 5);
    QCOMPARE(count(u"list_mentions"_s, {{u"limit"_s, 100}}, u"items"_s), 5);
    QCOMPARE(count(u"list_mentions"_s, {{u"limit"_s, 4}}, u"items"_s), 4);
    QVERIFY(payloadOf(alice->request(u"fetch_messages"_s, big))[u"hasMore"_s].toBool());
}

// members, add-member, remove-member, set-owner against a running server:
// the members hear each change at once (the removed user's room_left too).
void TestAdminCli::groupMembersFromTheShell()
{
    const QString db = newDatabaseUrl(u"members"_s);
    const QStringList on{u"--db"_s, db};
    QProcess server;
    const QUrl url = startServer(server, db);
    QVERIFY(url.isValid());
    auto alice = signUpAt(url, u"alice"_s);
    auto bob = signUpAt(url, u"bob"_s);
    auto carol = signUpAt(url, u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 room = createGroup(*alice, u"Team 组"_s, {bob->userId});
    QVERIFY(room);
    const QString id = QString::number(room);
    const auto roles = [&] {
        QStringList list;
        for (const QJsonValue& m : jsonOf(admin(QStringList{u"members"_s, id, u"--json"_s} + on)))
            list.append(m[u"username"_s].toString() + u' ' + m[u"role"_s].toString());
        return list;
    };
    QCOMPARE(roles(), QStringList({u"alice owner"_s, u"bob member"_s}));

    Run run = admin(QStringList{u"add-member"_s, id, u"carol"_s} + on);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(!carol->waitFor(u"room"_s, 15000).isEmpty());
    QCOMPARE(roles(), QStringList({u"alice owner"_s, u"bob member"_s, u"carol member"_s}));

    run = admin(QStringList{u"remove-member"_s, id, u"bob"_s} + on);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject left = payloadOf(bob->waitFor(u"room_left"_s, 15000));
    QCOMPARE(left[u"reason"_s].toString(), u"removed"_s);
    QCOMPARE(errorCodeOf(bob->request(u"fetch_messages"_s, {{u"roomId"_s, double(room)}})), u"forbidden"_s);

    run = admin(QStringList{u"set-owner"_s, id, u"carol"_s} + on);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(!alice->waitFor(u"room_updated"_s, 15000).isEmpty());
    QCOMPARE(roles(), QStringList({u"alice admin"_s, u"carol owner"_s}));
    // The owner is not removed behind the group's back; a DM is no group.
    run = admin(QStringList{u"remove-member"_s, id, u"carol"_s} + on);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"set-owner"_s), qPrintable(run.err));
    const qint64 dm = openDm(*alice, carol->userId);
    QCOMPARE(admin(QStringList{u"members"_s, QString::number(dm)} + on).exitCode, 1);
    QCOMPARE(admin(QStringList{u"add-member"_s, id, u"nobody"_s} + on).exitCode, 1);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
}

CONFAB_TEST_GUILESS_MAIN(TestAdminCli)
#include "tst_admin_cli.moc"
