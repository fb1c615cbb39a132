// confab-server admin backup / restore on SQLite, with real server processes:
// a backup taken while clients chat is one snapshot (every message
// acknowledged before it started, none written while its copy was under
// way); a restore is refused while the server runs, and a restored database
// serves logins, history and search.
#include "../server/file_helpers.h"
#include "admin/sqlite_backup.h"
#include "admin_process.h"
#include "test_client.h"
#include "test_server.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>

#include <csignal>

using namespace confab::test;
using confab::server::admin::checkSqliteFile;

namespace {
const QString kChinese = QStringLiteral("备份之前的会议纪要");

// Sends `count` messages without waiting (group commit keeps it quick) and
// returns the acknowledged ids.
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

QSet<qint64> messageIdsIn(const QString& path)
{
    QSet<qint64> ids;
    {
        QSqlDatabase db = openTestDatabase(QStringLiteral("sqlite:") + path, QStringLiteral("ids"));
        QSqlQuery query(db);
        query.exec(QStringLiteral("SELECT id FROM messages"));
        while (query.next())
            ids.insert(query.value(0).toLongLong());
    }
    QSqlDatabase::removeDatabase(QStringLiteral("ids"));
    return ids;
}
} // namespace

class TestAdminBackup : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void backupWhileChattingKeepsEveryAckedMessage();
    void restoreIsRefusedWhileTheServerRuns();
    void restoreRoundTrip();
    void restoreRefusesDamagedOrNewerBackups();
    void restoreOfAnOlderBackupIsMigratedAtStart();
    void databaseIsFoundAsTheServerFindsIt();
    void postgresBackupNamesPgDump();

private:
    QString dbPath() const { return m_dir.filePath(QStringLiteral("live.db")); }
    QString dbUrl() const { return QStringLiteral("sqlite:") + dbPath(); }
    QString backupPath() const { return m_dir.filePath(QStringLiteral("backup.db")); }

    QTemporaryDir m_dir;
    QProcess m_server;
    QUrl m_url;
    std::unique_ptr<TestClient> m_alice;
    qint64 m_room = 0;
    QSet<qint64> m_ackedBeforeBackup;
    QByteArray m_file; // attached before the backup: the copy carries files (issue 16)
    qint64 m_fileId = 0;
};

void TestAdminBackup::initTestCase()
{
    QVERIFY2(QFile::exists(serverBinary()), "CONFAB_SERVER_BIN must name the built confab-server");
    QVERIFY(m_dir.isValid());
    m_url = startServerProcess(m_server, dbUrl());
    QVERIFY(m_url.isValid());
    m_alice = signUpAt(m_url, QStringLiteral("alice"));
    auto bob = signUpAt(m_url, QStringLiteral("bob"));
    QVERIFY(m_alice && bob);
    m_room = createGroup(*m_alice, QStringLiteral("backups"), {bob->userId});
    QVERIFY(m_room > 0);
    m_file = randomBytes(confab::limits::kFileChunkBytes + 1000);
    m_fileId = idIn(uploadWhole(*m_alice, m_room, m_file), "id");
    QVERIFY(m_fileId);
    const qint64 withFile =
        idIn(payloadOf(sendWithAttachments(*m_alice, m_room, attach({m_fileId}))), "messageId");
    QVERIFY(withFile);
    m_ackedBeforeBackup.insert(withFile);
}

