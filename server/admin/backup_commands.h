#pragma once

#include "server_config.h"

#include <QString>
#include <QStringList>

// `confab-server admin backup|restore|export|import`: docs/backup.md.
namespace confab::server::admin {

// True for the commands runBackupCommand() handles.
bool isBackupCommand(const QString& command);

// The usage lines of these commands, for the admin help.
QString backupCommandsUsage();

// Runs `command` with `arguments` (everything after the command word): its
// file operand and flags, mixed with any server option (--config, --db, ...)
// that says which database, resolved exactly as the server resolves them.
// Returns the process exit code: 0 done, 1 failed, 2 bad usage.
int runBackupCommand(const QString& command, const QStringList& arguments);

// The same with the database already resolved: `operand` is the file ("-"
// for stdout/stdin with export/import), `withSessions` the export flag.
int runBackupCommand(const QString& command, const QString& operand, bool withSessions,
                     const ServerConfig& config);

} // namespace confab::server::admin
