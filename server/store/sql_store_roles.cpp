// SqlStore: roles and the group itself (contract, second part: "Groups"):
// set_role, transfer_ownership, ownership passing on when the owner leaves,
// and update_room. Membership changes and the helpers they share are in
// sql_store_groups.cpp; the same rules hold: the room is locked for the
// change, the rules checked, a system message stored and the change recorded.
#include "store/sql_store.h"

#include "protocol/validation.h"
#include "store/sql_util.h"
#include "store/store_errors.h"

namespace confab::server {
namespace {

using store_errors::forbidden;
using store_errors::notAMember;

// The owner row and rooms.owner_id (which deleting others' messages reads)
// move together.
Result<void> makeOwner(const QSqlDatabase& db, Id roomId, Id userId, qint64 now)
{
    auto role = sql::exec(db,
                          QStringLiteral("UPDATE members SET role = 'owner', role_since = :now "
                                         "WHERE room_id = :room AND user_id = :user"),
                          {{":now", now}, {":room", roomId}, {":user", userId}}, "making an owner");
    if (!role)
        return role.error();
    auto room = sql::exec(db, QStringLiteral("UPDATE rooms SET owner_id = :user WHERE id = :room"),
                          {{":user", userId}, {":room", roomId}}, "making an owner");
    if (!room)
        return room.error();
    return {};
}

} // namespace

Result<void> SqlStore::setRole(Id roomId, Id actorId, Id userId, MemberRole role, qint64 now)
{
    if (role == MemberRole::Owner)
        return makeError(ErrorCode::BadRequest, QStringLiteral("ownership passes by transfer_ownership"));
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<GroupPlace> place = lockGroup(roomId, actorId);
    if (!place)
        return place.error();
    if (place->type == RoomType::Dm)
        return forbidden("a direct message has no roles");
    if (place->role != MemberRole::Owner)
        return forbidden("only the owner can change roles");
    Result<std::optional<MemberRole>> held = roleIn(roomId, userId);
    if (!held)
        return held.error();
    if (!held.value())
        return notAMember();
    if (*held.value() == MemberRole::Owner)
        return forbidden("the owner's role changes only by transfer_ownership");
    if (*held.value() == role)
        return tx->commit(); // nothing changes, nothing is sent
    auto set =
        sql::exec(database(),
                  QStringLiteral("UPDATE members SET role = :role, role_since = :now "
                                 "WHERE room_id = :room AND user_id = :user"),
                  {{":role", memberRoleName(role)}, {":now", now}, {":room", roomId}, {":user", userId}},
                  "changing a role");
    if (!set)
        return set.error();
    SystemInfo info = systemInfo(SystemAction::RoleChanged, actorId);
    info.userIds = {userId};
    info.role = role;
    if (Result<void> stored = storeSystemMessage(roomId, info, now); !stored)
        return stored.error();
    if (Result<void> recorded = recordChange({ChangeRecord::Kind::RoomUpdated, roomId, actorId, 0, {}});
        !recorded)
        return recorded.error();
    return tx->commit();
}

Result<void> SqlStore::transferOwnership(Id roomId, Id actorId, Id userId, qint64 now)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<GroupPlace> place = lockGroup(roomId, actorId);
    if (!place)
        return place.error();
    if (place->type == RoomType::Dm)
        return forbidden("a direct message has no owner");
    if (place->role != MemberRole::Owner)
        return forbidden("only the owner can transfer ownership");
    Result<std::optional<MemberRole>> held = roleIn(roomId, userId);
    if (!held)
        return held.error();
    if (!held.value())
        return notAMember();
    if (userId == actorId)
        return tx->commit(); // the owner already
    auto demoted = sql::exec(database(),
                             QStringLiteral("UPDATE members SET role = 'admin', role_since = :now "
                                            "WHERE room_id = :room AND user_id = :user"),
                             {{":now", now}, {":room", roomId}, {":user", actorId}}, "demoting the owner");
    if (!demoted)
        return demoted.error();
    if (Result<void> made = makeOwner(database(), roomId, userId, now); !made)
        return made.error();
    SystemInfo info = systemInfo(SystemAction::OwnerChanged, actorId);
    info.userIds = {userId};
    if (Result<void> stored = storeSystemMessage(roomId, info, now); !stored)
        return stored.error();
    if (Result<void> recorded = recordChange({ChangeRecord::Kind::RoomUpdated, roomId, actorId, 0, {}});
        !recorded)
        return recorded.error();
    return tx->commit();
}