// The copy is held mid-way and people write meanwhile, as in the export
// test (there a FIFO nobody reads; VACUUM INTO writes a file of its own, so
// here the backup process is stopped, SIGSTOP, once that file has begun to
// grow: its snapshot is taken, its copy is not finished). A filler table
// makes the copy long enough to be caught half-done. The backup must then
// hold exactly what was acknowledged before it started, none of what was
// written while it was held (messages, a new user), and the writers must
// not wait for it.
void TestAdminBackup::backupWhileChattingKeepsEveryAckedMessage()
{
    m_ackedBeforeBackup.insert(sendMessage(*m_alice, m_room, kChinese));
    int sent = 0;
    for (int batch = 0; batch < 10; ++batch)
        m_ackedBeforeBackup += sendPipelined(*m_alice, m_room, 150, sent);
    QCOMPARE(m_ackedBeforeBackup.size(), 1502); // with the one carrying a file (initTestCase)
    {
        QSqlDatabase db = openTestDatabase(dbUrl(), QStringLiteral("filler"));
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE backup_test_filler (b BLOB)")));
        QVERIFY(query.exec(QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                          "WHERE i < 4000) INSERT INTO backup_test_filler "
                                          "SELECT randomblob(4096) FROM n")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("filler"));

    QProcess backup;
    startAdmin(backup, {QStringLiteral("backup"), QStringLiteral("--db"), dbUrl(), backupPath()});
    QVERIFY(backup.waitForStarted(5000));
    const pid_t pid = pid_t(backup.processId());
    // Where VACUUM INTO writes (sqlite_backup.cpp): polled tightly, since
    // the whole copy takes a fraction of a second.
    const QString temporary = backupPath() + QStringLiteral(".tmp-") + QString::number(pid);
    qint64 heldAtBytes = 0;
    QElapsedTimer waiting;
    waiting.start();
    while (heldAtBytes == 0 && waiting.elapsed() < 60000) {
        if (QFileInfo(temporary).size() > 0 && ::kill(pid, SIGSTOP) == 0)
            heldAtBytes = QFileInfo(temporary).size();
        else if (backup.waitForFinished(0))
            break; // finished (or failed) before the copy could be caught
        else
            QThread::usleep(200);
    }
    QVERIFY2(heldAtBytes > 0, "the backup's copy was never seen half-done (has the filler shrunk?)");

    // While it is held: more messages, acknowledged at once (a reader never
    // blocks SQLite's writers), and a new user with a room of her own.
    const QSet<qint64> ackedWhileHeld = sendPipelined(*m_alice, m_room, 50, sent);
    QCOMPARE(ackedWhileHeld.size(), 50);
    auto late = signUpAt(m_url, QStringLiteral("late"));
    QVERIFY(late);
    const qint64 lateRoom = createGroup(*late, QStringLiteral("late"), {});
    QVERIFY(sendMessage(*late, lateRoom, QStringLiteral("written during the backup")) > 0);
    late.reset();
    QCOMPARE(::kill(pid, SIGCONT), 0);

    const AdminRun run = finishAdmin(backup);
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    QVERIFY2(run.errorText.contains(QLatin1String("integrity ok")), qPrintable(run.errorText));
    // It was held half-way: the copy went on growing after it resumed.
    const qint64 finalBytes = QFileInfo(backupPath()).size();
    qInfo("backup held at %lld of %lld bytes; %lld messages acknowledged meanwhile", heldAtBytes, finalBytes,
          qint64(ackedWhileHeld.size()));
    QVERIFY2(heldAtBytes < finalBytes, "the copy was already complete when it was held");

    auto info = checkSqliteFile(backupPath());
    QVERIFY2(info, info ? "" : qPrintable(info.error().message));
    // One snapshot, cut between the two sets of writes: everything
    // acknowledged before the backup started and nothing written after.
    const QSet<qint64> inBackup = messageIdsIn(backupPath());
    QCOMPARE(inBackup, m_ackedBeforeBackup);
    QVERIFY(!inBackup.intersects(ackedWhileHeld));
    QCOMPARE(info->users, qint64(2)); // alice and bob, not the late one
    QCOMPARE(QFileInfo(backupPath()).permissions() &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteOther),
             QFileDevice::Permissions());
    // One self-contained file, no temporary left behind.
    QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("backup.db*")}, QDir::Files),
             QStringList{QStringLiteral("backup.db")});
}

void TestAdminBackup::restoreIsRefusedWhileTheServerRuns()
{
    QVERIFY(QFile::exists(backupPath()));
    // The server's checkpointer copies its log into the file within 250 ms
    // of the last write (docs/store-threads.md): wait until it has, so that
    // only a restore could still change the file's size.
    qint64 before = -1;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const qint64 now = QFileInfo(dbPath()).size();
            QTest::qWait(600);
            before = QFileInfo(dbPath()).size();
            return before == now;
        }(),
        10000);
    const AdminRun run = runAdmin({QStringLiteral("restore"), QStringLiteral("--db"), dbUrl(), backupPath()});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(QLatin1String("in use")), qPrintable(run.errorText));
    QCOMPARE(QFileInfo(dbPath()).size(), before);
    QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral("live.db.before-restore-*")}).isEmpty());
    // And the server still works.
    QVERIFY(sendMessage(*m_alice, m_room, QStringLiteral("still here")) > 0);
}

