// SqlStore: groups (contract, second part: "Groups"): adding and removing
// members and joining a public group, and the helpers every group change
// shares (roles and the group itself: sql_store_roles.cpp; pins and the
// directory: sql_store_pins.cpp). Each change runs in one transaction that
// locks the room (lockRoomForChange: the changes of a room, its ownership
// passing on included, apply one after the other on every instance), checks
// the rules, stores a system message and records what Delivery sends.
#include "store/sql_store.h"

#include "protocol/limits.h"
#include "store/sql_util.h"
#include "store/store_errors.h"

#include <QJsonDocument>

namespace confab::server {
namespace {

using store_errors::forbidden;
using store_errors::notAMember;

} // namespace

Result<SqlStore::GroupPlace> SqlStore::lockGroup(Id roomId, Id userId)
{
    if (!hasGroups())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("groups need schema version %1").arg(groupsVersion()));
    if (Result<void> locked = lockRoomForChange(roomId); !locked)
        return locked.error();
    // After the lock: the state every earlier change of the room left.
    auto row =
        sql::exec(database(),
                  QStringLiteral("SELECT r.type, mb.role FROM rooms r JOIN members mb ON mb.room_id = r.id "
                                 "WHERE r.id = :room AND mb.user_id = :user"),
                  {{":room", roomId}, {":user", userId}}, "reading a member's role");
    if (!row)
        return row.error();
    if (!row->next())
        return noSuchRoomError();
    GroupPlace place;
    place.type = row->value(0).toString() == QLatin1String("dm") ? RoomType::Dm : RoomType::Group;
    place.role = memberRoleFromName(row->value(1).toString()).value_or(MemberRole::Member);
    row->finish();
    return place;
}

Result<std::optional<MemberRole>> SqlStore::roleIn(Id roomId, Id userId)
{
    auto row = sql::exec(database(),
                         QStringLiteral("SELECT role FROM members WHERE room_id = :room AND user_id = :user"),
                         {{":room", roomId}, {":user", userId}}, "reading a member's role");
    if (!row)
        return row.error();
    if (!row->next())
        return std::optional<MemberRole>();
    const auto role = memberRoleFromName(row->value(0).toString()).value_or(MemberRole::Member);
    row->finish();
    return std::optional<MemberRole>(role);
}

SystemInfo SqlStore::systemInfo(SystemAction action, Id actorId)
{
    SystemInfo info;
    info.action = action;
    info.actorId = actorId;
    return info;
}

Result<Message> SqlStore::insertSystemMessage(Id roomId, const SystemInfo& info, qint64 now)
{
    Result<qint64> revision = takeRevision();
    if (!revision)
        return revision.error();
    Message message;
    message.roomId = roomId;
    message.senderId = info.actorId;
    message.createdAt = now;
    message.revision = revision.value();
    // Unique per sender like a client's tempId: revisions never repeat.
    message.tempId = QStringLiteral("system-%1").arg(revision.value());
    message.kind = MessageKind::System;
    message.system = info;
    // No mentions and no search row: a system message is never a mention
    // and never found by search.
    auto inserted = sql::exec(
        database(),
        QStringLiteral(
            "INSERT INTO messages (room_id, sender_id, content, mentions_json, temp_id, created_at, "
            "revision, kind, system_json) VALUES (:room, :sender, '', '[]', :tempId, :createdAt, "
            ":revision, 'system', :system) RETURNING id"),
        {{":room", roomId},
         {":sender", info.actorId},
         {":tempId", message.tempId},
         {":createdAt", now},
         {":revision", revision.value()},
         {":system", QString::fromUtf8(QJsonDocument(info.toJson()).toJson(QJsonDocument::Compact))}},
        "storing a system message");
    if (!inserted)
        return inserted.error();
    if (!inserted->next())
        return sql::queryError(inserted.value(), "storing a system message");
    message.id = inserted->value(0).toLongLong();
    inserted->finish();
    return message;
}

