#pragma once

#include <QString>
#include <QStringList>

#include <cstddef>

// What `confab-server admin export` writes and `import` reads: the tables of
// a Confab database as a list, so that a new table or column is one line
// here (docs/backup.md describes the format). Ids are exported and imported
// as they are, so every reference stays valid.
//
// Not exported: schema_version (the target migrates itself), message_search
// (derived: rebuilt from messages on import), revision_counter (derived: set
// past the highest imported revision) and cluster_events (the servers'
// short-lived change log).
namespace confab::server::admin {

// Bump when a reader of the previous version could not read the new one
// correctly (a new table or column); a reader refuses a newer version.
// 2: users.disabled_at, invites; 3: revision, reactions; 4: statuses, receipts, notify levels;
// 5: groups; 6: avatars (the avatars table, users.avatar_id); 7: files (files, file_chunks).
inline constexpr int kExportFormatVersion = 7;
inline constexpr const char* kExportFormatName = "confab-export";

enum class ColumnType {
    Integer, // JSON number (ids, milliseconds since the epoch, 0/1 flags)
    Text,    // JSON string
    Blob,    // JSON string, base64 (password and token hashes)
};

struct ExportColumn {
    const char* name;
    ColumnType type;
    bool nullable = false;
};

struct ExportTable {
    const char* name;
    const ExportColumn* columns;
    std::size_t columnCount;
    // Primary key columns (comma-separated): export pages by them, in order.
    const char* key;
    // A generated id column ("id"): PostgreSQL needs OVERRIDING SYSTEM VALUE
    // to insert it and its sequence moved past the highest one afterwards.
    bool identity;
    // Session tokens: exported only with --with-sessions.
    bool sessions;
    // Rows per page read while exporting; 0: the default. Small for tables
    // of large blobs (file chunks), so an export never holds much at once.
    int pageRows = 0;

    QStringList columnNames() const;
    QStringList keyNames() const;
    const ExportColumn* column(const QString& columnName) const;
};

// Every exported table, parents before children (the import order).
const ExportTable* exportTablesBegin();
const ExportTable* exportTablesEnd();
const ExportTable* findExportTable(const QString& name);

} // namespace confab::server::admin
