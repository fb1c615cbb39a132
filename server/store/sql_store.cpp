#include "store/sql_store.h"

#include "store/sql_util.h"
#include "store/store_log.h"

#include <QSqlError>

#include <atomic>

namespace confab::server {

Error SqlStore::noSuchRoomError()
{
    return makeError(ErrorCode::Forbidden, QStringLiteral("no such room or not a member"));
}

SqlStore::SqlStore(const QString& connectionPrefix)
{
    static std::atomic<quint64> counter{0};
    m_connectionName = QStringLiteral("confab-%1-%2").arg(connectionPrefix).arg(++counter);
}

SqlStore::~SqlStore()
{
    SqlStore::close();
}

Result<void> SqlStore::open()
{
    return openAtVersion(latestSchemaVersion());
}

Result<void> SqlStore::openAtVersion(int targetVersion)
{
    if (m_db.isValid())
        return makeError(ErrorCode::Internal, QStringLiteral("the store is already open"));
    if (!QSqlDatabase::isDriverAvailable(driverName())) {
        return makeError(ErrorCode::Internal,
                         QStringLiteral("Qt SQL driver %1 is not installed").arg(driverName()));
    }
    m_db = QSqlDatabase::addDatabase(driverName(), m_connectionName);
    Result<void> result = configureConnection(m_db);
    if (result && !m_db.open()) {
        result = makeError(ErrorCode::Internal, QStringLiteral("cannot open the database %1: %2")
                                                    .arg(databaseLabel(), m_db.lastError().text().trimmed()));
    }
    if (result)
        result = configureSession();
    if (result && m_openedAfterWriter) {
        // The writer migrated before a reader (or the file lane) opens; it
        // only learns the version (search depends on it).
        Result<int> version = readSchemaVersion();
        if (version)
            m_openedVersion = version.value();
        else
            result = version.error();
    } else if (result) {
        result = lockSchema();
        if (result) {
            result = migrate(targetVersion);
            unlockSchema();
        }
    }
    if (!result) {
        qCWarning(lcSqlStore).noquote() << "cannot open" << databaseLabel() << "-" << result.error().message;
        close();
        return result;
    }
    qCInfo(lcSqlStore).noquote() << "opened" << databaseLabel() << "at schema version" << m_openedVersion;
    return {};
}

void SqlStore::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase(); // no handle may remain when the connection is removed
    QSqlDatabase::removeDatabase(m_connectionName);
    m_openedVersion = 0;
}

std::shared_ptr<Store> SqlStore::makeReader() const
{
    std::shared_ptr<SqlStore> reader = makeSibling();
    reader->m_readOnly = true;
    reader->m_openedAfterWriter = true;
    reader->m_shortQueryBudget = m_shortQueryBudget;
    return reader;
}

std::shared_ptr<Store> SqlStore::makeFileWriter() const
{
    std::shared_ptr<SqlStore> writer = makeSibling();
    writer->m_openedAfterWriter = true;
    writer->m_shortQueryBudget = m_shortQueryBudget;
    return writer;
}

Result<void> SqlStore::configureSession()
{
    if (Result<void> configured = afterConnect(m_db); !configured)
        return configured;
    if (!m_readOnly)
        return {};
    // Not preparable on PostgreSQL (SET); no values anyway.
    return sql::execUnprepared(m_db, readOnlyStatement(), "making the reader's connection read-only");
}

Result<int> SqlStore::schemaVersion()
{
    return readSchemaVersion();
}

Result<int> SqlStore::readSchemaVersion()
{
    auto query = sql::exec(m_db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version"), {},
                           "reading the schema version");
    if (!query)
        return query.error();
    if (!query->next())
        return sql::queryError(query.value(), "reading the schema version");
    return query->value(0).toInt();
}

Result<void> SqlStore::migrate(int targetVersion)
{
    const MigrationList list = migrations();
    if (!list.isSequential()) // also checked at compile time by each backend
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the migration table is not numbered 1, 2, 3, ..."));
    if (targetVersion < 0 || targetVersion > list.latestVersion())
        return makeError(ErrorCode::Internal, QStringLiteral("no schema version %1").arg(targetVersion));

    // Portable DDL: the version table exists before anything reads it.
    auto created =
        sql::execUnprepared(m_db,
                            QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                           "version INTEGER PRIMARY KEY, description TEXT NOT NULL)"),
                            "creating the schema_version table");
    if (!created)
        return created.error();
    Result<int> current = readSchemaVersion();
    if (!current)
        return current.error();
    if (current.value() > list.latestVersion()) {
        return makeError(ErrorCode::Internal,
                         QStringLiteral("database schema version %1 is newer than this server supports (%2)")
                             .arg(current.value())
                             .arg(list.latestVersion()));
    }
    m_openedVersion = current.value();

    for (const Migration& migration : list) {
        if (migration.version <= m_openedVersion || migration.version > targetVersion)
            continue;
        auto tx = beginTransaction();
        if (!tx)
            return tx.error();
        for (std::size_t i = 0; i < migration.statementCount; ++i) {
            auto step =
                sql::execUnprepared(m_db, QString::fromUtf8(migration.statements[i]), "migrating the schema");
            if (!step)
                return step.error();
        }
        if (migration.step) {
            Result<void> step = migration.step(m_db);
            if (!step)
                return step;
        }
        auto recorded = sql::exec(
            m_db,
            QStringLiteral(
                "INSERT INTO schema_version (version, description) VALUES (:version, :description)"),
            {{":version", migration.version}, {":description", QString::fromUtf8(migration.description)}},
            "recording the schema version");
        if (!recorded)
            return recorded.error();
        if (Result<void> committed = tx->commit(); !committed)
            return committed;
        qCInfo(lcSqlStore) << "migrated the schema to version" << migration.version << "-"
                           << migration.description;
        m_openedVersion = migration.version;
    }
    return {};
}

} // namespace confab::server
