// Nothing typed is lost, end to end: the client runs as a child process
// (this executable with --child) against a real server in this process.
// With the server down it queues three messages, keeps a draft and marks a
// room read; it is then killed with SIGKILL. The next start sends the three
// exactly once, in order, with the tempIds the store held, brings the draft
// back, and the read marker reaches the server (its unread count is 0).
#include "client_app_fixture.h"
#include "dependency.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace confab;
using namespace confab::test;
using client::ChatClient;

namespace {

const QString kDraft = QStringLiteral("half a thought, kept ☕");

void say(const QString& line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

// The child: --child MODE URL PROFILE STORE ROOM. "queue": signs in, opens
// the room behind an inactive window, and once the server is gone marks it
// read, keeps a draft and sends three messages; then waits to be killed.
// "resume": signs in and reports once the draft is back and the outbox empty.
int runChild(int argc, char* argv[])
{
    QGuiApplication app(argc, argv);
    ClientFixture::prepareEnvironment();
    const QStringList args = app.arguments();
    if (args.size() != 7)
        return 2;
    const QString mode = args.at(2);
    const QUrl url(args.at(3));
    const Id room = args.at(6).toLongLong();
    ChatClient::Options options;
    options.profile = args.at(4);
    options.storePath = args.at(5);
    options.keychainService = QStringLiteral("ConfabTest");
    options.autoResume = false;
    ChatClient client(options);
    client.session()->setReconnectDelays(100, 500);
    if (mode == QLatin1String("queue"))
        client.setWindowActive(false); // the page loads without marking it read
    if (!ClientFixture::signIn(client, url, QStringLiteral("mei"))) {
        say(QStringLiteral("error: sign-in"));
        return 3;
    }
    if (mode == QLatin1String("queue")) {
        if (!ClientFixture::openRoom(client, room)) {
            say(QStringLiteral("error: open"));
            return 3;
        }
        say(QStringLiteral("ready"));
        if (!QTest::qWaitFor([&] { return client.session()->state() != client::Session::State::Online; },
                             20000)) {
            say(QStringLiteral("error: still online"));
            return 3;
        }
        // Read while offline: the page opened with the "New messages" line,
        // so the read marker follows what the view has shown (Conversation.qml
        // calls markSeen as rows scroll by); here it showed down to the newest.
        client.setWindowActive(true);
        client.conversation()->markSeen(double(client.conversation()->messages()->newestId()));
        for (int i = 1; i <= 3; ++i)
            client.composer()->sendMessage(QStringLiteral("queued %1").arg(i), {});
        client.composer()->saveDraft(double(room), kDraft); // typed after them (a send clears the draft)
        say(QStringLiteral("queued"));
        return app.exec(); // until SIGKILL
    }
    const bool done = QTest::qWaitFor(
        [&] {
            return !client.composer()->draft(double(room)).isEmpty() && client.composer()->unsentCount() == 0;
        },
        20000);
    say(QStringLiteral("draft:") + client.composer()->draft(double(room)));
    say(done ? QStringLiteral("sent")
             : QStringLiteral("error: unsent %1").arg(client.composer()->unsentCount()));
    return done ? 0 : 3;
}

bool waitForLine(QProcess& child, const QString& line, QStringList* seen)
{
    return QTest::qWaitFor(
               [&] {
                   while (child.canReadLine()) {
                       const QString got = QString::fromUtf8(child.readLine()).trimmed();
                       seen->append(got);
                       if (got.startsWith(QLatin1String("error")))
                           return true;
                   }
                   return seen->contains(line) || child.state() == QProcess::NotRunning;
               },
               30000) &&
           seen->contains(line);
}

// What the store file holds right now, read as another process would.
QStringList storedTempIds(const QString& path, int* markers, int* drafts)
{
    QStringList ids;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT temp_id FROM outbox ORDER BY seq"))) {
                while (q.next())
                    ids.append(q.value(0).toString());
            }
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM read_markers")) && q.next())
                *markers = q.value(0).toInt();
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM drafts")) && q.next())
                *drafts = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    return ids;
}

int unreadOf(TestClient& c, qint64 roomId)
{
    const QJsonArray rooms =
        payloadOf(c.request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    for (const QJsonValue& r : rooms) {
        if (idOf(r.toObject().value(QLatin1String("id"))) == roomId)
            return r.toObject().value(QLatin1String("unreadCount")).toInt();
    }
    return -1;
}

} // namespace

class TestClientKeepE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        CONFAB_REQUIRE_TEST_BACKEND();
        ClientFixture::prepareEnvironment();
    }
    void killedWithQueuedSendsSendsThemOnce();
};

