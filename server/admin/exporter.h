#pragma once

#include "admin/admin_connection.h"

#include <QIODevice>
#include <QMap>

namespace confab::server::admin {

// Rows written or read per table.
using TableCounts = QMap<QString, qint64>;

struct ExportOptions {
    bool withSessions = false; // the tokens table (signed-in sessions)
};

// Writes the database as JSON Lines to `out` (docs/backup.md): a header
// (format, versions, source backend, time, the tables and their columns),
// one line per row, table by table in key order, and a footer with the row
// counts, whose absence tells an importer the file was cut short. The rows
// come from one read transaction (a snapshot: SQLite WAL / PostgreSQL
// REPEATABLE READ), read in pages by key, so memory stays flat and a running
// server keeps writing meanwhile.
Result<TableCounts> exportDatabase(const AdminConnection& source, QIODevice& out,
                                   const ExportOptions& options);

} // namespace confab::server::admin
