#pragma once

#include "protocol/result.h"

#include <QString>

// The server's files hold password hashes, session token hashes and TLS keys:
// whatever the server creates is for its own user only (issue 12, item 10).
namespace confab::server::files {

// Creates `path` and any missing parents, each new directory mode 0700
// (mkdir(2) with that mode: a umask can only take bits away). Directories
// that exist are left as they are: the operator's choice.
Result<void> makePrivateDirectory(const QString& path);

// Creates `path` as an empty file of mode 0600 unless it exists; true when it
// made it. For a SQLite database, before SQLite opens it: SQLite gives the
// -wal and -shm files the database file's mode.
Result<bool> ensurePrivateFile(const QString& path);

// True when the group or others may read the existing `path` (worth a warning).
bool readableByOthers(const QString& path);

} // namespace confab::server::files