void TestClientKeepE2e::killedWithQueuedSendsSendsThemOnce()
{
    const quint16 port = ClientFixture::freePort();
    QVERIFY(port != 0);
    TestServer server(fixedPortConfig(port));
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 room = createGroup(*bob, QStringLiteral("keep"), {mei->userId});
    for (int i = 0; i < 5; ++i)
        QVERIFY(sendMessage(*bob, room, QStringLiteral("from bob %1").arg(i)) != 0);
    QCOMPARE(unreadOf(*mei, room), 5);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString store = dir.filePath(QStringLiteral("store.sqlite"));
    const QString profile = QStringLiteral("keep-e2e");
    auto childArgs = [&](const QString& mode) {
        return QStringList{QStringLiteral("--child"), mode, server.url().toString(), profile, store,
                           QString::number(room)};
    };

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_LOGGING_RULES"),
               QStringLiteral("confab.client.session.debug=false;confab.client.session.info=false"));
    QProcess first;
    first.setProcessEnvironment(env);
    first.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    first.start(QCoreApplication::applicationFilePath(), childArgs(QStringLiteral("queue")));
    QStringList seen;
    QVERIFY2(waitForLine(first, QStringLiteral("ready"), &seen), qPrintable(seen.join(QLatin1Char('|'))));
    server.stop();
    QVERIFY2(waitForLine(first, QStringLiteral("queued"), &seen), qPrintable(seen.join(QLatin1Char('|'))));
    // Killed once all three are on disk (written by the store's thread).
    int markers = 0;
    int drafts = 0;
    QStringList tempIds;
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     tempIds = storedTempIds(store, &markers, &drafts);
                     return tempIds.size() == 3 && markers == 1 && drafts == 1;
                 },
                 10000),
             qPrintable(QStringLiteral("stored: %1 sends, %2 markers, %3 drafts")
                            .arg(tempIds.size())
                            .arg(markers)
                            .arg(drafts)));
    first.kill(); // SIGKILL: no destructor, no last write
    QVERIFY(first.waitForFinished(10000));
    QCOMPARE(first.exitStatus(), QProcess::CrashExit);

    QVERIFY(server.start());
    QProcess second;
    second.setProcessEnvironment(env);
    second.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    second.start(QCoreApplication::applicationFilePath(), childArgs(QStringLiteral("resume")));
    seen.clear();
    QVERIFY2(waitForLine(second, QStringLiteral("sent"), &seen), qPrintable(seen.join(QLatin1Char('|'))));
    QVERIFY(seen.contains(QStringLiteral("draft:") + kDraft));
    // It may have exited already while its last lines were read (then
    // waitForFinished() says false at once).
    QVERIFY(second.state() == QProcess::NotRunning || second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 0);

    auto reader = connectAs(server.url(), *bob);
    QVERIFY(reader);
    const QList<QJsonObject> history = serverHistory(*reader, room);
    QStringList mine;
    QStringList mineTempIds;
    for (const QJsonObject& m : history) {
        if (idOf(m.value(QLatin1String("senderId"))) == mei->userId) {
            mine.append(m.value(QLatin1String("content")).toString());
            mineTempIds.append(m.value(QLatin1String("tempId")).toString());
        }
    }
    QCOMPARE(mine, (QStringList{QStringLiteral("queued 1"), QStringLiteral("queued 2"),
                                QStringLiteral("queued 3")}));
    QCOMPARE(mineTempIds, tempIds);

    // The room read offline is read on the server; the store is empty again.
    auto meiAgain = connectAs(server.url(), *mei);
    QVERIFY(meiAgain);
    QCOMPARE(unreadOf(*meiAgain, room), 0);
    QVERIFY(QTest::qWaitFor([&] { return storedTempIds(store, &markers, &drafts).isEmpty() && markers == 0; },
                            5000));
}

CONFAB_TEST_MAIN_WRAPPER(TestClientKeepE2e,
                         if (argc > 1 && qstrcmp(argv[1], "--child") == 0) return runChild(argc, argv);
                         QTEST_MAIN_SETUP())
#include "tst_client_keep_e2e.moc"
