#include "store/sqlite_store.h"

#include "base/private_files.h"
#include "protocol/validation.h"
#include "store/sql_util.h"
#include "store/sqlite_migrations.h"
#include "store/store_log.h"

#include <QDir>
#include <QFileInfo>
#include <QVersionNumber>

namespace confab::server {

namespace {

// Runs a pragma and returns its first result column (empty when it has none).
Result<QString> pragma(const QSqlDatabase& db, const QString& statement)
{
    auto query = sql::exec(db, statement, {}, "setting up the SQLite connection");
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toString() : QString();
}

// How often the checkpointer copies the WAL back (issue 17): at 5,000
// messages/s about 10 MiB of log, and the hot pages of the messages' tables
// are copied once per interval rather than once per thousand pages written.
constexpr int kCheckpointIntervalMs = 250;
constexpr qint64 kLogRestartIntervalMs = 1'000;
constexpr qint64 kLogRestartFrames = 16'384; // 64 MiB of 4 KiB pages
// How often the writer indexes the messages committed since it last did
// (issue 17), and how many at most per transaction (per pause of the writer).
constexpr int kSearchIndexIntervalMs = 250;
constexpr int kSearchIndexBatch = 256;
// Behind by more than this (the writer stores up to 512 messages a batch at
// full ingest): bigger index batches, so that the index keeps up.
constexpr int kSearchIndexBacklog = 2'048;
constexpr int kSearchIndexCatchUpBatch = 1'024;
constexpr int kCommitDelayUs = 1'000;

Error setupError(const QString& message)
{
    qCWarning(lcSqlStore).noquote() << message;
    return makeError(ErrorCode::Internal, message);
}

} // namespace

SqliteStore::SqliteStore(const QString& path)
    : SqlStore(QStringLiteral("sqlite"))
    , m_path(path)
{}

QString SqliteStore::driverName() const
{
    return QStringLiteral("QSQLITE");
}

std::shared_ptr<SqlStore> SqliteStore::makeSibling() const
{
    return std::make_shared<SqliteStore>(m_path);
}

std::shared_ptr<Store> SqliteStore::makeCheckpointer() const
{
    auto checkpointer = std::static_pointer_cast<SqliteStore>(makeFileWriter());
    checkpointer->m_checkpointer = true;
    return checkpointer;
}

Result<void> SqliteStore::stopAutoCheckpoints()
{
    Result<QString> set = pragma(database(), QStringLiteral("PRAGMA wal_autocheckpoint = 0"));
    if (!set)
        return set.error();
    m_restartsLog = true;
    m_sinceLogRestart.start();
    return {};
}

int SqliteStore::upkeepIntervalMs() const
{
    return m_checkpointer ? kCheckpointIntervalMs : kSearchIndexIntervalMs;
}

// A commit is an fsync of the log (synchronous=FULL), about a millisecond on
// the benchmark machine: a message that waits up to that long for others to
// share it saves the others theirs (bench/README.md, "Group commit").
int SqliteStore::commitDelayUs() const
{
    return kCommitDelayUs;
}

bool SqliteStore::runUpkeep()
{
    if (!database().isOpen())
        return false; // closed at shutdown
    if (m_checkpointer)
        return checkpoint();
    const bool more = catchUpSearchIndex();
    if (m_restartsLog && m_sinceLogRestart.hasExpired(kLogRestartIntervalMs)) {
        restartLog();
        m_sinceLogRestart.start();
    }
    return more;
}

// SQLite starts the WAL over from its beginning only when a writer begins a
// transaction and finds every frame copied back. The checkpointer's copies
// never catch that moment while messages keep coming (the writer has added
// frames since), so the log would grow for ever (10 GB in 8 minutes of the
// soak). Once a second the writer copies the little the checkpointer has
// not yet copied itself, between its own jobs: its next transaction then
// starts the log over. If readers kept it from that for 64 MiB of log, a
// RESTART checkpoint waits for them (the busy timeout) and then does.
void SqliteStore::restartLog()
{
    auto done = sql::exec(database(), QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"), {},
                          "checkpointing the rest of the log");
    if (!done || !done->next())
        return;
    const qint64 logFrames = done->value(1).toLongLong();
    const qint64 copied = done->value(2).toLongLong();
    done->finish();
    if (logFrames > kLogRestartFrames && copied < logFrames) {
        qCInfo(lcSqlStore) << "the WAL has" << logFrames << "frames; waiting for readers to restart it";
        if (auto restarted = sql::exec(database(), QStringLiteral("PRAGMA wal_checkpoint(RESTART)"), {},
                                       "restarting the log");
            restarted)
            restarted->finish();
    }
}

// PASSIVE: copies what no reader still needs and never waits for a lock, so
// the writer never waits for it either. The writer restarts the log from its
// start once everything in it has been copied back.
bool SqliteStore::checkpoint()
{
    auto done = sql::exec(database(), QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"), {}, "checkpointing");
    if (!done)
        return false; // logged by sql::exec; tried again next interval
    done->finish();
    return false;
}

bool SqliteStore::indexesLater() const
{
    return openedSchemaVersion() >= kSqliteDeferredSearchVersion;
}

Result<std::optional<Id>> SqliteStore::searchIndexedThrough()
{
    if (!indexesLater())
        return std::optional<Id>();
    auto row = sql::exec(database(), QStringLiteral("SELECT indexed_through FROM message_search_progress"),
                         {}, "reading how far messages are indexed");
    if (!row)
        return row.error();
    const Id through = row->next() ? row->value(0).toLongLong() : 0;
    row->finish();
    return std::optional<Id>(through);
}

// Between the writer's jobs: a message's ack never waits for its index row.
// The transaction indexes the batch and moves indexed_through together, so a
// crash leaves neither a row indexed twice nor one never indexed.
bool SqliteStore::catchUpSearchIndex()
{
    if (!indexesLater() || !database().isOpen())
        return false;
    // Nothing new (the usual idle case): no transaction at all.
    auto pending =
        sql::exec(database(),
                  QStringLiteral("SELECT p.indexed_through, (SELECT COALESCE(MAX(id), 0) FROM messages) "
                                 "FROM message_search_progress p"),
                  {}, "looking for messages to index");
    if (!pending || !pending->next())
        return false;
    const Id through = pending->value(0).toLongLong();
    const Id newest = pending->value(1).toLongLong();
    pending->finish();
    if (newest <= through)
        return false;
    const int batch = newest - through > kSearchIndexBacklog ? kSearchIndexCatchUpBatch : kSearchIndexBatch;
    Result<bool> more = indexBatch(through, batch);
    if (!more) {
        qCWarning(lcSqlStore).noquote() << "indexing messages for search:" << more.error().message;
        return false; // tried again next interval
    }
    return more.value();
}

Result<bool> SqliteStore::indexBatch(Id through, int batch)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    struct Row {
        Id id;
        QString body;
    };
    QList<Row> rows;
    Id last = through;
    int seen = 0;
    {
        auto read =
            sql::exec(database(),
                      QStringLiteral("SELECT id, content, kind = 'text' AND deleted = 0 FROM messages "
                                     "WHERE id > :through ORDER BY id LIMIT :batch"),
                      {{":through", through}, {":batch", batch}}, "reading messages to index");
        if (!read)
            return read.error();
        while (read->next()) {
            ++seen;
            last = read->value(0).toLongLong();
            if (read->value(2).toBool()) // deleted ones and system messages are never found
                rows.append({last, validation::foldCase(read->value(1).toString())});
        }
        read->finish();
        if (seen == 0)
            return false;
    }
    sql::Statement insert(database(),
                          QStringLiteral("INSERT INTO message_search (rowid, body) VALUES (:id, :body)"),
                          "indexing a message");
    for (const Row& row : std::as_const(rows)) {
        if (auto added = insert.exec({{":id", row.id}, {":body", row.body}}); !added)
            return added.error();
    }
    auto moved =
        sql::exec(database(), QStringLiteral("UPDATE message_search_progress SET indexed_through = :last"),
                  {{":last", last}}, "recording how far messages are indexed");
    if (!moved)
        return moved.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return seen == batch; // a full batch: there may be more
}

QString SqliteStore::readOnlyStatement() const
{
    return QStringLiteral("PRAGMA query_only = ON");
}

MigrationList SqliteStore::migrations() const
{
    return sqliteMigrations();
}

// Takes the write lock at BEGIN, where the busy timeout applies; a deferred
// transaction that later upgrades can fail with SQLITE_BUSY at once.
QString SqliteStore::beginStatement() const
{
    return QStringLiteral("BEGIN IMMEDIATE");
}

Result<void> SqliteStore::configureConnection(QSqlDatabase& db)
{
    const QFileInfo file(m_path);
    // For the server's user only: the database holds password and token hashes.
    if (Result<void> made = files::makePrivateDirectory(file.absolutePath()); !made)
        return setupError(made.error().message);
    auto created = files::ensurePrivateFile(file.absoluteFilePath());
    if (!created)
        return setupError(created.error().message);
    if (!created.value() && files::readableByOthers(file.absoluteFilePath()))
        qCWarning(lcSqlStore).noquote() << "the database" << file.absoluteFilePath()
                                        << "is readable by other users (it holds password hashes): "
                                           "chmod 600 it and its -wal and -shm files";
    db.setDatabaseName(file.absoluteFilePath());
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    return {};
}

Result<void> SqliteStore::afterConnect(const QSqlDatabase& db)
{
    // RETURNING needs SQLite 3.35; the trigram tokenizer 3.34.
    Result<QString> version = pragma(db, QStringLiteral("SELECT sqlite_version()"));
    if (!version)
        return version.error();
    if (QVersionNumber::fromString(version.value()) < QVersionNumber(3, 35))
        return setupError(QStringLiteral("SQLite 3.35 or newer is required (found %1)").arg(version.value()));

    // WAL: readers do not block the writer. synchronous=FULL: a committed (and
    // acknowledged) message survives power loss, which NORMAL does not promise in WAL.
    Result<QString> journal = pragma(db, QStringLiteral("PRAGMA journal_mode = WAL"));
    if (!journal)
        return journal.error();
    if (journal.value().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        qCWarning(lcSqlStore) << "SQLite refused WAL mode for" << m_path << "- journal mode is"
                              << journal.value();
    // The log is truncated back to 64 MiB whenever it restarts (after a burst).
    for (const QString& statement :
         {QStringLiteral("PRAGMA synchronous = FULL"), QStringLiteral("PRAGMA foreign_keys = ON"),
          QStringLiteral("PRAGMA journal_size_limit = 67108864")}) {
        if (Result<QString> set = pragma(db, statement); !set)
            return set.error();
    }
    Result<QString> foreignKeys = pragma(db, QStringLiteral("PRAGMA foreign_keys"));
    if (!foreignKeys)
        return foreignKeys.error();
    if (foreignKeys.value() != QLatin1String("1"))
        return setupError(QStringLiteral("this SQLite build cannot enforce foreign keys"));
    return {};
}

// Re-indexing an edited message: only when it is in the index already; one
// the writer has not indexed yet gets its new text when it is.
QString SqliteStore::searchInsertStatement() const
{
    if (indexesLater())
        return QStringLiteral("INSERT INTO message_search (rowid, body) SELECT m.id, :body FROM messages m "
                              "JOIN message_search_progress p ON m.id <= p.indexed_through WHERE m.id = :id");
    return QStringLiteral("INSERT INTO message_search (rowid, body) VALUES (:id, :body)");
}

int SqliteStore::searchIndexVersion() const
{
    return kSqliteSearchIndexVersion;
}

QString SqliteStore::searchDeleteStatement() const
{
    return QStringLiteral("DELETE FROM message_search WHERE rowid = :id");
}

int SqliteStore::groupsVersion() const
{
    return kSqliteGroupsVersion;
}

int SqliteStore::filesVersion() const
{
    return kSqliteFilesVersion;
}

int SqliteStore::avatarsVersion() const
{
    return kSqliteAvatarsVersion;
}

int SqliteStore::attentionVersion() const
{
    return kSqliteAttentionVersion;
}

int SqliteStore::lifecycleVersion() const
{
    return kSqliteLifecycleVersion;
}

// One writer (BEGIN IMMEDIATE): a counter row is enough, and revisions
// commit in the order they are taken.
Result<qint64> SqliteStore::takeRevision()
{
    auto next = sql::exec(
        database(),
        QStringLiteral("UPDATE revision_counter SET value = value + 1 WHERE id = 1 RETURNING value"), {},
        "taking a revision");
    if (!next)
        return next.error();
    if (!next->next())
        return sql::queryError(next.value(), "taking a revision");
    const qint64 revision = next->value(0).toLongLong();
    next->finish(); // a RETURNING statement must be reset before COMMIT
    return revision;
}

SqlStore::TextScan SqliteStore::textScan() const
{
    return {QLatin1String("JOIN message_search s ON s.rowid = m.id"),
            QLatin1String("instr(s.body, :needle) > 0")};
}

Result<SearchPage> SqliteStore::searchIndexed(Id userId, const QString& folded, std::optional<Id> roomId,
                                              std::optional<Id> beforeId, int limit)
{
    // One FTS5 phrase: the whole query in double quotes, inner quotes doubled.
    QString phrase = folded;
    phrase.replace(QLatin1Char('"'), QLatin1String("\"\""));
    phrase = QLatin1Char('"') + phrase + QLatin1Char('"');

    QString statement = QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM message_search "
                                       "JOIN messages m ON m.id = message_search.rowid "
                                       "JOIN members mb ON mb.room_id = m.room_id AND mb.user_id = :user "
                                       "WHERE message_search MATCH :phrase AND m.deleted = 0");
    QList<sql::Bind> binds{{":user", userId}, {":phrase", phrase}, {":limit", limit + 1}};
    if (beforeId) {
        statement += QLatin1String(" AND message_search.rowid < :before");
        binds.append({":before", *beforeId});
    }
    if (roomId) {
        statement += QLatin1String(" AND m.room_id = :room");
        binds.append({":room", *roomId});
    }
    statement += QLatin1String(" ORDER BY message_search.rowid DESC LIMIT :limit");
    auto rows = sql::exec(database(), statement, binds, "searching messages");
    if (!rows)
        return rows.error();
    return searchPage(rows.value(), limit);
}

} // namespace confab::server
