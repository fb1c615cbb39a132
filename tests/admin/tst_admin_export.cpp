// confab-server admin export / import between SQLite and PostgreSQL with
// real server processes: an export taken while people write is one snapshot;
// the original password still logs in, and history, search (Chinese too),
// unread counts, read markers, avatars and files survive the move both ways.
// (The refusals are in tst_admin_import.)
#include "../server/file_helpers.h"
#include "admin_process.h"
#include "scratch_postgres.h"
#include "test_client.h"
#include "test_server.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>

using namespace confab::test;

namespace {

// What a user sees, to compare before and after a move.
struct Snapshot {
    QList<qint64> historyIds;
    int unread = -1;
    qint64 searchHits = -1;
};

Snapshot snapshotOf(TestClient& bob, qint64 room)
{
    Snapshot s;
    const QJsonObject history = bob.request(
        QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), room}, {QStringLiteral("limit"), 100}});
    for (const QJsonValue& m : payloadOf(history).value(QLatin1String("messages")).toArray())
        s.historyIds.append(idOf(m.toObject().value(QLatin1String("id"))));
    const QJsonObject rooms = bob.request(QStringLiteral("list_rooms"));
    for (const QJsonValue& r : payloadOf(rooms).value(QLatin1String("rooms")).toArray()) {
        if (idOf(r.toObject().value(QLatin1String("id"))) == room)
            s.unread = r.toObject().value(QLatin1String("unreadCount")).toInt();
    }
    const QJsonObject found = bob.request(QStringLiteral("search_messages"),
                                          {{QStringLiteral("query"), QStringLiteral("季度计划")}});
    s.searchHits = payloadOf(found).value(QLatin1String("messages")).toArray().size();
    return s;
}

qint64 countRows(const QString& url, const QString& table)
{
    qint64 n = -1;
    {
        QSqlDatabase db = openTestDatabase(url, QStringLiteral("count"));
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table) && q.next())
            n = q.value(0).toLongLong();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("count"));
    return n;
}

// Sends `count` messages pipelined (group commit: quick on every backend)
// and returns the acknowledged ids.
QSet<qint64> sendPipelined(TestClient& sender, qint64 room, int count, int& sent)
{
    QStringList pending;
    for (int i = 0; i < count; ++i, ++sent) {
        pending.append(sender.sendWithId(QStringLiteral("send_message"),
                                         {{QStringLiteral("roomId"), room},
                                          {QStringLiteral("content"), QStringLiteral("message %1").arg(sent)},
                                          {QStringLiteral("tempId"), QStringLiteral("t-%1").arg(sent)}}));
    }
    QSet<qint64> acked;
    for (const QString& id : std::as_const(pending)) {
        const QJsonObject ack = sender.waitForReply(id);
        if (typeOf(ack) == QLatin1String("message_ack"))
            acked.insert(idOf(payloadOf(ack).value(QLatin1String("messageId"))));
    }
    return acked;
}

} // namespace

class TestAdminExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void exportWhileChattingIsOneSnapshot_data();
    void exportWhileChattingIsOneSnapshot();
    void sqliteToPostgres();
    void postgresToSqlite();

private:
    // Chats on `url`'s server: a group with a Chinese message and a mention,
    // bob reads up to a point, alice writes on. Returns the room.
    qint64 chat(const QUrl& url);
    void checkMovedServer(const QString& databaseUrl);
    QString file(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<ScratchPostgres>> m_postgres;
    qint64 m_room = 0;
    QByteArray m_avatar; // alice's picture (format 6)
    QByteArray m_file;   // an attachment of two chunks (format 7)
    qint64 m_fileId = 0;
    Snapshot m_before;
    QString m_pgUrl;
};

void TestAdminExport::initTestCase()
{
    QVERIFY2(QFile::exists(serverBinary()), "CONFAB_SERVER_BIN must name the built confab-server");
    QVERIFY(m_dir.isValid());
}