void TestAdminBackup::restoreRoundTrip()
{
    const qint64 afterBackup = sendMessage(*m_alice, m_room, QStringLiteral("written after the backup"));
    QVERIFY(afterBackup > 0);
    m_alice.reset();
    QVERIFY(stopServerProcess(m_server));

    const AdminRun run = runAdmin({QStringLiteral("restore"), QStringLiteral("--db"), dbUrl(), backupPath()});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    const QStringList kept =
        QDir(m_dir.path()).entryList({QStringLiteral("live.db.before-restore-*")}, QDir::Files);
    QVERIFY2(!kept.isEmpty(), qPrintable(run.errorText));
    QVERIFY(messageIdsIn(m_dir.filePath(kept.constFirst())).contains(afterBackup)); // nothing lost
    QVERIFY(!QFile::exists(dbPath() + QStringLiteral("-wal")));

    m_url = startServerProcess(m_server, dbUrl());
    QVERIFY(m_url.isValid());
    TestClient alice;
    QVERIFY(alice.open(m_url));
    QVERIFY(alice.signIn(QStringLiteral("alice")));
    const QJsonObject history = alice.request(
        QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), m_room}, {QStringLiteral("limit"), 5}});
    QCOMPARE(typeOf(history), QStringLiteral("history"));
    const QJsonArray messages = payloadOf(history).value(QLatin1String("messages")).toArray();
    QVERIFY(!messages.isEmpty());
    for (const QJsonValue& message : messages)
        QVERIFY(idOf(message.toObject().value(QLatin1String("id"))) < afterBackup);
    const QJsonObject found = alice.request(QStringLiteral("search_messages"),
                                            {{QStringLiteral("query"), QStringLiteral("会议纪")}});
    QCOMPARE(typeOf(found), QStringLiteral("search_results"));
    QCOMPARE(payloadOf(found).value(QLatin1String("messages")).toArray().size(), 1);
    // The backup copied the database, so the file's bytes came with it.
    QCOMPARE(download(alice, m_fileId), m_file);
    // New messages get new ids.
    const qint64 next = sendMessage(alice, m_room, QStringLiteral("after the restore"));
    QVERIFY(next > 0);
    QVERIFY(!m_ackedBeforeBackup.contains(next));
    alice.close();
    QVERIFY(stopServerProcess(m_server));
}

void TestAdminBackup::restoreRefusesDamagedOrNewerBackups()
{
    const QString damaged = m_dir.filePath(QStringLiteral("damaged.db"));
    QFile::copy(backupPath(), damaged);
    QVERIFY(QFile::resize(damaged, QFileInfo(damaged).size() / 2));
    AdminRun run = runAdmin({QStringLiteral("restore"), QStringLiteral("--db"), dbUrl(), damaged});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(QLatin1String("integrity")) ||
                 run.errorText.contains(QLatin1String("malformed")),
             qPrintable(run.errorText));

    const QString newer = m_dir.filePath(QStringLiteral("newer.db"));
    QFile::copy(backupPath(), newer);
    {
        QSqlDatabase db = openTestDatabase(QStringLiteral("sqlite:") + newer, QStringLiteral("newer"));
        QSqlQuery query(db);
        QVERIFY(query.exec(
            QStringLiteral("INSERT INTO schema_version (version, description) VALUES (99, 'future')")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("newer"));
    run = runAdmin({QStringLiteral("restore"), QStringLiteral("--db"), dbUrl(), newer});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(QLatin1String("schema version 99, newer")), qPrintable(run.errorText));
}

