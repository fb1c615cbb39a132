#pragma once

#include "store/database_url.h"

#include <QSqlDatabase>

namespace confab::server {

// Points a QPSQL connection at `url`: host, port, user, password, database,
// a connect timeout (so an unreachable server fails instead of hanging) and
// an application_name that shows in pg_stat_activity.
void configurePostgresConnection(QSqlDatabase& db, const DatabaseUrl& url, int connectTimeoutSeconds,
                                 const QString& applicationName);

} // namespace confab::server
