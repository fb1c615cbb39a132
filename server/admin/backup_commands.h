#pragma once

#include "admin/admin_command.h"

// `confab-server admin backup|restore|export|import` (docs/backup.md): the
// AdminCommands are declared in admin_command.h and listed in
// admin_command_table.cpp.
namespace confab::server::admin {

// Runs one of them on the database `config` names: `operand` is the file
// ("-" for stdout/stdin with export/import), `withSessions` the export flag.
// Returns the process exit code: 0 done, 1 failed, 2 bad usage.
int runBackupCommand(const QString& command, const QString& operand, bool withSessions,
                     const ServerConfig& config);

} // namespace confab::server::admin
