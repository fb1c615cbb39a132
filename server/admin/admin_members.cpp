// members, add-member, remove-member, set-owner: a group's membership from a
// shell (docs/admin.md). Each change goes through the same store operation
// as the client's request, so it stores its system message and records its
// change for the running servers (the removed user's connections hear
// room_left at once). An administrator is no user of the group: the
// operations act as its owner, whom the system messages name.
#include "admin/admin_command.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace confab::server::admin {
namespace {

// The group by id as its owner sees it, or a one-line failure already printed.
Result<Room> findGroup(AdminRun& run, const QString& argument)
{
    bool ok = false;
    const Id roomId = argument.toLongLong(&ok);
    const auto failed = [](const QString& message) {
        fail(message);
        return makeError(ErrorCode::NotFound, message);
    };
    if (!ok || roomId <= 0)
        return failed(QStringLiteral("not a room id: %1 (see list-rooms)").arg(argument));
    auto memberships = run.store->memberships();
    if (!memberships)
        return failed(memberships.error().message);
    for (const RoomMembership& m : memberships.value()) {
        if (m.roomId != roomId)
            continue;
        if (m.type != RoomType::Group)
            return failed(QStringLiteral("room %1 is a direct message, not a group").arg(roomId));
        if (m.memberIds.isEmpty())
            return failed(QStringLiteral("group %1 has no members left").arg(roomId));
        auto room = run.store->roomForUser(roomId, m.memberIds.constFirst());
        if (!room)
            return failed(room.error().message);
        return room;
    }
    return failed(QStringLiteral("no such room: %1").arg(roomId));
}

int listMembers(AdminRun& run)
{
    auto room = findGroup(run, run.arguments.at(0));
    if (!room)
        return kFailed;
    if (run.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const User& u : room->members)
            array.append(
                QJsonObject{{QStringLiteral("id"), u.id},
                            {QStringLiteral("username"), u.username},
                            {QStringLiteral("displayName"), u.displayName},
                            {QStringLiteral("role"), memberRoleName(u.role.value_or(MemberRole::Member))}});
        print(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
        return kOk;
    }
    print(QStringLiteral("%1  %2  %3  %4")
              .arg(QStringLiteral("ID"), 6)
              .arg(QStringLiteral("USERNAME"), -32)
              .arg(QStringLiteral("ROLE"), -6)
              .arg(QStringLiteral("DISPLAY NAME")));
    for (const User& u : room->members)
        print(QStringLiteral("%1  %2  %3  %4")
                  .arg(u.id, 6)
                  .arg(u.username, -32)
                  .arg(memberRoleName(u.role.value_or(MemberRole::Member)), -6)
                  .arg(u.displayName));
    return kOk;
}

// The group and the user named by the two arguments, for a change.
struct Target {
    Room room;
    User user;
};

std::optional<Target> findTarget(AdminRun& run)
{
    auto room = findGroup(run, run.arguments.at(0));
    if (!room)
        return std::nullopt;
    auto user = findUser(run, run.arguments.at(1));
    if (!user)
        return std::nullopt;
    return Target{room.value(), user->user};
}

int done(AdminRun& run, const Result<void>& changed, const QString& what)
{
    if (!changed)
        return fail(changed.error().message);
    run.notifyServers();
    print(what);
    return kOk;
}

int addMember(AdminRun& run)
{
    const auto t = findTarget(run);
    if (!t)
        return kFailed;
    auto added =
        run.store->addMembers(t->room.id, t->room.ownerId, {t->user.id}, QDateTime::currentMSecsSinceEpoch());
    return done(run, added ? Result<void>() : Result<void>(added.error()),
                QStringLiteral("%1 is a member of group %2").arg(t->user.username).arg(t->room.id));
}

int removeMember(AdminRun& run)
{
    const auto t = findTarget(run);
    if (!t)
        return kFailed;
    if (t->user.id == t->room.ownerId)
        return fail(QStringLiteral("%1 owns group %2: make someone else the owner first (set-owner)")
                        .arg(t->user.username)
                        .arg(t->room.id));
    return done(
        run,
        run.store->removeMember(t->room.id, t->room.ownerId, t->user.id, QDateTime::currentMSecsSinceEpoch()),
        QStringLiteral("removed %1 from group %2").arg(t->user.username).arg(t->room.id));
}

int setOwner(AdminRun& run)
{
    const auto t = findTarget(run);
    if (!t)
        return kFailed;
    return done(run,
                run.store->transferOwnership(t->room.id, t->room.ownerId, t->user.id,
                                             QDateTime::currentMSecsSinceEpoch()),
                QStringLiteral("%1 owns group %2").arg(t->user.username).arg(t->room.id));
}

QList<QCommandLineOption> listOptions()
{
    return {jsonOption()};
}

} // namespace

AdminCommand membersCommand()
{
    return {"members",   "List a group's members: id, username, role, display name",
            "<room-id>", 1,
            listOptions, listMembers};
}

AdminCommand addMemberCommand()
{
    return {"add-member", "Add a user to a group (as its owner would)", "<room-id> <username>", 2, nullptr,
            addMember};
}

AdminCommand removeMemberCommand()
{
    return {"remove-member",
            "Remove a user from a group; the user's connections hear it at once",
            "<room-id> <username>",
            2,
            nullptr,
            removeMember};
}

AdminCommand setOwnerCommand()
{
    return {"set-owner",
            "Make a member the group's owner (the old owner becomes an admin)",
            "<room-id> <username>",
            2,
            nullptr,
            setOwner};
}

} // namespace confab::server::admin
