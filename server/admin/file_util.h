#pragma once

#include "protocol/result.h"

#include <QString>

// Small POSIX file steps the backup commands need and QFile does not offer:
// durable writes (fsync of the file and its directory), atomic replacement,
// and SQLite's lock bytes.
namespace confab::server::admin::files {

// Creates an empty file readable and writable by the owner only (0600);
// fails when it exists.
Result<void> createPrivateFile(const QString& path);
// fsync(2) of a file, then of the directory holding it (so a rename or a
// new name survives a crash too).
Result<void> syncFileAndDirectory(const QString& path);
// rename(2): atomically replaces `to` if it exists.
Result<void> replaceFile(const QString& from, const QString& to);

// Is some process using the SQLite database at `path`? True when a process
// holds one of SQLite's locks: the WAL-index "DMS" byte (offset 128 of
// <db>-shm, held shared by every connection of a WAL database for its whole
// life: https://sqlite.org/walformat.html) or the lock bytes of the database
// file itself (a rollback-journal connection in a transaction).
Result<bool> sqliteDatabaseInUse(const QString& path);

// Takes the WAL-index DMS byte exclusively until releaseSqliteExclusive():
// fails while any connection is open, and a connection opening meanwhile
// waits (SQLITE_BUSY and its busy timeout). Hold it briefly: SQLite opens the
// database file before it looks at this lock, so it is a guard for the
// instant of a rename, not a replacement for stopping the server. A
// Conflict error when the database is in use.
Result<int> takeSqliteExclusive(const QString& path);
void releaseSqliteExclusive(int fd);

} // namespace confab::server::admin::files
