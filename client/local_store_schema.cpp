// LocalStore's schema: numbered migrations, applied in order in one
// transaction that also sets PRAGMA user_version.
#include "local_store_sql.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <array>

namespace confab::client::store_sql {

namespace {

struct Migration {
    int version;
    QList<const char*> statements;
};

// Append only: a released migration is never edited, removed or renumbered.
const std::array<Migration, 2>& migrations()
{
    static const std::array<Migration, 2> list{{
        {1,
         {
             // The owner of everything below: "server" (URL) and "userId".
             "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
             // seq orders the queue; a retry gets a new, higher seq.
             "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, temp_id TEXT NOT NULL UNIQUE,"
             " room_id INTEGER NOT NULL, content TEXT NOT NULL, mentions_json TEXT NOT NULL,"
             " reply_to INTEGER, created_at INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0)",
             "CREATE TABLE drafts (room_id INTEGER PRIMARY KEY, text TEXT NOT NULL)",
             // Read markers the server has not accepted yet.
             "CREATE TABLE read_markers (room_id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL)",
             // The room list as the protocol's JSON objects, in list order.
             "CREATE TABLE rooms (room_id INTEGER PRIMARY KEY, position INTEGER NOT NULL, json TEXT NOT "
             "NULL)",
             // Rooms whose newest messages are cached; the highest `recency`
             // was cached last (the lowest are evicted first).
             "CREATE TABLE cached_pages (room_id INTEGER PRIMARY KEY, recency INTEGER NOT NULL)",
             "CREATE TABLE messages (room_id INTEGER NOT NULL, message_id INTEGER NOT NULL,"
             " json TEXT NOT NULL, PRIMARY KEY (room_id, message_id))",
         }},
        // Issue 16: a queued send's files and how far their uploads got
        // (OutgoingFile JSON), so a restart resumes them.
        {2,
         {
             "ALTER TABLE outbox ADD COLUMN files_json TEXT NOT NULL DEFAULT '[]'",
         }},
    }};
    return list;
}

bool exec(QSqlDatabase& db, const QString& sql, QString* error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = QStringLiteral("%1: %2").arg(sql.left(60), q.lastError().text());
    return false;
}

int userVersion(QSqlDatabase& db)
{
    QSqlQuery q(db);
    return q.exec(QStringLiteral("PRAGMA user_version")) && q.next() ? q.value(0).toInt() : -1;
}

} // namespace

int schemaVersion()
{
    return migrations().back().version;
}

bool open(const QString& path, const QString& connection, QString* error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = QStringLiteral("cannot create the directory");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = db.lastError().text();
        return false;
    }
    // WAL: a commit appends to the log; FULL: and syncs it, so a queued
    // send survives a power loss too (this thread waits, the window does not).
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (!exec(db, QString::fromLatin1(pragma), error))
            return false;
    }
    const int current = userVersion(db);
    if (current < 0) {
        *error = QStringLiteral("not a database");
        return false;
    }
    if (current > schemaVersion()) {
        *error = QStringLiteral("written by a newer Confab (schema %1, this one knows %2)")
                     .arg(current)
                     .arg(schemaVersion());
        return false;
    }
    if (current == schemaVersion())
        return true;
    if (!db.transaction()) {
        *error = db.lastError().text();
        return false;
    }
    for (const Migration& m : migrations()) {
        if (m.version <= current)
            continue;
        for (const char* statement : m.statements) {
            if (!exec(db, QString::fromLatin1(statement), error)) {
                db.rollback();
                return false;
            }
        }
    }
    // PRAGMA takes no bound values; the number is this build's own constant.
    if (!exec(db, QStringLiteral("PRAGMA user_version = %1").arg(schemaVersion()), error) || !db.commit()) {
        db.rollback();
        return false;
    }
    return true;
}

} // namespace confab::client::store_sql
