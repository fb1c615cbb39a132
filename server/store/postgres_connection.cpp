#include "store/postgres_connection.h"

namespace confab::server {

void configurePostgresConnection(QSqlDatabase& db, const DatabaseUrl& url, int connectTimeoutSeconds,
                                 const QString& applicationName)
{
    db.setHostName(url.host);
    db.setPort(url.port);
    db.setUserName(url.user);
    db.setPassword(url.password);
    db.setDatabaseName(url.databaseName);
    db.setConnectOptions(QStringLiteral("connect_timeout=%1;application_name=%2")
                             .arg(connectTimeoutSeconds)
                             .arg(applicationName));
}

} // namespace confab::server