Result<void> SqlStore::storeSystemMessage(Id roomId, const SystemInfo& info, qint64 now)
{
    Result<Message> notice = insertSystemMessage(roomId, info, now);
    if (!notice)
        return notice.error();
    return recordSystemMessage(notice.value());
}

Result<void> SqlStore::recordSystemMessage(const Message& message)
{
    ChangeRecord change{ChangeRecord::Kind::Message, message.roomId, message.senderId, message.id, {}};
    change.message = message;
    return recordChange(change);
}

Result<RoomMembership> SqlStore::membershipOf(Id roomId)
{
    auto rows = sql::exec(
        database(), QStringLiteral("SELECT user_id FROM members WHERE room_id = :room ORDER BY user_id"),
        {{":room", roomId}}, "reading a room's members");
    if (!rows)
        return rows.error();
    RoomMembership membership{roomId, RoomType::Group, {}};
    while (rows->next())
        membership.memberIds.append(rows->value(0).toLongLong());
    return membership;
}

Result<bool> SqlStore::insertGroupMember(Id roomId, Id userId, qint64 now)
{
    auto inserted = sql::exec(
        database(),
        QStringLiteral(
            "INSERT INTO members (room_id, user_id, joined_at, last_read_message_id, role, role_since) "
            "VALUES (:room, :user, :joinedAt, (SELECT COALESCE(MAX(id), 0) FROM messages "
            "WHERE room_id = :same), 'member', :since) ON CONFLICT (room_id, user_id) DO NOTHING "
            "RETURNING user_id"),
        {{":room", roomId}, {":user", userId}, {":joinedAt", now}, {":same", roomId}, {":since", now}},
        "adding a member");
    if (!inserted)
        return inserted.error();
    const bool added = inserted->next();
    inserted->finish();
    return added;
}

Result<void> SqlStore::recordMembersAdded(Id roomId, Id actorId, const QList<Id>& added, qint64 now)
{
    SystemInfo info = systemInfo(SystemAction::MemberAdded, actorId);
    info.userIds = added;
    Result<Message> notice = insertSystemMessage(roomId, info, now);
    if (!notice)
        return notice.error();
    Result<RoomMembership> membership = membershipOf(roomId);
    if (!membership)
        return membership.error();
    // The added users' view: their markers start at the newest message and
    // system messages are never unread, so one view serves them all.
    Result<QList<Room>> view = loadRooms(added.constFirst(), roomId);
    if (!view)
        return view.error();
    ChangeRecord change{ChangeRecord::Kind::MemberJoined, roomId, actorId, 0, added};
    change.membership = membership.value();
    if (!view->isEmpty())
        change.room = view->constFirst();
    // The added users are members when their system message is delivered.
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    return recordSystemMessage(notice.value());
}

Result<Room> SqlStore::addMembers(Id roomId, Id actorId, const QList<Id>& userIds, qint64 now)
{
    {
        auto tx = beginTransaction();
        if (!tx)
            return tx.error();
        Result<GroupPlace> place = lockGroup(roomId, actorId);
        if (!place)
            return place.error();
        if (place->type == RoomType::Dm)
            return forbidden("a direct message has no members to add");
        if (place->role == MemberRole::Member)
            return forbidden("only the owner and admins can add members");
        if (Result<void> found = requireUsers(userIds); !found)
            return found.error();
        auto count =
            sql::exec(database(), QStringLiteral("SELECT COUNT(*) FROM members WHERE room_id = :room"),
                      {{":room", roomId}}, "counting members");
        if (!count)
            return count.error();
        const qint64 members = count->next() ? count->value(0).toLongLong() : 0;
        count->finish();
        QList<Id> added;
        for (Id userId : userIds) {
            if (added.contains(userId))
                continue;
            Result<bool> inserted = insertGroupMember(roomId, userId, now);
            if (!inserted)
                return inserted.error();
            if (inserted.value())
                added.append(userId);
        }
        if (members + added.size() > limits::kMaxRoomMembers)
            return makeError(ErrorCode::TooLarge,
                             QStringLiteral("a group has at most %1 members").arg(limits::kMaxRoomMembers));
        if (!added.isEmpty()) {
            if (Result<void> recorded = recordMembersAdded(roomId, actorId, added, now); !recorded)
                return recorded.error();
        }
        if (Result<void> committed = tx->commit(); !committed)
            return committed.error();
    }
    return roomForUser(roomId, actorId);
}

