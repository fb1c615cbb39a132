// confab-server as a process: command line, clean shutdown on signals, and a
// kill -9 in the middle of a burst of sends that must lose no acked message.
#include "server_process.h"
#include "test_client.h"
#include "test_server.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace confab::test;

namespace {
QString serverBinary()
{
    return qEnvironmentVariable("CONFAB_SERVER_BIN");
}

// Starts confab-server and waits for its "listening on ws://..." line.
QUrl startServer(QProcess& process, const QStringList& arguments)
{
    // The operations port on a free one: suites run in parallel.
    return startListening(process,
                          arguments + QStringList{QStringLiteral("--ops-port"), QStringLiteral("0")});
}
} // namespace

class TestServerProcess : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void helpListsEveryOption();
    void unsupportedDatabasesAreRefusedClearly_data();
    void unsupportedDatabasesAreRefusedClearly();
    void missingPostgresDriverIsNamed();
    void exitsCleanlyOnSignal_data();
    void exitsCleanlyOnSignal();
    void killDuringBurstLosesNoAckedMessage();
    void killAfterAckedChangesKeepsThem();
    void jsonLogsAreOneObjectPerLine();

private:
    // A new database for one server run: a SQLite file, or a scratch
    // PostgreSQL database in the *_pg run (kept until the suite ends).
    QString newDatabaseUrl(const QString& name);

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<ScratchPostgres>> m_postgres;
};

QString TestServerProcess::newDatabaseUrl(const QString& name)
{
    if (!TestServer::usesPostgres())
        return QStringLiteral("sqlite:") + m_dir.filePath(name + QStringLiteral(".db"));
    m_postgres.push_back(std::make_unique<ScratchPostgres>());
    if (!m_postgres.back()->isValid())
        qWarning("no PostgreSQL database: %s", qPrintable(m_postgres.back()->error()));
    return m_postgres.back()->url();
}

void TestServerProcess::initTestCase()
{
    CONFAB_REQUIRE_TEST_BACKEND();
    QVERIFY2(QFile::exists(serverBinary()), "CONFAB_SERVER_BIN must name the built confab-server");
    QVERIFY(m_dir.isValid());
}

void TestServerProcess::helpListsEveryOption()
{
    QProcess p;
    p.start(serverBinary(), {QStringLiteral("--help")});
    QVERIFY(p.waitForFinished(5000));
    QCOMPARE(p.exitCode(), 0);
    const QString help = QString::fromUtf8(p.readAllStandardOutput()).simplified(); // help text wraps
    for (const char* option :
         {"--host", "--port", "--db", "--max-frame-bytes", "--max-content-length", "--auth-timeout-ms",
          "--send-rate", "--send-burst", "--min-password-length", "--token-lifetime-days",
          "--address-login-failure-burst", "--max-unsent-bytes", "--hash-threads", "--trusted-proxy",
          "--cluster-heartbeat-ms", "--config", "--ops-host", "--ops-port", "--log-format"})
        QVERIFY2(help.contains(QLatin1String(option)), option);
    for (const char* option : {"--edit-window-s", "--delete-window-s", "--change-rate", "--change-burst"})
        QVERIFY2(help.contains(QLatin1String(option)), option); // the message lifecycle
    for (const char* option : {"--registration", "--history-page-size"}) // administration: docs/admin.md
        QVERIFY2(help.contains(QLatin1String(option)), option);
    QVERIFY(help.contains(QLatin1String("default: 7860")));
}

void TestServerProcess::unsupportedDatabasesAreRefusedClearly_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    QTcpServer probe; // a port nobody listens on: closed right after the OS picked it
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString unreachable = QStringLiteral("postgresql://confab:pw@127.0.0.1:%1/confab").arg(port);
    QTest::newRow("unreachable postgresql")
        << QStringList{QStringLiteral("--db"), unreachable}
        << QStringLiteral("cannot open the database \"confab\" on PostgreSQL at 127.0.0.1:%1 (user confab): "
                          "connection to server at \"127.0.0.1\", port %1 failed: Connection refused")
               .arg(port);
    QTest::newRow("unknown scheme") << QStringList{QStringLiteral("--db"), QStringLiteral("mysql://x")}
                                    << QStringLiteral("mysql");
    QTest::newRow("bad port") << QStringList{QStringLiteral("--port"), QStringLiteral("99999")}
                              << QStringLiteral("--port");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")}
                                    << QStringLiteral("frobnicate");
}

void TestServerProcess::unsupportedDatabasesAreRefusedClearly()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    QProcess p;
    if (!arguments.contains(QStringLiteral("--port")))
        arguments << QStringLiteral("--port") << QStringLiteral("0");
    p.start(serverBinary(), arguments);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY(p.exitCode() != 0);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(expected, Qt::CaseInsensitive), qPrintable(err));
}

