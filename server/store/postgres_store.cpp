#include "store/postgres_store.h"

#include "protocol/validation.h"
#include "store/postgres_connection.h"
#include "store/postgres_migrations.h"
#include "store/sql_util.h"
#include "store/store_log.h"

namespace confab::server {

namespace {

// pg_advisory_lock key for migrations: "confab" in ASCII. Advisory locks are
// per database, so servers of other databases on the same cluster never wait.
constexpr qint64 kSchemaLockKey = 0x636f6e666162;
// pg_advisory_xact_lock(int, int) key space of per-room change locks: "cfrm".
constexpr int kRoomChangeLockSpace = 0x6366726d;

Error setupError(const QString& message)
{
    qCWarning(lcSqlStore).noquote() << message;
    return makeError(ErrorCode::Internal, message);
}

} // namespace

PostgresStore::PostgresStore(const DatabaseUrl& url)
    : SqlStore(QStringLiteral("postgresql"))
    , m_url(url)
{}

QString PostgresStore::driverName() const
{
    return QStringLiteral("QPSQL");
}

std::shared_ptr<SqlStore> PostgresStore::makeSibling() const
{
    return std::make_shared<PostgresStore>(m_url);
}

QString PostgresStore::readOnlyStatement() const
{
    return QStringLiteral("SET default_transaction_read_only = on");
}

MigrationList PostgresStore::migrations() const
{
    return postgresMigrations();
}

QString PostgresStore::databaseLabel() const
{
    return QStringLiteral("\"%1\" on PostgreSQL at %2:%3 (user %4)")
        .arg(m_url.databaseName, m_url.host)
        .arg(m_url.port)
        .arg(m_url.user.isEmpty() ? QStringLiteral("default") : m_url.user);
}

Result<void> PostgresStore::configureConnection(QSqlDatabase& db)
{
    configurePostgresConnection(db, m_url, 5, QStringLiteral("confab-server"));
    // Session settings that must hold before QPSQL's own start-up queries:
    // standard_conforming_strings, because QPSQL detects it once at open to
    // quote bound strings and our SQL writes ESCAPE '\'; client_min_messages,
    // because libpq prints every NOTICE ("relation already exists, skipping"
    // on each start) to stderr.
    db.setConnectOptions(db.connectOptions() + QStringLiteral(";options='-c standard_conforming_strings=on "
                                                              "-c client_min_messages=warning'"));
    return {};
}

Result<void> PostgresStore::afterConnect(const QSqlDatabase& db)
{
    auto settings = sql::exec(db,
                              QStringLiteral("SELECT CAST(current_setting('server_version_num') AS integer), "
                                             "current_setting('server_version'), "
                                             "current_setting('server_encoding'), datctype "
                                             "FROM pg_database WHERE datname = current_database()"),
                              {}, "checking the PostgreSQL server");
    if (!settings)
        return settings.error();
    if (!settings->next())
        return sql::queryError(settings.value(), "checking the PostgreSQL server");
    const int versionNumber = settings->value(0).toInt();
    const QString version = settings->value(1).toString();
    const QString encoding = settings->value(2).toString();
    const QString ctype = settings->value(3).toString();
    settings->finish();
    if (versionNumber < kOldestServerVersion)
        return setupError(QStringLiteral("PostgreSQL 13 or newer is required; the database %1 runs %2")
                              .arg(databaseLabel(), version));
    // Messages are Unicode; a database in another encoding cannot store
    // Chinese text at all, and its LIKE and strpos() would not be ours.
    if (encoding != QLatin1String("UTF8"))
        return setupError(QStringLiteral("the database %1 has encoding %2; Confab needs a UTF8 database "
                                         "(CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)")
                              .arg(databaseLabel(), encoding));
    // pg_trgm takes its word characters from LC_CTYPE, and under C or POSIX
    // only ASCII letters and digits count: Chinese, Cyrillic or accented
    // text then has no trigrams, and a 3+ character search of it reads
    // every message (still exact, LIKE decides; ~45 ms per 200k messages
    // here against ~2 ms, docs/search.md). Said once, not on each reconnect.
    if ((ctype == QLatin1String("C") || ctype == QLatin1String("POSIX")) && !m_warnedAboutCtype) {
        m_warnedAboutCtype = true;
        qCWarning(lcSqlStore).noquote()
            << "the database" << databaseLabel() << "has LC_CTYPE" << ctype
            << "- message search cannot use its index for non-ASCII text (Chinese included) and scans "
               "every message for it; a database created with LOCALE 'C.UTF-8' (or any UTF-8 locale) "
               "indexes all of it";
    }
    // An acked message must survive a crash: a database or role configured
    // with synchronous_commit=off would ack before the WAL is on disk. Any
    // other level (local, on, remote_write, remote_apply) flushes locally.
    auto durability = sql::exec(db, QStringLiteral("SELECT current_setting('synchronous_commit')"), {},
                                "checking synchronous_commit");
    if (!durability)
        return durability.error();
    if (durability->next() && durability->value(0).toString() == QLatin1String("off")) {
        durability->finish();
        qCWarning(lcSqlStore).noquote()
            << "synchronous_commit is off for" << databaseLabel()
            << "- turning it on for Confab's connection (acks promise durability)";
        // SET cannot be prepared.
        if (Result<void> set = sql::execUnprepared(db, QStringLiteral("SET synchronous_commit = on"),
                                                   "setting synchronous_commit");
            !set)
            return set;
    }
    return {};
}

// Session-level, so it also covers the CREATE TABLE IF NOT EXISTS that runs
// before any transaction (two of those at once can fail on PostgreSQL's
// catalog). Released by unlockSchema() or, if the server dies, by the session's end.
Result<void> PostgresStore::lockSchema()
{
    auto locked = sql::exec(database(), QStringLiteral("SELECT pg_advisory_lock(:key)"),
                            {{":key", kSchemaLockKey}}, "waiting for the schema lock");
    if (!locked)
        return locked.error();
    return {};
}

void PostgresStore::unlockSchema()
{
    auto unlocked = sql::exec(database(), QStringLiteral("SELECT pg_advisory_unlock(:key)"),
                              {{":key", kSchemaLockKey}}, "releasing the schema lock");
    if (!unlocked)
        qCWarning(lcSqlStore) << "could not release the schema lock; it goes with the connection";
}

int PostgresStore::searchIndexVersion() const
{
    return kPostgresSearchIndexVersion;
}

QString PostgresStore::searchInsertStatement() const
{
    return QStringLiteral("INSERT INTO message_search (message_id, body) VALUES (:id, :body)");
}

bool PostgresStore::messageInsertIndexes() const
{
    return openedSchemaVersion() >= kPostgresSearchIndexVersion;
}

// The message and its search row in one statement: one round trip instead
// of two. ON CONFLICT DO NOTHING leaves `stored` empty, and then nothing is
// indexed and no row returned, as with the plain INSERT.
QString PostgresStore::messageInsertStatement() const
{
    if (!messageInsertIndexes())
        return SqlStore::messageInsertStatement();
    return QStringLiteral(
        "WITH stored AS (INSERT INTO messages (room_id, sender_id, content, mentions_json, temp_id, "
        "reply_to, created_at, revision) VALUES (:room, :sender, :content, :mentions, :tempId, :replyTo, "
        ":createdAt, nextval('message_revisions')) "
        "ON CONFLICT (sender_id, temp_id) DO NOTHING RETURNING id, revision), "
        "indexed AS (INSERT INTO message_search (message_id, body) SELECT id, :body FROM stored) "
        "SELECT id, revision FROM stored");
}

bool PostgresStore::revisionTakenByInsert() const
{
    return messageInsertIndexes(); // the statement above
}

QString PostgresStore::searchDeleteStatement() const
{
    return QStringLiteral("DELETE FROM message_search WHERE message_id = :id");
}

int PostgresStore::groupsVersion() const
{
    return kPostgresGroupsVersion;
}

int PostgresStore::filesVersion() const
{
    return kPostgresFilesVersion;
}

int PostgresStore::avatarsVersion() const
{
    return kPostgresAvatarsVersion;
}

int PostgresStore::attentionVersion() const
{
    return kPostgresAttentionVersion;
}

int PostgresStore::lifecycleVersion() const
{
    return kPostgresLifecycleVersion;
}

// A sequence: never blocks, never rolls back. Two instances may commit
// revisions of different rooms out of order, which fetch_changes (per room)
// cannot see; within a room lockRoomForChange() orders them.
Result<qint64> PostgresStore::takeRevision()
{
    auto next =
        sql::exec(database(), QStringLiteral("SELECT nextval('message_revisions')"), {}, "taking a revision");
    if (!next)
        return next.error();
    if (!next->next())
        return sql::queryError(next.value(), "taking a revision");
    return next->value(0).toLongLong();
}

// A transaction-level advisory lock per room (released by COMMIT or
// ROLLBACK): an edit, delete or reaction of a room waits for the one before
// it, so its revision, taken after the lock, commits after the earlier one
// and a client that read revision N never misses a later-committing N-1.
// The key space (first int) keeps clear of the schema lock's.
Result<void> PostgresStore::lockRoomForChange(Id roomId)
{
    auto locked = sql::exec(database(), QStringLiteral("SELECT pg_advisory_xact_lock(:space, :room)"),
                            {{":space", kRoomChangeLockSpace}, {":room", int(roomId % 2147483647)}},
                            "locking a room for a change");
    if (!locked)
        return locked.error();
    locked->finish();
    return {};
}

SqlStore::TextScan PostgresStore::textScan() const
{
    return {QLatin1String("JOIN message_search s ON s.message_id = m.id"),
            QLatin1String("strpos(s.body, :needle) > 0")};
}

// LIKE, not a trigram operator: LIKE is the exact substring test, and the GIN
// index only ever proposes candidates that LIKE then rechecks.
Result<SearchPage> PostgresStore::searchIndexed(Id userId, const QString& folded, std::optional<Id> roomId,
                                                std::optional<Id> beforeId, int limit)
{
    const QString pattern = QLatin1Char('%') + sql::likeEscaped(folded) + QLatin1Char('%');
    QString statement = QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM message_search s "
                                       "JOIN messages m ON m.id = s.message_id "
                                       "JOIN members mb ON mb.room_id = m.room_id AND mb.user_id = :user "
                                       "WHERE s.body LIKE :pattern ESCAPE '\\' AND m.deleted = 0");
    QList<sql::Bind> binds{{":user", userId}, {":pattern", pattern}, {":limit", limit + 1}};
    if (beforeId) {
        statement += QLatin1String(" AND s.message_id < :before");
        binds.append({":before", *beforeId});
    }
    if (roomId) {
        statement += QLatin1String(" AND m.room_id = :room");
        binds.append({":room", *roomId});
    }
    statement += QLatin1String(" ORDER BY s.message_id DESC LIMIT :limit");
    auto rows = sql::exec(database(), statement, binds, "searching messages");
    if (!rows)
        return rows.error();
    return searchPage(rows.value(), limit);
}

} // namespace confab::server
