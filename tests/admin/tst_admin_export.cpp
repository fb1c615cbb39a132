// confab-server admin export / import between SQLite and PostgreSQL with
// real server processes: the original password still logs in, history,
// search (Chinese too), unread counts and read markers survive both ways; an
// import into a non-empty database, a damaged file or a newer format is
// refused and leaves the target empty; memory stays flat on a larger export.
#include "admin_process.h"
#include "scratch_postgres.h"
#include "test_client.h"
#include "test_server.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
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

// Peak RSS of a command run under /usr/bin/time -v, in KiB (-1 if unknown).
qint64 peakRssKiB(const QString& timeOutput)
{
    const QRegularExpression line(QStringLiteral("Maximum resident set size \\(kbytes\\): (\\d+)"));
    const auto match = line.match(timeOutput);
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
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
    void importIntoNonEmptyDatabaseIsRefused();
    void damagedExportsLeaveTheTargetEmpty_data();
    void damagedExportsLeaveTheTargetEmpty();
    void exportRefusesTablesItDoesNotCover();
    void largeExportStaysSmallInMemory();

private:
    // Chats on `url`'s server: a group with a Chinese message and a mention,
    // bob reads up to a point, alice writes on. Returns the room.
    qint64 chat(const QUrl& url);
    void checkMovedServer(const QString& databaseUrl);
    QString file(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<ScratchPostgres>> m_postgres;
    qint64 m_room = 0;
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
    openDm(*alice, bob->userId);
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

void TestAdminExport::importIntoNonEmptyDatabaseIsRefused()
{
    CONFAB_REQUIRE_POSTGRES();
    QVERIFY2(!m_pgUrl.isEmpty(), "needs sqliteToPostgres");
    const qint64 users = countRows(m_pgUrl, QStringLiteral("users"));
    const AdminRun run = runAdmin(
        {QStringLiteral("import"), QStringLiteral("--db"), m_pgUrl, file(QStringLiteral("s.jsonl"))});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(QLatin1String("not empty")), qPrintable(run.errorText));
    QCOMPARE(countRows(m_pgUrl, QStringLiteral("users")), users);
}

void TestAdminExport::damagedExportsLeaveTheTargetEmpty_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("expected");
    for (bool pg : {false, true}) {
        const char* backend = pg ? "postgresql" : "sqlite";
        QTest::addRow("%s cut mid-line", backend) << pg << "cut"
                                                  << "not a JSON object";
        QTest::addRow("%s no end marker", backend) << pg << "nofooter"
                                                   << "without its end marker";
        QTest::addRow("%s newer format", backend) << pg << "newer"
                                                  << "format version 2";
        QTest::addRow("%s unknown column", backend) << pg << "column"
                                                    << "\"users.avatar\"";
        QTest::addRow("%s wrong footer count", backend) << pg << "count"
                                                        << "the footer says";
        QTest::addRow("%s dangling sender", backend) << pg << "dangling"
                                                     << "cannot insert into messages";
    }
}

void TestAdminExport::damagedExportsLeaveTheTargetEmpty()
{
    QFETCH(bool, postgres);
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    if (postgres)
        CONFAB_REQUIRE_POSTGRES();
    QFile original(file(QStringLiteral("s.jsonl")));
    QVERIFY2(original.open(QIODevice::ReadOnly), "needs sqliteToPostgres");
    QList<QByteArray> lines = original.readAll().split('\n');
    lines.removeLast(); // after the last '\n'
    QByteArray text;
    if (damage == QLatin1String("cut")) {
        text = lines.mid(0, lines.size() - 2).join('\n') + '\n' + lines.at(lines.size() - 2).left(10);
    } else if (damage == QLatin1String("nofooter")) {
        text = lines.mid(0, lines.size() - 1).join('\n') + '\n';
    } else {
        QJsonObject header = QJsonDocument::fromJson(lines.first()).object();
        if (damage == QLatin1String("newer")) {
            header.insert(QStringLiteral("format_version"), 2);
        } else if (damage == QLatin1String("column")) {
            QJsonObject tables = header.value(QLatin1String("tables")).toObject();
            QJsonArray users = tables.value(QLatin1String("users")).toArray();
            users.append(QStringLiteral("avatar"));
            tables.insert(QStringLiteral("users"), users);
            header.insert(QStringLiteral("tables"), tables);
        } else if (damage == QLatin1String("dangling")) {
            for (QByteArray& line : lines) {
                QJsonObject row = QJsonDocument::fromJson(line).object();
                if (row.value(QLatin1String("table")).toString() != QLatin1String("messages"))
                    continue;
                QJsonArray values = row.value(QLatin1String("row")).toArray();
                values[2] = 999; // sender_id: no such user
                row.insert(QStringLiteral("row"), values);
                line = QJsonDocument(row).toJson(QJsonDocument::Compact);
                break;
            }
        } else {
            lines.removeAt(lines.size() - 2); // a row goes missing, the footer stays
        }
        lines[0] = QJsonDocument(header).toJson(QJsonDocument::Compact);
        text = lines.join('\n') + '\n';
    }
    const QString damaged = file(QStringLiteral("damaged.jsonl"));
    QFile out(damaged);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(text);
    out.close();

    QString target;
    if (postgres) {
        m_postgres.push_back(std::make_unique<ScratchPostgres>());
        target = m_postgres.back()->url();
    } else {
        target = QStringLiteral("sqlite:") + file(QStringLiteral("damaged-%1.db").arg(damage));
    }
    const AdminRun run = runAdmin({QStringLiteral("import"), QStringLiteral("--db"), target, damaged});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(expected), qPrintable(run.errorText));
    QVERIFY2(run.errorText.contains(QLatin1String("nothing was imported")), qPrintable(run.errorText));
    for (const char* table : {"users", "rooms", "members", "messages", "mentions", "message_search"})
        QCOMPARE(countRows(target, QLatin1String(table)), 0);
}