// Without the Qt PostgreSQL driver, a postgresql:// --db says which Debian
// package is missing. A copy of the binary with a qt.conf pointing at an
// empty plugin directory sees no SQL driver at all.
void TestServerProcess::missingPostgresDriverIsNamed()
{
    const QString dir = m_dir.filePath(QStringLiteral("no-drivers"));
    QVERIFY(QDir().mkpath(dir));
    const QString binary = dir + QStringLiteral("/confab-server");
    QVERIFY(QFile::copy(serverBinary(), binary));
    QFile conf(dir + QStringLiteral("/qt.conf"));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[Paths]\nPlugins = " + QFile::encodeName(dir) + "/plugins\n");
    conf.close();
    QProcess p;
    p.start(binary, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--db"),
                     QStringLiteral("postgresql://confab:pw@127.0.0.1:5432/confab")});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 1);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(
        err.contains(QLatin1String("Qt SQL driver QPSQL is not installed (Debian package libqt6sql6-psql)")),
        qPrintable(err));
}

void TestServerProcess::exitsCleanlyOnSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestServerProcess::exitsCleanlyOnSignal()
{
    QFETCH(int, signal);
    QProcess p;
    const QUrl url = startServer(p, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--db"),
                                     newDatabaseUrl(QStringLiteral("signal-%1").arg(signal))});
    QVERIFY(url.isValid());
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1")); // the default host
    TestClient c;
    QVERIFY(c.open(url));
    QVERIFY(c.signUp(QStringLiteral("alice")));
    ::kill(pid_t(p.processId()), signal);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(QTest::qWaitFor([&] { return c.wasDisconnected(); }, 5000));
}

void TestServerProcess::killDuringBurstLosesNoAckedMessage()
{
    const QString db = newDatabaseUrl(QStringLiteral("kill9"));
    const QStringList args = {QStringLiteral("--port"),       QStringLiteral("0"),
                              QStringLiteral("--db"),         db,
                              QStringLiteral("--send-burst"), QStringLiteral("100000"),
                              QStringLiteral("--send-rate"),  QStringLiteral("100000")};
    QProcess server;
    QUrl url = startServer(server, args);
    QVERIFY(url.isValid());

    constexpr int kSenders = 3, kPerSender = 400;
    std::vector<std::unique_ptr<TestClient>> senders;
    for (int i = 0; i < kSenders; ++i) {
        senders.push_back(std::make_unique<TestClient>());
        QVERIFY(senders.back()->open(url));
        QVERIFY(senders.back()->signUp(QStringLiteral("sender%1").arg(i)));
    }
    QJsonArray members;
    for (int i = 1; i < kSenders; ++i)
        members.append(double(senders[i]->userId));
    const QJsonObject created =
        senders[0]->request(QStringLiteral("create_room"), {{QStringLiteral("name"), QStringLiteral("burst")},
                                                            {QStringLiteral("memberIds"), members}});
    const qint64 room =
        idOf(payloadOf(created).value(QLatin1String("room")).toObject().value(QLatin1String("id")));
    QVERIFY(room > 0);

    // Every sender pipelines its whole burst; kill -9 once some acks are in.
    auto contentFor = [](const QString& tempId) {
        return QStringLiteral("burst message %1 突发").arg(tempId);
    };
    QHash<QString, qint64> acked; // tempId -> messageId
    QStringList allTempIds;
    for (int s = 0; s < kSenders; ++s) {
        for (int i = 0; i < kPerSender; ++i) {
            const QString tempId = QStringLiteral("s%1-%2").arg(s).arg(i);
            allTempIds.append(tempId);
            senders[s]->sendWithId(QStringLiteral("send_message"),
                                   {{QStringLiteral("roomId"), double(room)},
                                    {QStringLiteral("content"), contentFor(tempId)},
                                    {QStringLiteral("tempId"), tempId}});
        }
    }
    auto collectAcks = [&] {
        for (auto& s : senders) {
            for (const QJsonObject& ack : s->takeAll(QStringLiteral("message_ack"))) {
                const QJsonObject p = payloadOf(ack);
                acked.insert(p.value(QLatin1String("tempId")).toString(),
                             idOf(p.value(QLatin1String("messageId"))));
            }
        }
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            collectAcks();
            return acked.size() >= 150;
        },
        30000));
    server.kill(); // SIGKILL: no shutdown code runs
    QVERIFY(server.waitForFinished(5000));
    QTest::qWait(200);
    collectAcks(); // acks that were already on the wire count too
    QVERIFY2(acked.size() < kSenders * kPerSender, "the burst finished before the kill; nothing was tested");
    qInfo("killed after %d of %d sends were acked", int(acked.size()), kSenders * kPerSender);

    QProcess restarted;
    url = startServer(restarted, args);
    QVERIFY(url.isValid());
    TestClient reader;
    QVERIFY(reader.open(url));
    QVERIFY(reader.signIn(QStringLiteral("sender1")));
    auto readAll = [&] {
        QHash<qint64, QJsonObject> byId;
        QJsonObject page = payloadOf(
            reader.request(QStringLiteral("fetch_messages"),
                           {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("limit"), 100}}));
        for (;;) {
            const QJsonArray messages = page.value(QLatin1String("messages")).toArray();
            for (const QJsonValue& m : messages)
                byId.insert(idOf(m.toObject().value(QLatin1String("id"))), m.toObject());
            if (!page.value(QLatin1String("hasMore")).toBool() || messages.isEmpty())
                break;
            page = payloadOf(
                reader.request(QStringLiteral("fetch_messages"),
                               {{QStringLiteral("roomId"), double(room)},
                                {QStringLiteral("limit"), 100},
                                {QStringLiteral("beforeId"),
                                 double(idOf(messages.first().toObject().value(QLatin1String("id"))))}}));
        }
        return byId;
    };
    const auto stored = readAll();
    for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
        QVERIFY2(stored.contains(it.value()), qPrintable(QStringLiteral("acked %1 lost").arg(it.key())));
        QCOMPARE(stored.value(it.value()).value(QLatin1String("tempId")).toString(), it.key());
        QCOMPARE(stored.value(it.value()).value(QLatin1String("content")).toString(), contentFor(it.key()));
    }

    // Clients retry everything not acked with the same tempIds: nothing is
    // stored twice, and the retries of already-acked sends ack the same ids.
    std::vector<std::unique_ptr<TestClient>> retry;
    for (int s = 0; s < kSenders; ++s) {
        retry.push_back(std::make_unique<TestClient>());
        QVERIFY(retry.back()->open(url));
        QVERIFY(retry.back()->signIn(QStringLiteral("sender%1").arg(s)));
    }
    for (const QString& tempId : std::as_const(allTempIds)) {
        const int s = tempId.mid(1, tempId.indexOf(QLatin1Char('-')) - 1).toInt();
        const QJsonObject ack = retry[s]->request(QStringLiteral("send_message"),
                                                  {{QStringLiteral("roomId"), double(room)},
                                                   {QStringLiteral("content"), contentFor(tempId)},
                                                   {QStringLiteral("tempId"), tempId}});
        QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
        if (acked.contains(tempId))
            QCOMPARE(idOf(payloadOf(ack).value(QLatin1String("messageId"))), acked.value(tempId));
    }
    QCOMPARE(readAll().size(), kSenders * kPerSender);
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10000));
}

