#include "store/store_log.h"

namespace confab::server {

Q_LOGGING_CATEGORY(lcSqlStore, "confab.server.store")

} // namespace confab::server