// A migration that adds a table or column without a line in
// export_tables.cpp must not make exports silently lose it.
void TestAdminExport::exportRefusesTablesItDoesNotCover()
{
    const QString database = QStringLiteral("sqlite:") + file(QStringLiteral("uncovered.db"));
    QProcess server; // creates the schema
    QVERIFY(startServerProcess(server, database).isValid());
    QVERIFY(stopServerProcess(server));
    AdminRun run;
    for (const auto& [change, expected] :
         {std::pair{"CREATE TABLE invites (code TEXT PRIMARY KEY)",
                    "the table invites is not in the export format"},
          std::pair{"ALTER TABLE users ADD COLUMN avatar TEXT",
                    "the column users.avatar is not in the export format"}}) {
        {
            QSqlDatabase db = openTestDatabase(database, QStringLiteral("change"));
            QSqlQuery query(db);
            if (QLatin1String(change).startsWith(QLatin1String("ALTER")))
                QVERIFY(query.exec(QStringLiteral("DROP TABLE invites")));
            QVERIFY(query.exec(QLatin1String(change)));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("change"));
        run = runAdmin({QStringLiteral("export"), QStringLiteral("--db"), database,
                        file(QStringLiteral("uncovered.jsonl"))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.errorText.contains(QLatin1String(expected)), qPrintable(run.errorText));
        QVERIFY(!QFile::exists(file(QStringLiteral("uncovered.jsonl"))));
    }
}

// 50,000 messages through import and export: peak RSS reported, not asserted
// against a time (the point is that it does not grow with the row count).
void TestAdminExport::largeExportStaysSmallInMemory()
{
    if (!QFile::exists(QStringLiteral("/usr/bin/time")))
        QSKIP("/usr/bin/time (Debian package time) is not installed: peak RSS NOT MEASURED");
    const QString generated = file(QStringLiteral("large.jsonl"));
    {
        QFile out(generated);
        QVERIFY(out.open(QIODevice::WriteOnly));
        constexpr int kMessages = 50'000;
        const QByteArray hash = QByteArray("$argon2id$v=19$m=19456,t=2,p=1$x").toBase64();
        out.write(
            R"({"format":"confab-export","format_version":1,"schema_version":2,"backend":"sqlite",)"
            R"("exported_at":"2026-11-26T00:00:00Z","tables":{"users":["id","username","username_fold",)"
            R"("display_name","display_name_fold","password_hash","created_at","last_seen_at","disabled"],)"
            R"("rooms":["id","type","name","owner_id","dm_low","dm_high","created_at"],)"
            R"("members":["room_id","user_id","joined_at","last_read_message_id"],)"
            R"("messages":["id","room_id","sender_id","content","mentions_json","temp_id","reply_to",)"
            R"("created_at","edited_at","deleted"]}})"
            "\n");
        out.write(R"({"table":"users","row":[1,"u","u","U","u",")" + hash +
                  R"(",1,1,0]})"
                  "\n");
        out.write(R"({"table":"rooms","row":[1,"group","big",1,null,null,1]})"
                  "\n");
        out.write(R"({"table":"members","row":[1,1,1,0]})"
                  "\n");
        for (int i = 1; i <= kMessages; ++i) {
            out.write(QStringLiteral(
                          R"({"table":"messages","row":[%1,1,1,"消息 number %1 with some text to index",)"
                          R"("[]","t%1",null,%1,null,0]})"
                          "\n")
                          .arg(i)
                          .toUtf8());
        }
        out.write(R"({"end":true,"counts":{"members":1,"messages":50000,"rooms":1,"users":1}})"
                  "\n");
    }
    const QString target = QStringLiteral("sqlite:") + file(QStringLiteral("large.db"));
    QProcess import;
    import.start(QStringLiteral("/usr/bin/time"),
                 {QStringLiteral("-v"), serverBinary(), QStringLiteral("admin"), QStringLiteral("import"),
                  QStringLiteral("--db"), target, generated});
    QVERIFY(import.waitForFinished(300000));
    const QString importText = QString::fromUtf8(import.readAllStandardError());
    QVERIFY2(import.exitCode() == 0, qPrintable(importText));
    QCOMPARE(countRows(target, QStringLiteral("messages")), 50000);

    QProcess exportRun;
    exportRun.start(QStringLiteral("/usr/bin/time"),
                    {QStringLiteral("-v"), serverBinary(), QStringLiteral("admin"), QStringLiteral("export"),
                     QStringLiteral("--db"), target, file(QStringLiteral("large-out.jsonl"))});
    QVERIFY(exportRun.waitForFinished(300000));
    const QString exportText = QString::fromUtf8(exportRun.readAllStandardError());
    QVERIFY2(exportRun.exitCode() == 0, qPrintable(exportText));
    const qint64 importRss = peakRssKiB(importText);
    const qint64 exportRss = peakRssKiB(exportText);
    qInfo("50,000 messages: peak RSS import %lld KiB, export %lld KiB (file %lld bytes)", importRss,
          exportRss, QFileInfo(generated).size());
    QVERIFY(importRss > 0 && exportRss > 0);
}

QTEST_MAIN(TestAdminExport)
#include "tst_admin_export.moc"
