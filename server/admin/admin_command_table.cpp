// Every `confab-server admin` command, in the order --help lists them.
// Adding one: write its AdminCommand, declare it in admin_command.h, add a line here.
#include "admin/admin_command.h"

namespace confab::server::admin {

const QList<AdminCommand>& adminCommands()
{
    static const QList<AdminCommand> commands = {
        createUserCommand(),   resetPasswordCommand(), disableCommand(), enableCommand(),
        listUsersCommand(),    listRoomsCommand(),     membersCommand(), addMemberCommand(),
        removeMemberCommand(), setOwnerCommand(),      inviteCommand(),  listInvitesCommand(),
        revokeInviteCommand(), backupCommand(),        restoreCommand(), exportCommand(),
        importCommand(),
    };
    return commands;
}

} // namespace confab::server::admin
