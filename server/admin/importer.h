#pragma once

#include "admin/admin_connection.h"
#include "admin/exporter.h"

#include <QIODevice>

namespace confab::server::admin {

// Reads an export (exportDatabase()) from `in` into `target`, which must be
// at this server's latest schema and hold no users, rooms, messages or
// tokens. Everything happens in one transaction, committed only when the
// footer arrived, the counts agree and the search index was rebuilt: a
// truncated or corrupt file, a newer format or an unknown table or column
// leaves the target as empty as it was. Streams: one line and one batch of
// rows (TableWriter) in memory at a time.
Result<TableCounts> importDatabase(const AdminConnection& target, QIODevice& in);

// Nothing in any exported table (nor the search index)? Names the first
// non-empty table in the error.
Result<void> requireEmpty(const AdminConnection& target);

} // namespace confab::server::admin