Result<void> SqlStore::passOwnership(Id roomId, Id formerOwnerId, qint64 now)
{
    // The admin who has held the role longest, else the member who joined
    // earliest; ties by user id.
    auto next = sql::exec(database(),
                          QStringLiteral("SELECT user_id FROM members WHERE room_id = :room ORDER BY "
                                         "CASE WHEN role = 'admin' THEN 0 ELSE 1 END, "
                                         "CASE WHEN role = 'admin' THEN role_since ELSE joined_at END, "
                                         "joined_at, user_id LIMIT 1"),
                          {{":room", roomId}}, "choosing the next owner");
    if (!next)
        return next.error();
    if (!next->next())
        return {}; // the last member left
    const Id heir = next->value(0).toLongLong();
    next->finish();
    if (Result<void> made = makeOwner(database(), roomId, heir, now); !made)
        return made.error();
    SystemInfo info = systemInfo(SystemAction::OwnerChanged, formerOwnerId);
    info.userIds = {heir};
    if (Result<void> stored = storeSystemMessage(roomId, info, now); !stored)
        return stored.error();
    return recordChange({ChangeRecord::Kind::RoomUpdated, roomId, formerOwnerId, 0, {}});
}

Result<void> SqlStore::updateRoom(const RoomUpdate& update)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<GroupPlace> place = lockGroup(update.roomId, update.userId);
    if (!place)
        return place.error();
    if (place->type == RoomType::Dm)
        return forbidden("a direct message has no name, topic or visibility");
    if (place->role == MemberRole::Member)
        return forbidden("only the owner and admins can change the group");
    auto row =
        sql::exec(database(), QStringLiteral("SELECT name, topic, visibility FROM rooms WHERE id = :room"),
                  {{":room", update.roomId}}, "reading a group");
    if (!row)
        return row.error();
    if (!row->next())
        return sql::queryError(row.value(), "reading a group");
    const QString name = row->value(0).toString();
    const QString topic = row->value(1).toString();
    const auto visibility =
        roomVisibilityFromName(row->value(2).toString()).value_or(RoomVisibility::Private);
    row->finish();

    bool changed = false;
    QList<SystemInfo> notices;
    if (update.name && *update.name != name) {
        auto set = sql::exec(
            database(), QStringLiteral("UPDATE rooms SET name = :name, name_fold = :fold WHERE id = :room"),
            {{":name", *update.name},
             {":fold", validation::foldCase(*update.name)},
             {":room", update.roomId}},
            "renaming a group");
        if (!set)
            return set.error();
        SystemInfo info = systemInfo(SystemAction::Renamed, update.userId);
        info.name = *update.name;
        notices.append(info);
        changed = true;
    }
    if (update.topic && *update.topic != topic) {
        auto set = sql::exec(database(), QStringLiteral("UPDATE rooms SET topic = :topic WHERE id = :room"),
                             {{":topic", *update.topic + QLatin1String("")}, {":room", update.roomId}},
                             "setting a group's topic");
        if (!set)
            return set.error();
        SystemInfo info = systemInfo(SystemAction::TopicChanged, update.userId);
        info.topic = *update.topic;
        notices.append(info);
        changed = true;
    }
    // The contract has no system action for visibility: room_updated alone.
    if (update.visibility && *update.visibility != visibility) {
        auto set = sql::exec(
            database(), QStringLiteral("UPDATE rooms SET visibility = :visibility WHERE id = :room"),
            {{":visibility", roomVisibilityName(*update.visibility)}, {":room", update.roomId}},
            "setting a group's visibility");
        if (!set)
            return set.error();
        changed = true;
    }
    for (const SystemInfo& info : std::as_const(notices)) {
        if (Result<void> stored = storeSystemMessage(update.roomId, info, update.now); !stored)
            return stored.error();
    }
    if (changed) {
        if (Result<void> recorded =
                recordChange({ChangeRecord::Kind::RoomUpdated, update.roomId, update.userId, 0, {}});
            !recorded)
            return recorded.error();
    }
    return tx->commit();
}

} // namespace confab::server