// kill -9 right behind a pipelined burst of edits, reactions and deletes:
// every change answered `ok` is there after the restart.
void TestServerProcess::killAfterAckedChangesKeepsThem()
{
    const QString db = newDatabaseUrl(QStringLiteral("kill9changes"));
    const QStringList args = {QStringLiteral("--port"),         QStringLiteral("0"),
                              QStringLiteral("--db"),           db,
                              QStringLiteral("--send-burst"),   QStringLiteral("100000"),
                              QStringLiteral("--change-burst"), QStringLiteral("100000"),
                              QStringLiteral("--change-rate"),  QStringLiteral("100000")};
    QProcess server;
    QUrl url = startServer(server, args);
    QVERIFY(url.isValid());
    TestClient alice;
    QVERIFY(alice.open(url));
    QVERIFY(alice.signUp(QStringLiteral("alice")));
    const QJsonObject created = alice.request(QStringLiteral("create_room"), {{QStringLiteral("name"), QStringLiteral("k")}});
    const qint64 room = idOf(payloadOf(created).value(QLatin1String("room")).toObject().value(QLatin1String("id")));
    QVERIFY(room > 0);
    constexpr int kMessages = 600;
    QList<qint64> ids;
    for (int i = 0; i < kMessages; ++i)
        alice.sendWithId(QStringLiteral("send_message"), {{QStringLiteral("roomId"), double(room)},
                                                          {QStringLiteral("content"), QStringLiteral("v1 %1").arg(i)},
                                                          {QStringLiteral("tempId"), QStringLiteral("k%1").arg(i)}});
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const QJsonObject& ack : alice.takeAll(QStringLiteral("message_ack")))
                ids.append(idOf(payloadOf(ack).value(QLatin1String("messageId"))));
            return ids.size() == kMessages;
        },
        30000));
    // Pipelined: message i is edited (i % 3 == 0), reacted to (1) or deleted (2).
    QHash<QString, int> changeOf; // request id -> message index
    for (int i = 0; i < kMessages; ++i) {
        const double id = double(ids.at(i));
        QString requestId;
        if (i % 3 == 0)
            requestId = alice.sendWithId(QStringLiteral("edit_message"), {{QStringLiteral("messageId"), id},
                                                                          {QStringLiteral("content"), QStringLiteral("v2 %1").arg(i)}});
        else if (i % 3 == 1)
            requestId = alice.sendWithId(QStringLiteral("react"), {{QStringLiteral("messageId"), id},
                                                                   {QStringLiteral("emoji"), QStringLiteral("👍")},
                                                                   {QStringLiteral("on"), true}});
        else
            requestId = alice.sendWithId(QStringLiteral("delete_message"), {{QStringLiteral("messageId"), id}});
        changeOf.insert(requestId, i);
    }
    QSet<int> acked;
    auto collect = [&] {
        for (const QJsonObject& ok : alice.takeAll(QStringLiteral("ok")))
            acked.insert(changeOf.value(ok.value(QLatin1String("id")).toString(), -1));
    };
    QVERIFY(QTest::qWaitFor(
        [&] {
            collect();
            return acked.size() >= 30;
        },
        30000));
    server.kill(); // SIGKILL right behind the oks
    QVERIFY(server.waitForFinished(5000));
    QTest::qWait(200);
    collect();
    acked.remove(-1);
    QVERIFY2(acked.size() < kMessages, "every change was acked before the kill; nothing was tested");
    qInfo("killed after %d of %d changes were acked", int(acked.size()), kMessages);

    QProcess restarted;
    url = startServer(restarted, args);
    QVERIFY(url.isValid());
    TestClient reader;
    QVERIFY(reader.open(url));
    QVERIFY(reader.signIn(QStringLiteral("alice")));
    QHash<qint64, QJsonObject> byId;
    qint64 after = 0;
    for (;;) { // every message, through fetch_changes from the start
        const QJsonObject page = payloadOf(reader.request(QStringLiteral("fetch_changes"),
                                                          {{QStringLiteral("roomId"), double(room)},
                                                           {QStringLiteral("afterRevision"), double(after)},
                                                           {QStringLiteral("limit"), 100}}));
        const QJsonArray messages = page.value(QLatin1String("messages")).toArray();
        for (const QJsonValue& m : messages) {
            byId.insert(idOf(m.toObject().value(QLatin1String("id"))), m.toObject());
            after = qint64(m.toObject().value(QLatin1String("revision")).toDouble());
        }
        if (!page.value(QLatin1String("hasMore")).toBool() || messages.isEmpty())
            break;
    }
    QCOMPARE(byId.size(), kMessages);
    for (int i : std::as_const(acked)) {
        const QJsonObject m = byId.value(ids.at(i));
        if (i % 3 == 0)
            QCOMPARE(m.value(QLatin1String("content")).toString(), QStringLiteral("v2 %1").arg(i));
        else if (i % 3 == 1)
            QCOMPARE(m.value(QLatin1String("reactions")).toArray().size(), 1);
        else
            QVERIFY2(m.value(QLatin1String("deleted")).toBool(), qPrintable(QString::number(i)));
    }
    restarted.terminate();
    QVERIFY(restarted.waitForFinished(10000));
}

