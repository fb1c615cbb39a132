#include "admin/admin_connection.h"

#include "store/postgres_connection.h"
#include "store/postgres_migrations.h"
#include "store/sqlite_migrations.h"
#include "store/store_factory.h"

#include <QSqlError>

#include <atomic>

Q_LOGGING_CATEGORY(lcAdmin, "confab.server.admin")

namespace confab::server::admin {

AdminConnection::AdminConnection(QSqlDatabase db, QString name, DatabaseUrl::Kind kind)
    : m_db(std::move(db))
    , m_name(std::move(name))
    , m_kind(kind)
{}

AdminConnection::~AdminConnection()
{
    m_db.close();
    m_db = QSqlDatabase(); // no handle may remain when the connection is removed
    QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<AdminConnection>> AdminConnection::open(const DatabaseUrl& url, Mode mode)
{
    static std::atomic<int> counter{0};
    const QString name = QStringLiteral("confab-admin-%1").arg(++counter);
    const bool postgres = url.kind == DatabaseUrl::Kind::Postgresql;
    const QString driver = postgres ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE");
    if (!QSqlDatabase::isDriverAvailable(driver))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("Qt SQL driver %1 is not installed").arg(driver));
    QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
    if (postgres) {
        configurePostgresConnection(db, url, 10, QStringLiteral("confab-admin"));
    } else {
        db.setDatabaseName(url.sqlitePath);
        QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000");
        if (mode == Mode::ReadOnly)
            options += QStringLiteral(";QSQLITE_OPEN_READONLY");
        db.setConnectOptions(options);
    }
    std::unique_ptr<AdminConnection> connection(new AdminConnection(db, name, url.kind));
    if (!connection->m_db.open()) {
        return makeError(ErrorCode::Internal, QStringLiteral("cannot open the database: %1")
                                                  .arg(connection->m_db.lastError().text().trimmed()));
    }
    if (!postgres) {
        if (auto fk = run(connection->m_db, QStringLiteral("PRAGMA foreign_keys = ON"), {},
                          QStringLiteral("setup"));
            !fk)
            return fk.error();
    }
    return connection;
}

Result<int> AdminConnection::schemaVersion() const
{
    // A database the server never opened has no schema_version table.
    const QStringList tables = m_db.tables();
    if (!tables.contains(QStringLiteral("schema_version")))
        return 0;
    auto query = run(m_db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version"), {},
                     QStringLiteral("reading the schema version"));
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

int AdminConnection::latestSchemaVersion() const
{
    return isPostgres() ? postgresMigrations().latestVersion() : sqliteMigrations().latestVersion();
}

Result<QSqlQuery> run(const QSqlDatabase& db, const QString& statement,
                      const QList<QPair<QString, QVariant>>& binds, const QString& what)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    bool ok = binds.isEmpty() ? query.exec(statement) : query.prepare(statement);
    if (ok && !binds.isEmpty()) {
        for (const auto& [name, value] : binds)
            query.bindValue(name, value);
        ok = query.exec();
    }
    if (!ok) {
        const QString why = query.lastError().text().trimmed();
        qCWarning(lcAdmin).noquote() << "SQL error while" << what << "-" << why << "in:" << statement;
        return makeError(ErrorCode::Internal, QStringLiteral("%1 failed: %2").arg(what, why));
    }
    return query;
}

Result<void> migrateToLatest(const DatabaseUrl& url)
{
    auto store = createStore(url);
    if (!store)
        return store.error();
    Result<void> opened = store.value()->open();
    store.value()->close();
    return opened;
}

} // namespace confab::server::admin
