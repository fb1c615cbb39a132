#pragma once

#include "protocol/result.h"

#include <QString>

// Whole-file backup and restore of a SQLite database (docs/backup.md).
namespace confab::server::admin {

// What a checked SQLite file holds.
struct SqliteFileInfo {
    int schemaVersion = 0;
    qint64 users = 0;
    qint64 messages = 0;
};

// Opens `path` read-only and runs PRAGMA integrity_check; reads its schema
// version and counts. An error names the first problem integrity_check found.
Result<SqliteFileInfo> checkSqliteFile(const QString& path);

// A consistent copy of the live database at `databasePath`, taken while the
// server runs: VACUUM INTO reads one snapshot (one read transaction of the
// WAL database, so committed = acknowledged messages are in it and writers
// are never blocked) into `outPath`.tmp-<pid>, which is then checked
// (integrity_check), switched to a self-contained rollback-journal file,
// fsynced and renamed over `outPath` (mode 0600: it holds password hashes).
Result<SqliteFileInfo> backupSqlite(const QString& databasePath, const QString& outPath);

// Replaces the database at `databasePath` with the backup at `backupPath`.
// Refused while any process has the database open (the server), for a backup
// that fails integrity_check, and for one whose schema is newer than this
// server (an older one is migrated at the next start). The replaced database
// is kept as <db>.before-restore-<yyyyMMdd-HHmmss> (with its -wal, so
// nothing it committed is lost); a stale -shm is removed. `keptAs` gets the
// kept name (empty when there was no database).
Result<SqliteFileInfo> restoreSqlite(const QString& databasePath, const QString& backupPath, QString* keptAs);

} // namespace confab::server::admin