qint64 TestAdminExport::chat(const QUrl& url)
{
    auto alice = signUpAt(url, QStringLiteral("alice"));
    auto bob = signUpAt(url, QStringLiteral("bob"));
    if (!alice || !bob)
        return 0;
    const qint64 room = createGroup(*alice, QStringLiteral("计划"), {bob->userId});
    m_avatar = fakePng(3000);
    if (avatarIdIn(payloadOf(setAvatar(*alice, m_avatar))) != sha256Hex(m_avatar))
        return 0;
    openDm(*alice, bob->userId);
    m_file = randomBytes(limits::kFileChunkBytes + 1000);
    m_fileId = idIn(uploadWhole(*alice, room, m_file), "id");
    if (!m_fileId || !idIn(payloadOf(sendWithAttachments(*alice, room, attach({m_fileId}))), "messageId"))
        return 0;
    sendMessage(*alice, room, QStringLiteral("第三季度计划 draft"));
    const QJsonArray mention{QJsonObject{{QStringLiteral("userId"), bob->userId},
                                         {QStringLiteral("indexStart"), 0},
                                         {QStringLiteral("indexEnd"), 4}}};
    const qint64 read = sendMessage(*alice, room, QStringLiteral("@bob 看一下"), {}, mention);
    bob->request(QStringLiteral("mark_read"),
                 {{QStringLiteral("roomId"), room}, {QStringLiteral("messageId"), read}});
    for (int i = 0; i < 3; ++i)
        sendMessage(*alice, room, QStringLiteral("unread %1").arg(i));
    m_before = snapshotOf(*bob, room);
    return room;
}

// A server on the moved database: bob logs in with his original password
// and sees what he saw; new ids continue after the imported ones.
void TestAdminExport::checkMovedServer(const QString& databaseUrl)
{
    QProcess server;
    const QUrl url = startServerProcess(server, databaseUrl);
    QVERIFY(url.isValid());
    TestClient bob;
    QVERIFY(bob.open(url));
    QVERIFY(bob.signIn(QStringLiteral("bob")));
    const Snapshot after = snapshotOf(bob, m_room);
    QCOMPARE(after.historyIds, m_before.historyIds);
    QCOMPARE(after.unread, 3);
    QCOMPARE(after.unread, m_before.unread);
    QCOMPARE(after.searchHits, 1);
    // Alice's avatar moved with her (the avatars table, users.avatar_id).
    const QJsonObject avatar = fetchAvatar(bob, sha256Hex(m_avatar));
    QCOMPARE(QByteArray::fromBase64(payloadOf(avatar).value(QLatin1String("data")).toString().toLatin1()),
             m_avatar);
    // The attachment moved with its message, byte for byte (files, file_chunks).
    QCOMPARE(download(bob, m_fileId), m_file);
    const qint64 next = sendMessage(bob, m_room, QStringLiteral("moved"));
    QVERIFY(next > m_before.historyIds.last());
    bob.close();
    QVERIFY(stopServerProcess(server));
}

void TestAdminExport::exportWhileChattingIsOneSnapshot_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

