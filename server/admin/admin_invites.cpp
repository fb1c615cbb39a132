// invite, list-invites, revoke-invite.
#include "admin/admin_command.h"

#include "password_hasher.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace confab::server::admin {
namespace {

constexpr int kCodeLength = 22; // 132 random bits, base64url
constexpr int kHintLength = 6;  // shown by list-invites
constexpr double kDefaultDays = 7;

QList<QCommandLineOption> inviteOptions()
{
    return {QCommandLineOption(QStringLiteral("uses"),
                               QStringLiteral("Registrations the code allows (default: 1)"),
                               QStringLiteral("n")),
            QCommandLineOption(QStringLiteral("expires-days"),
                               QStringLiteral("Days until the code expires; 0: never (default: 7)"),
                               QStringLiteral("days"))};
}

QList<QCommandLineOption> listOptions()
{
    return {jsonOption()};
}

QString status(const Invite& invite, qint64 now)
{
    if (invite.revoked)
        return QStringLiteral("revoked");
    if (invite.uses >= invite.maxUses)
        return QStringLiteral("used up");
    if (invite.expiresAt && *invite.expiresAt <= now)
        return QStringLiteral("expired");
    return QStringLiteral("active");
}

int createInvite(AdminRun& run)
{
    int uses = 1;
    if (run.isSet(QStringLiteral("uses"))) {
        bool ok = false;
        uses = run.value(QStringLiteral("uses")).toInt(&ok);
        if (!ok || uses < 1 || uses > 1'000'000)
            return usageError(QStringLiteral("--uses must be a whole number from 1 to 1000000"));
    }
    double days = kDefaultDays;
    if (run.isSet(QStringLiteral("expires-days"))) {
        bool ok = false;
        days = run.value(QStringLiteral("expires-days")).toDouble(&ok);
        if (!ok || days < 0 || days > 3650)
            return usageError(QStringLiteral("--expires-days must be a number from 0 (never) to 3650"));
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::optional<qint64> expiresAt;
    if (days > 0)
        expiresAt = now + qint64(days * 24 * 3600 * 1000);
    // Base64url may start with '-', which the command line would then read
    // as an option when the code is handed back to `revoke-invite`.
    QString code;
    do
        code = newSessionToken().left(kCodeLength);
    while (code.startsWith(QLatin1Char('-')));
    auto invite = run.store->createInvite(tokenHash(code), code.left(kHintLength), uses, expiresAt, now);
    if (!invite)
        return fail(invite.error().message);
    print(code); // the only time the code is shown: only its hash is stored
    return kOk;
}

int listInvites(AdminRun& run)
{
    auto invites = run.store->listInvites();
    if (!invites)
        return fail(invites.error().message);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (run.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Invite& i : invites.value())
            array.append(QJsonObject{
                {QStringLiteral("id"), i.id},
                {QStringLiteral("hint"), i.hint},
                {QStringLiteral("uses"), i.uses},
                {QStringLiteral("maxUses"), i.maxUses},
                {QStringLiteral("expiresAt"), i.expiresAt ? QJsonValue(*i.expiresAt) : QJsonValue()},
                {QStringLiteral("status"), status(i, now)},
                {QStringLiteral("createdAt"), i.createdAt}});
        print(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
        return kOk;
    }
    print(QStringLiteral("%1  %2  %3  %4  %5  %6")
              .arg(QStringLiteral("ID"), 6)
              .arg(QStringLiteral("CODE"), -10)
              .arg(QStringLiteral("USES"), -11)
              .arg(QStringLiteral("STATUS"), -8)
              .arg(QStringLiteral("EXPIRES"), -24)
              .arg(QStringLiteral("CREATED")));
    for (const Invite& i : invites.value())
        print(QStringLiteral("%1  %2  %3  %4  %5  %6")
                  .arg(i.id, 6)
                  .arg(i.hint + QStringLiteral("..."), -10)
                  .arg(QStringLiteral("%1/%2").arg(i.uses).arg(i.maxUses), -11)
                  .arg(status(i, now), -8)
                  .arg(i.expiresAt ? formatTime(*i.expiresAt) : QStringLiteral("never"), -24)
                  .arg(formatTime(i.createdAt)));
    return kOk;
}

int revokeInvite(AdminRun& run)
{
    if (auto revoked = run.store->revokeInvite(tokenHash(run.arguments.at(0).trimmed())); !revoked)
        return fail(revoked.error().code == ErrorCode::NotFound ? QStringLiteral("no such invite code")
                                                                : revoked.error().message);
    print(QStringLiteral("revoked the invite"));
    return kOk;
}

} // namespace

AdminCommand inviteCommand()
{
    return {"invite",    "Create an invite code for --registration invite and print it", "", 0, inviteOptions,
            createInvite};
}

AdminCommand listInvitesCommand()
{
    return {"list-invites",
            "List the invite codes (their first characters), uses, status, expiry",
            "",
            0,
            listOptions,
            listInvites};
}

AdminCommand revokeInviteCommand()
{
    return {"revoke-invite", "Revoke an invite code: it registers nobody any more", "<code>", 1, nullptr,
            revokeInvite};
}

} // namespace confab::server::admin