// A backup from before the search index (schema version 1): restored as it
// is, and the next server start migrates it (and indexes the old messages).
void TestAdminBackup::restoreOfAnOlderBackupIsMigratedAtStart()
{
    const QString older = m_dir.filePath(QStringLiteral("older.db"));
    QVERIFY(QFile::copy(backupPath(), older));
    {
        QSqlDatabase db = openTestDatabase(QStringLiteral("sqlite:") + older, QStringLiteral("older"));
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("DROP TABLE message_search")));
        // and what version 3 (administration) added
        QVERIFY(query.exec(QStringLiteral("DROP TABLE invites")));
        QVERIFY(query.exec(QStringLiteral("DROP TABLE cluster_events")));
        QVERIFY(query.exec(QStringLiteral("ALTER TABLE users DROP COLUMN disabled_at")));
        // and what version 4 (signing in) added
        QVERIFY(query.exec(QStringLiteral("DROP INDEX tokens_expires")));
        QVERIFY(query.exec(QStringLiteral("DROP INDEX tokens_revoked")));
        // and what version 5 (the message lifecycle) added
        QVERIFY(query.exec(QStringLiteral("DROP TABLE reactions")));
        QVERIFY(query.exec(QStringLiteral("DROP TABLE revision_counter")));
        QVERIFY(query.exec(QStringLiteral("DROP INDEX messages_room_revision")));
        QVERIFY(query.exec(QStringLiteral("ALTER TABLE messages DROP COLUMN revision")));
        // and what version 6 (attention) added
        for (const char* column : {"users DROP COLUMN status", "users DROP COLUMN status_text",
                                   "users DROP COLUMN send_receipts", "members DROP COLUMN notify"})
            QVERIFY2(query.exec(QStringLiteral("ALTER TABLE ") + QLatin1String(column)), column);
        // and what version 7 (groups) added
        QVERIFY(query.exec(QStringLiteral("DROP TABLE pins")));
        QVERIFY(query.exec(QStringLiteral("DROP INDEX rooms_public")));
        for (const char* column :
             {"members DROP COLUMN role", "members DROP COLUMN role_since", "rooms DROP COLUMN topic",
              "rooms DROP COLUMN visibility", "rooms DROP COLUMN name_fold", "messages DROP COLUMN kind",
              "messages DROP COLUMN system_json"})
            QVERIFY2(query.exec(QStringLiteral("ALTER TABLE ") + QLatin1String(column)), column);
        // and what version 8 (avatars) added
        QVERIFY(query.exec(QStringLiteral("DROP INDEX users_avatar")));
        QVERIFY(query.exec(QStringLiteral("ALTER TABLE users DROP COLUMN avatar_id")));
        QVERIFY(query.exec(QStringLiteral("DROP TABLE avatars")));
        // and what version 9 (files) added
        QVERIFY(query.exec(QStringLiteral("DROP TABLE file_chunks")));
        QVERIFY(query.exec(QStringLiteral("DROP TABLE files")));
        // and what version 10 (search indexed after the commit) added
        QVERIFY(query.exec(QStringLiteral("DROP TABLE message_search_progress")));
        QVERIFY(query.exec(QStringLiteral("DELETE FROM schema_version WHERE version > 1")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("older"));
    const AdminRun run = runAdmin({QStringLiteral("restore"), QStringLiteral("--db"), dbUrl(), older});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    QVERIFY2(run.errorText.contains(QLatin1String("schema version 1")), qPrintable(run.errorText));

    m_url = startServerProcess(m_server, dbUrl());
    QVERIFY(m_url.isValid());
    TestClient alice;
    QVERIFY(alice.open(m_url));
    QVERIFY(alice.signIn(QStringLiteral("alice")));
    const QJsonObject found = alice.request(QStringLiteral("search_messages"),
                                            {{QStringLiteral("query"), QStringLiteral("会议纪")}});
    QCOMPARE(payloadOf(found).value(QLatin1String("messages")).toArray().size(), 1);
    alice.close();
    QVERIFY(stopServerProcess(m_server));
}

// --config and CONFAB_DB name the database as they do for the server.
void TestAdminBackup::databaseIsFoundAsTheServerFindsIt()
{
    const QString ini = m_dir.filePath(QStringLiteral("confab-server.ini"));
    QFile config(ini);
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[server]\ndb = " + dbUrl().toUtf8() + "\nport = 7860\n");
    config.close();
    AdminRun run = runAdmin({QStringLiteral("backup"), QStringLiteral("--config"), ini,
                             m_dir.filePath(QStringLiteral("from-config.db"))});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    QVERIFY2(run.errorText.contains(dbPath()), qPrintable(run.errorText));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("CONFAB_DB"), dbUrl());
    run = runAdmin({QStringLiteral("backup"), m_dir.filePath(QStringLiteral("from-env.db"))}, 120000,
                   environment);
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    QVERIFY2(run.errorText.contains(dbPath()), qPrintable(run.errorText));

    run = runAdmin({QStringLiteral("backup"), QStringLiteral("--port"), QStringLiteral("x"),
                    QStringLiteral("--db"), dbUrl(), m_dir.filePath(QStringLiteral("bad.db"))});
    QCOMPARE(run.exitCode, 2); // the server's own validation
    QVERIFY2(run.errorText.contains(QLatin1String("--port")), qPrintable(run.errorText));
}

void TestAdminBackup::postgresBackupNamesPgDump()
{
    const AdminRun run = runAdmin({QStringLiteral("backup"), QStringLiteral("--db"),
                                   QStringLiteral("postgresql://confab:secret@db.example:5433/chat"),
                                   QStringLiteral("/tmp/x.dump")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(QLatin1String(
                 "pg_dump --format=custom --file='/tmp/x.dump' 'postgresql://confab@db.example:5433/chat'")),
             qPrintable(run.errorText));
    QVERIFY(!run.errorText.contains(QLatin1String("secret")));
}

CONFAB_TEST_MAIN(TestAdminBackup)
#include "tst_admin_backup.moc"
