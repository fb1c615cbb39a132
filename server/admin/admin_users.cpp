// create-user, reset-password, disable, enable, list-users.
#include "admin/admin_command.h"

#include "password_hasher.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace confab::server::admin {
namespace {

QCommandLineOption passwordStdinOption()
{
    return QCommandLineOption(QStringLiteral("password-stdin"),
                              QStringLiteral("Read the password from the first line of stdin (else it is "
                                             "asked for on the terminal, without echo)"));
}

QList<QCommandLineOption> createUserOptions()
{
    return {QCommandLineOption(QStringLiteral("display-name"),
                               QStringLiteral("Display name (default: the username)"),
                               QStringLiteral("name")),
            passwordStdinOption()};
}

QList<QCommandLineOption> passwordOptions()
{
    return {passwordStdinOption()};
}

QList<QCommandLineOption> listOptions()
{
    return {jsonOption()};
}

int createUser(AdminRun& run)
{
    const QString username = run.arguments.at(0);
    QString displayName = run.value(QStringLiteral("display-name"));
    // Names first, so a typo fails before the password is asked for.
    if (auto valid = validateAccount(run.config, username, &displayName, QStringLiteral("x").repeated(1024));
        !valid && !valid.error().message.startsWith(QLatin1String("password")))
        return usageError(valid.error().message);
    auto password = readNewPassword(run.isSet(QStringLiteral("password-stdin")));
    if (!password)
        return usageError(password.error().message);
    if (auto valid = validateAccount(run.config, username, &displayName, password.value()); !valid)
        return usageError(valid.error().message);
    auto hash = PasswordHasher::hashNow(password.value());
    if (!hash)
        return fail(hash.error().message);
    auto created =
        run.store->createUser(username, displayName, hash.value(), QDateTime::currentMSecsSinceEpoch());
    if (!created)
        return fail(created.error().message);
    print(QStringLiteral("created user %1 (id %2)").arg(created->username).arg(created->id));
    return kOk;
}

int resetPassword(AdminRun& run)
{
    auto user = findUser(run, run.arguments.at(0));
    if (!user)
        return fail(user.error().message);
    auto password = readNewPassword(run.isSet(QStringLiteral("password-stdin")));
    if (!password)
        return usageError(password.error().message);
    QString displayName = user->user.displayName;
    // The username as stored is valid; this checks the password's rules.
    if (auto valid = validateAccount(run.config, user->user.username, &displayName, password.value()); !valid)
        return usageError(valid.error().message);
    auto hash = PasswordHasher::hashNow(password.value());
    if (!hash)
        return fail(hash.error().message);
    if (auto set = run.store->setPasswordHash(user->user.id, hash.value()); !set)
        return fail(set.error().message);
    run.notifyServers();
    print(QStringLiteral("reset the password of %1; their sessions are signed out").arg(user->user.username));
    return kOk;
}

int setDisabled(AdminRun& run, bool disabled)
{
    auto user = findUser(run, run.arguments.at(0));
    if (!user)
        return fail(user.error().message);
    if (auto set = run.store->setUserDisabled(user->user.id, disabled, QDateTime::currentMSecsSinceEpoch());
        !set)
        return fail(set.error().message);
    if (disabled) {
        run.notifyServers();
        print(QStringLiteral("disabled %1; their sessions are closed").arg(user->user.username));
    } else {
        print(QStringLiteral("enabled %1").arg(user->user.username));
    }
    return kOk;
}

int listUsers(AdminRun& run)
{
    auto accounts = run.store->listAccounts();
    if (!accounts)
        return fail(accounts.error().message);
    if (run.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const UserAccount& a : accounts.value()) {
            QJsonObject o{{QStringLiteral("id"), a.user.id},
                          {QStringLiteral("username"), a.user.username},
                          {QStringLiteral("displayName"), a.user.displayName},
                          {QStringLiteral("disabled"), a.disabled},
                          {QStringLiteral("lastSeenAt"), a.user.lastSeenAt},
                          {QStringLiteral("createdAt"), a.createdAt}};
            if (a.disabled)
                o.insert(QStringLiteral("disabledAt"), a.disabledAt);
            array.append(o);
        }
        print(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
        return kOk;
    }
    print(QStringLiteral("%1  %2  %3  %4  %5  %6")
              .arg(QStringLiteral("ID"), 6)
              .arg(QStringLiteral("USERNAME"), -20)
              .arg(QStringLiteral("DISPLAY NAME"), -24)
              .arg(QStringLiteral("STATUS"), -8)
              .arg(QStringLiteral("LAST SEEN"), -24)
              .arg(QStringLiteral("CREATED")));
    for (const UserAccount& a : accounts.value()) {
        print(QStringLiteral("%1  %2  %3  %4  %5  %6")
                  .arg(a.user.id, 6)
                  .arg(a.user.username, -20)
                  .arg(a.user.displayName, -24)
                  .arg(a.disabled ? QStringLiteral("disabled") : QStringLiteral("active"), -8)
                  .arg(formatTime(a.user.lastSeenAt), -24)
                  .arg(formatTime(a.createdAt)));
    }
    return kOk;
}

} // namespace

AdminCommand createUserCommand()
{
    return {"create-user",
            "Create an account (any registration mode); the password comes from stdin or a prompt",
            "<username>",
            1,
            createUserOptions,
            createUser};
}

AdminCommand resetPasswordCommand()
{
    return {"reset-password", "Set a new password and revoke all of the user's sessions",
            "<username>",     1,
            passwordOptions,  resetPassword};
}

AdminCommand disableCommand()
{
    return {"disable",    "Disable an account: no login or token, open sessions closed at once",
            "<username>", 1,
            nullptr,      [](AdminRun& run) { return setDisabled(run, true); }};
}

AdminCommand enableCommand()
{
    return {"enable",     "Enable a disabled account (it logs in with its password again)",
            "<username>", 1,
            nullptr,      [](AdminRun& run) { return setDisabled(run, false); }};
}

AdminCommand listUsersCommand()
{
    return {"list-users", "List the accounts: id, username, display name, status, last seen, created",
            "",           0,
            listOptions,  listUsers};
}

} // namespace confab::server::admin