void TestServerProcess::jsonLogsAreOneObjectPerLine()
{
    QProcess p;
    const QUrl url = startServer(p, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--db"),
                                     newDatabaseUrl(QStringLiteral("json-logs")),
                                     QStringLiteral("--log-format"), QStringLiteral("json")});
    QVERIFY(url.isValid());
    TestClient c;
    QVERIFY(c.open(url));
    QVERIFY(c.signUp(QStringLiteral("小明")));
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(10000));
    const QList<QByteArray> lines = p.readAllStandardError().split('\n');
    int signIns = 0, parsed = 0;
    for (const QByteArray& line : lines) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonObject event = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        ++parsed;
        for (const char* key : {"ts", "level", "category", "msg"})
            QVERIFY2(event.contains(QLatin1String(key)), line.constData());
        QVERIFY(event.value(QLatin1String("ts")).toString().endsWith(QLatin1Char('Z')));
        const QString msg = event.value(QLatin1String("msg")).toString();
        if (msg.contains(QStringLiteral("小明")) && msg.contains(QLatin1String("signed in")))
            ++signIns;
    }
    QVERIFY(parsed >= 3); // database and listening, sign-in, shutdown
    QCOMPARE(signIns, 1);
}

CONFAB_TEST_MAIN(TestServerProcess)
#include "tst_server_process.moc"
