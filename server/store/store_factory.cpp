#include "store/store_factory.h"

#include "store/postgres_store.h"
#include "store/sqlite_store.h"

#include <QSqlDatabase>

namespace confab::server {

Result<std::shared_ptr<Store>> createStore(const DatabaseUrl& url)
{
    switch (url.kind) {
    case DatabaseUrl::Kind::Sqlite:
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
            return makeError(
                ErrorCode::Internal,
                QStringLiteral("Qt SQL driver QSQLITE is not installed (Debian package libqt6sql6-sqlite)"));
        }
        return std::shared_ptr<Store>(std::make_shared<SqliteStore>(url.sqlitePath));
    case DatabaseUrl::Kind::Postgresql:
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
            return makeError(
                ErrorCode::Internal,
                QStringLiteral("Qt SQL driver QPSQL is not installed (Debian package libqt6sql6-psql)"));
        }
        return std::shared_ptr<Store>(std::make_shared<PostgresStore>(url));
    }
    return makeError(ErrorCode::Internal, QStringLiteral("unknown database kind"));
}

} // namespace confab::server
