#pragma once

#include "server_config.h"
#include "store/store.h"

#include <QCommandLineOption>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

// `confab-server admin <command>`: administration from a shell, against the
// same database as the server (docs/admin.md). Each command is one
// AdminCommand; the list of them is admin_command_table.cpp.
namespace confab::server::admin {

// Exit codes of every command.
enum ExitCode : int { kOk = 0, kFailed = 1, kUsage = 2 };

// One run of a command: its settings, arguments and the opened store.
struct AdminRun {
    ServerConfig config;             // --config, --db, CONFAB_* as for the server
    QStringList arguments;           // positional, after the command's name
    QHash<QString, QString> options; // the command's own options that were given
    std::shared_ptr<Store> store;    // open (migrated) unless the command opts out
    QString databaseUrl;             // config.databaseUrl or the default

    bool isSet(const QString& name) const { return options.contains(name); }
    QString value(const QString& name) const { return options.value(name); }
    // Makes running servers act on the admin changes just committed
    // (PostgreSQL: wakes the cluster bus; SQLite servers poll on their own).
    void notifyServers() const;
};

struct AdminCommand {
    const char* name;
    const char* summary;                    // one line for `confab-server admin --help`
    const char* usage;                      // its positional arguments, e.g. "<username>"
    int positionalCount;                    // exactly this many
    QList<QCommandLineOption> (*options)(); // its own options (nullptr: none)
    int (*run)(AdminRun& run);
    // false: run.store is null and the command opens what it needs itself
    // (e.g. restoring into a database that does not exist yet).
    bool opensStore = true;
};

// The command table (admin_command_table.cpp).
const QList<AdminCommand>& adminCommands();

// Runs `confab-server admin ...`: `arguments` starts with the program name,
// then "admin". Returns the process exit code.
int runAdmin(const QStringList& arguments);

// --- for the commands (admin_support.cpp)
// "confab-server admin: <message>" on stderr; returns kFailed.
int fail(const QString& message);
// The same for a usage error; returns kUsage.
int usageError(const QString& message);
void print(const QString& text);         // stdout, a newline appended
QString formatTime(qint64 msSinceEpoch); // ISO 8601 UTC, "-" for 0
// A new password: one line of stdin with --password-stdin, else asked for
// twice on the terminal without echo. Error: why none could be read.
Result<QString> readNewPassword(bool fromStdin);
// Checks a username, display name and password with register's rules
// (shared/protocol, the configured minimum length); the display name
// defaults to the username.
Result<void> validateAccount(const ServerConfig& config, const QString& username, QString* displayName,
                             const QString& password);
// The account by name, or a one-line failure (kFailed) already printed.
Result<Credentials> findUser(AdminRun& run, const QString& username);
QCommandLineOption jsonOption();

// One line each in admin_command_table.cpp.
AdminCommand createUserCommand();
AdminCommand resetPasswordCommand();
AdminCommand disableCommand();
AdminCommand enableCommand();
AdminCommand listUsersCommand();
AdminCommand listRoomsCommand();
// A group's membership (admin_members.cpp).
AdminCommand membersCommand();
AdminCommand addMemberCommand();
AdminCommand removeMemberCommand();
AdminCommand setOwnerCommand();
AdminCommand inviteCommand();
AdminCommand listInvitesCommand();
AdminCommand revokeInviteCommand();
// backup_commands.cpp (docs/backup.md)
AdminCommand backupCommand();
AdminCommand restoreCommand();
AdminCommand exportCommand();
AdminCommand importCommand();

} // namespace confab::server::admin