Result<JoinedRoom> SqlStore::joinRoom(Id roomId, Id userId, qint64 now)
{
    if (!hasGroups())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("groups need schema version %1").arg(groupsVersion()));
    bool joined = false;
    {
        auto tx = beginTransaction();
        if (!tx)
            return tx.error();
        if (Result<void> locked = lockRoomForChange(roomId); !locked)
            return locked.error();
        auto row = sql::exec(database(),
                             QStringLiteral("SELECT r.type, r.visibility, (SELECT COUNT(*) FROM members "
                                            "WHERE room_id = r.id), EXISTS (SELECT 1 FROM members "
                                            "WHERE room_id = r.id AND user_id = :user) FROM rooms r "
                                            "WHERE r.id = :room"),
                             {{":user", userId}, {":room", roomId}}, "reading a room to join");
        if (!row)
            return row.error();
        if (!row->next())
            return noSuchRoomError();
        const bool isPublicGroup = row->value(0).toString() == QLatin1String("group") &&
                                   row->value(1).toString() == QLatin1String("public");
        const qint64 members = row->value(2).toLongLong();
        const bool member = row->value(3).toBool();
        row->finish();
        if (!member) {
            // A private group (or a DM) is answered as a missing room.
            if (!isPublicGroup)
                return noSuchRoomError();
            if (members + 1 > limits::kMaxRoomMembers)
                return makeError(
                    ErrorCode::TooLarge,
                    QStringLiteral("a group has at most %1 members").arg(limits::kMaxRoomMembers));
            Result<bool> inserted = insertGroupMember(roomId, userId, now);
            if (!inserted)
                return inserted.error();
            if (Result<void> recorded = recordMembersAdded(roomId, userId, {userId}, now); !recorded)
                return recorded.error();
            joined = true;
        }
        if (Result<void> committed = tx->commit(); !committed)
            return committed.error();
    }
    Result<Room> room = roomForUser(roomId, userId);
    if (!room)
        return room.error();
    return JoinedRoom{room.value(), joined};
}

Result<void> SqlStore::removeMember(Id roomId, Id actorId, Id userId, qint64 now)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<GroupPlace> place = lockGroup(roomId, actorId);
    if (!place)
        return place.error();
    if (place->type == RoomType::Dm)
        return forbidden("no one can be removed from a direct message");
    if (place->role == MemberRole::Member)
        return forbidden("only the owner and admins can remove members");
    if (userId == actorId)
        return forbidden("leave the group with leave_room");
    Result<std::optional<MemberRole>> role = roleIn(roomId, userId);
    if (!role)
        return role.error();
    if (!role.value())
        return notAMember();
    if (place->role != MemberRole::Owner && *role.value() != MemberRole::Member)
        return forbidden("only the owner can remove an admin");
    auto removed =
        sql::exec(database(), QStringLiteral("DELETE FROM members WHERE room_id = :room AND user_id = :user"),
                  {{":room", roomId}, {":user", userId}}, "removing a member");
    if (!removed)
        return removed.error();
    // The removal is delivered before the system message, which the removed
    // user must not receive: from now on nothing of the room reaches them.
    Result<RoomMembership> membership = membershipOf(roomId);
    if (!membership)
        return membership.error();
    ChangeRecord change{ChangeRecord::Kind::MemberLeft, roomId, userId, 0, {actorId}};
    change.on = true; // removed
    change.membership = membership.value();
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    SystemInfo info = systemInfo(SystemAction::MemberRemoved, actorId);
    info.userIds = {userId};
    if (Result<void> stored = storeSystemMessage(roomId, info, now); !stored)
        return stored.error();
    return tx->commit();
}

} // namespace confab::server
