#pragma once

#include "protocol/result.h"
#include "store/database_url.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <memory>

// "confab.server.admin": the offline and online maintenance commands
// (`confab-server admin ...`).
Q_DECLARE_LOGGING_CATEGORY(lcAdmin)

namespace confab::server::admin {

// One plain QtSql connection for an admin command, apart from any Store: the
// commands read and write whole tables in their own transactions. Removed
// from QSqlDatabase's registry on destruction. Belongs to the creating thread.
class AdminConnection {
public:
    enum class Mode { ReadWrite, ReadOnly };

    // The database `url` names, as the server would open it (SQLite: busy
    // timeout, foreign keys on; PostgreSQL: connect timeout, application_name).
    static Result<std::unique_ptr<AdminConnection>> open(const DatabaseUrl& url, Mode mode);

    ~AdminConnection();
    AdminConnection(const AdminConnection&) = delete;
    AdminConnection& operator=(const AdminConnection&) = delete;

    const QSqlDatabase& db() const { return m_db; }
    DatabaseUrl::Kind kind() const { return m_kind; }
    bool isPostgres() const { return m_kind == DatabaseUrl::Kind::Postgresql; }
    QString backendName() const
    {
        return isPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite");
    }

    // The highest applied migration (0 for a database without a schema).
    Result<int> schemaVersion() const;
    // The newest version this server's migration table knows for the backend.
    int latestSchemaVersion() const;

private:
    AdminConnection(QSqlDatabase db, QString name, DatabaseUrl::Kind kind);

    QSqlDatabase m_db;
    QString m_name;
    DatabaseUrl::Kind m_kind;
};

// Runs `statement` with `binds` (name, value pairs); the error carries the
// driver's text, since an administrator reads it (unlike a client).
Result<QSqlQuery> run(const QSqlDatabase& db, const QString& statement,
                      const QList<QPair<QString, QVariant>>& binds, const QString& what);

// Creates or migrates the schema of `url` to this server's latest version by
// opening (and closing) the server's own store, exactly as a start would.
Result<void> migrateToLatest(const DatabaseUrl& url);

} // namespace confab::server::admin
