#pragma once

#include <QLoggingCategory>

namespace confab::server {

// The storage layer's log category, "confab.server.store". SQL errors are
// logged here with the driver's text; callers only see a generic Error.
Q_DECLARE_LOGGING_CATEGORY(lcSqlStore)

} // namespace confab::server