// Writes land while the export is half-way through: it writes into a FIFO
// that this test stops reading once the messages table has begun, so the
// exporter blocks mid-table holding its snapshot. Then alice sends more and
// a new user signs up, opens a room and writes. The file must hold every
// message acknowledged before the export and nothing written after it
// started (one snapshot: with a fresh read per page the new rows would show
// up, the new user's message without its user), and import cleanly.
void TestAdminExport::exportWhileChattingIsOneSnapshot()
{
    QFETCH(bool, postgres);
    QString database = QStringLiteral("sqlite:") + file(QStringLiteral("busy.db"));
    if (postgres) {
        CONFAB_REQUIRE_POSTGRES();
        m_postgres.push_back(std::make_unique<ScratchPostgres>());
        database = m_postgres.back()->url();
    }
    QProcess server;
    const QUrl url = startServerProcess(server, database);
    QVERIFY(url.isValid());
    auto alice = signUpAt(url, QStringLiteral("alice"));
    QVERIFY(alice);
    const qint64 room = createGroup(*alice, QStringLiteral("busy"), {});
    int sent = 0;
    QSet<qint64> ackedBefore;
    for (int batch = 0; batch < 10; ++batch) // 5,000 rows: far more than a pipe buffer
        ackedBefore += sendPipelined(*alice, room, 500, sent);
    QCOMPARE(ackedBefore.size(), 5000);

    const QString fifo = file(postgres ? QStringLiteral("busy-pg.fifo") : QStringLiteral("busy.fifo"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    // The read end first (non-blocking, or the open would wait for a
    // writer), then QProcess opens the write end for the child's stdout.
    const int readEnd = ::open(QFile::encodeName(fifo).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    QVERIFY(readEnd >= 0);
    QProcess exportRun;
    exportRun.setStandardOutputFile(fifo);
    startAdmin(exportRun, {QStringLiteral("export"), QStringLiteral("--db"), database, QStringLiteral("-")});
    QVERIFY(exportRun.waitForStarted(5000));
    QCOMPARE(::fcntl(readEnd, F_SETFL, ::fcntl(readEnd, F_GETFL) & ~O_NONBLOCK), 0);
    QFile pipe;
    QVERIFY(pipe.open(readEnd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle));
    QByteArray text;
    for (;;) {
        const QByteArray line = pipe.readLine();
        QVERIFY2(!line.isEmpty(), "the export ended before its messages");
        text += line;
        if (line.contains(R"("table":"messages")"))
            break;
    }
    QVERIFY(exportRun.state() == QProcess::Running); // blocked on the full pipe

    const QSet<qint64> ackedDuring = sendPipelined(*alice, room, 50, sent);
    QCOMPARE(ackedDuring.size(), 50);
    auto late = signUpAt(url, QStringLiteral("late"));
    QVERIFY(late);
    const qint64 lateRoom = createGroup(*late, QStringLiteral("late"), {alice->userId});
    QVERIFY(sendMessage(*late, lateRoom, QStringLiteral("hello")) > 0);

    text += pipe.readAll(); // to the exporter's end
    const AdminRun run = finishAdmin(exportRun);
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    alice.reset();
    late.reset();
    QVERIFY(stopServerProcess(server));

    QSet<qint64> exported;
    QSet<qint64> users;
    qint64 footerMessages = -1;
    for (const QByteArray& raw : text.split('\n')) {
        const QJsonObject line = QJsonDocument::fromJson(raw).object();
        const QString table = line.value(QLatin1String("table")).toString();
        if (table == QLatin1String("messages"))
            exported.insert(idOf(line.value(QLatin1String("row")).toArray().at(0)));
        if (table == QLatin1String("users"))
            users.insert(idOf(line.value(QLatin1String("row")).toArray().at(0)));
        if (line.value(QLatin1String("end")).toBool())
            footerMessages =
                line.value(QLatin1String("counts")).toObject().value(QLatin1String("messages")).toInteger();
    }
    QCOMPARE(footerMessages, qint64(exported.size()));
    QVERIFY(exported.contains(ackedBefore));
    QCOMPARE(exported.size(), ackedBefore.size()); // nothing written after the start
    QCOMPARE(users.size(), 1);

    const QString jsonl = file(postgres ? QStringLiteral("busy-pg.jsonl") : QStringLiteral("busy.jsonl"));
    QFile out(jsonl);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(text);
    out.close();
    const QString copy = QStringLiteral("sqlite:") +
                         file(postgres ? QStringLiteral("busy-pg-copy.db") : QStringLiteral("busy-copy.db"));
    const AdminRun imported = runAdmin({QStringLiteral("import"), QStringLiteral("--db"), copy, jsonl});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.errorText));
}

void TestAdminExport::sqliteToPostgres()
{
    CONFAB_REQUIRE_POSTGRES();
    const QString source = QStringLiteral("sqlite:") + file(QStringLiteral("source.db"));
    QProcess server;
    const QUrl url = startServerProcess(server, source);
    QVERIFY(url.isValid());
    m_room = chat(url);
    QVERIFY(m_room > 0);
    QCOMPARE(m_before.unread, 3);
    QCOMPARE(m_before.searchHits, 1);
    // Exported while the server runs; sessions left out by default.
    const AdminRun exported =
        runAdmin({QStringLiteral("export"), QStringLiteral("--db"), source, file(QStringLiteral("s.jsonl"))});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.errorText));
    QVERIFY(stopServerProcess(server));
    QFile jsonl(file(QStringLiteral("s.jsonl")));
    QVERIFY(jsonl.open(QIODevice::ReadOnly));
    const QJsonObject header = QJsonDocument::fromJson(jsonl.readLine()).object();
    QCOMPARE(header.value(QLatin1String("format")).toString(), QStringLiteral("confab-export"));
    QCOMPARE(header.value(QLatin1String("backend")).toString(), QStringLiteral("sqlite"));
    QVERIFY(!header.value(QLatin1String("tables")).toObject().contains(QLatin1String("tokens")));

    m_postgres.push_back(std::make_unique<ScratchPostgres>());
    QVERIFY2(m_postgres.back()->isValid(), qPrintable(m_postgres.back()->error()));
    m_pgUrl = m_postgres.back()->url();
    const AdminRun imported = runAdmin(
        {QStringLiteral("import"), QStringLiteral("--db"), m_pgUrl, file(QStringLiteral("s.jsonl"))});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.errorText));
    QVERIFY2(imported.errorText.contains(QLatin1String("2 users")), qPrintable(imported.errorText));
    checkMovedServer(m_pgUrl);
}

void TestAdminExport::postgresToSqlite()
{
    CONFAB_REQUIRE_POSTGRES();
    QVERIFY2(!m_pgUrl.isEmpty(), "needs sqliteToPostgres");
    // The PostgreSQL database now also holds bob's "moved": it is the new truth.
    QProcess server;
    QUrl url = startServerProcess(server, m_pgUrl);
    QVERIFY(url.isValid());
    QString bobsToken; // a signed-in session, exported with --with-sessions
    {
        TestClient bob;
        QVERIFY(bob.open(url));
        QVERIFY(bob.signIn(QStringLiteral("bob")));
        m_before = snapshotOf(bob, m_room);
        bobsToken = bob.token;
    }
    QVERIFY(!bobsToken.isEmpty());
    const AdminRun exported = runAdmin({QStringLiteral("export"), QStringLiteral("--with-sessions"),
                                        QStringLiteral("--db"), m_pgUrl, file(QStringLiteral("p.jsonl"))});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.errorText));
    QVERIFY2(exported.errorText.contains(QLatin1String("tokens")), qPrintable(exported.errorText));
    QVERIFY(stopServerProcess(server));

    const QString target = QStringLiteral("sqlite:") + file(QStringLiteral("target.db"));
    const AdminRun imported =
        runAdmin({QStringLiteral("import"), QStringLiteral("--db"), target, file(QStringLiteral("p.jsonl"))});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.errorText));
    QVERIFY(countRows(target, QStringLiteral("tokens")) > 0);
    QCOMPARE(m_before.unread, 3); // bob's own "moved" is not unread for him
    QProcess check;
    url = startServerProcess(check, target);
    QVERIFY(url.isValid());
    TestClient resumed; // the session goes on without a password
    QVERIFY(resumed.open(url));
    QCOMPARE(typeOf(resumed.request(QStringLiteral("auth"), {{QStringLiteral("token"), bobsToken}})),
             QStringLiteral("auth_ok"));
    TestClient bob;
    QVERIFY(bob.open(url));
    QVERIFY(bob.signIn(QStringLiteral("bob")));
    const Snapshot after = snapshotOf(bob, m_room);
    QCOMPARE(after.historyIds, m_before.historyIds);
    QCOMPARE(after.unread, m_before.unread);
    QCOMPARE(after.searchHits, 1);
    QVERIFY(sendMessage(bob, m_room, QStringLiteral("back on sqlite")) > m_before.historyIds.last());
    bob.close();
    QVERIFY(stopServerProcess(check));
}

CONFAB_TEST_MAIN(TestAdminExport)
#include "tst_admin_export.moc"
