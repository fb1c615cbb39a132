// SqlStore: rooms, membership and per-user room values.
#include "store/sql_store.h"

#include "store/sql_util.h"

#include "protocol/reply_size.h"
#include "protocol/validation.h"

#include <QDateTime>
#include <QHash>

namespace confab::server {

namespace {

RoomType roomTypeFromSql(const QString& type)
{
    return type == QLatin1String("dm") ? RoomType::Dm : RoomType::Group;
}

// The user's rooms with their counts (after the user's read marker) and the
// newest non-deleted message as a preview: its content is cut in SQL to one
// character more than a preview keeps (:previewChars), so listing rooms never
// reads each room's whole last message; messageFromRow() reads these columns.
const char kRoomsSelect[] =
    "SELECT r.id, r.type, r.name, r.owner_id, r.created_at, "
    "(SELECT COUNT(*) FROM messages x WHERE x.room_id = r.id AND x.id > mb.last_read_message_id "
    " AND x.sender_id <> :userUnread AND x.deleted = 0%2), "
    "(SELECT COUNT(*) FROM mentions mn WHERE mn.user_id = :userMentions AND mn.room_id = r.id "
    " AND mn.message_id > mb.last_read_message_id), "
    "m.id, m.room_id, m.sender_id, substr(m.content, 1, :previewChars), m.mentions_json, m.temp_id, "
    "m.reply_to, m.created_at, m.edited_at, m.deleted, %1, %3 "
    "FROM members mb JOIN rooms r ON r.id = mb.room_id "
    "LEFT JOIN messages m ON m.id = (SELECT x.id FROM messages x WHERE x.room_id = r.id AND x.deleted = 0 "
    " ORDER BY x.id DESC LIMIT 1) "
    "WHERE mb.user_id = :user";
// Most recent activity first: the newest message's time, else the room's
// creation time; ties by message id, then room id.
const char kRoomsOrder[] =
    " ORDER BY COALESCE(m.created_at, r.created_at) DESC, COALESCE(m.id, 0) DESC, r.id DESC";
constexpr int kRoomsMessageColumn = 7;
constexpr int kRoomsNotifyColumn = 17; // after the message's ten columns
constexpr int kRoomsTopicColumn = 18;  // then topic and visibility

} // namespace

Result<QList<Room>> SqlStore::loadRooms(Id userId, std::optional<Id> roomId)
{
    // System messages are never unread; an older schema has none, nor topics.
    QString statement =
        QString::fromLatin1(kRoomsSelect)
            .arg(hasAttention() ? QLatin1String("mb.notify") : QLatin1String("'all'"),
                 hasGroups() ? QLatin1String(" AND x.kind = 'text'") : QLatin1String(""),
                 hasGroups() ? QLatin1String("r.topic, r.visibility") : QLatin1String("'', 'private'"));
    QList<sql::Bind> binds{{":userUnread", userId},
                           {":userMentions", userId},
                           {":previewChars", limits::kPreviewMaxLength + 1},
                           {":user", userId}};
    if (roomId) {
        statement += QLatin1String(" AND r.id = :room");
        binds.append({":room", *roomId});
    }
    statement += QLatin1String(kRoomsOrder);
    auto rows = sql::exec(database(), statement, binds, "loading rooms");
    if (!rows)
        return rows.error();
    QList<Room> rooms;
    QHash<Id, qsizetype> indexOf;
    while (rows->next()) {
        Room room;
        room.id = rows->value(0).toLongLong();
        room.type = roomTypeFromSql(rows->value(1).toString());
        room.name = rows->value(2).toString();
        room.ownerId = rows->isNull(3) ? 0 : rows->value(3).toLongLong();
        room.createdAt = rows->value(4).toLongLong();
        room.unreadCount = rows->value(5).toInt();
        room.mentionCount = rows->value(6).toInt();
        room.notify =
            notifyLevelFromName(rows->value(kRoomsNotifyColumn).toString()).value_or(NotifyLevel::All);
        room.topic = rows->value(kRoomsTopicColumn).toString();
        room.visibility = roomVisibilityFromName(rows->value(kRoomsTopicColumn + 1).toString())
                              .value_or(RoomVisibility::Private);
        if (!rows->isNull(kRoomsMessageColumn)) {
            room.lastMessage = sql::messageFromRow(rows.value(), kRoomsMessageColumn);
            replysize::cutToPreview(*room.lastMessage);
        }
        indexOf.insert(room.id, rooms.size());
        rooms.append(room);
    }
    rows->finish();
    if (rooms.isEmpty())
        return rooms;
    QList<Message> last;
    for (const Room& room : std::as_const(rooms)) {
        if (room.lastMessage)
            last.append(*room.lastMessage);
    }
    if (Result<void> parts = attachMessageParts(last); !parts)
        return parts.error();
    for (Room& room : rooms) {
        if (room.lastMessage) {
            const bool truncated = room.lastMessage->truncated;
            room.lastMessage = last.takeFirst();
            room.lastMessage->truncated = truncated;
        }
    }

    QString membersStatement = QStringLiteral("SELECT mb.room_id, ") +
                               (hasGroups() ? QLatin1String("mb.role, ") : QLatin1String("'member', ")) +
                               userColumns() +
                               QStringLiteral(" FROM members mb JOIN users u ON u.id = mb.user_id WHERE ");
    QList<sql::Bind> memberBinds;
    if (roomId) {
        membersStatement += QLatin1String("mb.room_id = :room");
        memberBinds.append({":room", *roomId});
    } else {
        membersStatement +=
            QLatin1String("mb.room_id IN (SELECT room_id FROM members WHERE user_id = :user)");
        memberBinds.append({":user", userId});
    }
    membersStatement += QLatin1String(" ORDER BY mb.room_id, mb.joined_at, mb.user_id");
    auto members = sql::exec(database(), membersStatement, memberBinds, "loading room members");
    if (!members)
        return members.error();
    while (members->next()) {
        const auto it = indexOf.constFind(members->value(0).toLongLong());
        if (it == indexOf.constEnd())
            continue;
        Room& room = rooms[*it];
        User member = sql::userFromRow(members.value(), 2);
        if (room.type == RoomType::Group) // roles are a group's only
            member.role = memberRoleFromName(members->value(1).toString()).value_or(MemberRole::Member);
        room.members.append(member);
    }

    // A DM is named after the other member as the user sees it (a note-to-self
    // DM after the user).
    for (Room& room : rooms) {
        if (room.type != RoomType::Dm)
            continue;
        for (const User& member : std::as_const(room.members)) {
            if (member.id != userId || room.members.size() == 1)
                room.name = member.displayName;
        }
    }
    return rooms;
}

Result<Room> SqlStore::createGroup(const QString& name, Id ownerId, const QList<Id>& memberIds, qint64 now,
                                   const QString& topic, RoomVisibility visibility)
{
    QList<Id> everyone{ownerId};
    for (Id id : memberIds) {
        if (!everyone.contains(id))
            everyone.append(id);
    }
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    if (Result<void> found = requireUsers(everyone); !found)
        return found.error();
    auto inserted = sql::exec(database(),
                              QStringLiteral("INSERT INTO rooms (type, name, owner_id, created_at) "
                                             "VALUES ('group', :name, :owner, :createdAt) RETURNING id"),
                              {{":name", name}, {":owner", ownerId}, {":createdAt", now}}, "creating a room");
    if (!inserted)
        return inserted.error();
    if (!inserted->next())
        return sql::queryError(inserted.value(), "creating a room");
    const Id roomId = inserted->value(0).toLongLong();
    inserted->finish();
    for (Id id : std::as_const(everyone)) {
        auto member = sql::exec(database(),
                                QStringLiteral("INSERT INTO members (room_id, user_id, joined_at) "
                                               "VALUES (:room, :user, :joinedAt)"),
                                {{":room", roomId}, {":user", id}, {":joinedAt", now}}, "adding a member");
        if (!member)
            return member.error();
    }
    if (hasGroups()) {
        // The creator owns the group; every member holds a role since joining.
        auto roles =
            sql::exec(database(),
                      QStringLiteral("UPDATE members SET role = CASE WHEN user_id = :owner THEN 'owner' "
                                     "ELSE 'member' END, role_since = :now WHERE room_id = :room"),
                      {{":owner", ownerId}, {":now", now}, {":room", roomId}}, "setting member roles");
        if (!roles)
            return roles.error();
        auto folded = sql::exec(database(),
                                QStringLiteral("UPDATE rooms SET name_fold = :fold, topic = :topic, "
                                               "visibility = :visibility WHERE id = :room"),
                                {{":fold", validation::foldCase(name)},
                                 {":topic", topic + QLatin1String("")}, // not NULL (QPSQL)
                                 {":visibility", roomVisibilityName(visibility)},
                                 {":room", roomId}},
                                "setting a group's name, topic and visibility");
        if (!folded)
            return folded.error();
    }
    ChangeRecord change{ChangeRecord::Kind::Room, roomId, ownerId, 0, {}};
    change.membership = RoomMembership{roomId, RoomType::Group, everyone};
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    Result<Room> room = roomForUser(roomId, ownerId);
    if (room)
        m_journal.attachRoom(room.value());
    return room;
}

Result<DmRoom> SqlStore::openDm(Id userId, Id otherUserId, qint64 now)
{
    const Id low = qMin(userId, otherUserId);
    const Id high = qMax(userId, otherUserId);
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    if (Result<void> found = requireUsers({low, high}); !found)
        return found.error();
    auto inserted = sql::exec(database(),
                              QStringLiteral("INSERT INTO rooms (type, name, dm_low, dm_high, created_at) "
                                             "VALUES ('dm', '', :low, :high, :createdAt) "
                                             "ON CONFLICT (dm_low, dm_high) DO NOTHING RETURNING id"),
                              {{":low", low}, {":high", high}, {":createdAt", now}}, "opening a DM");
    if (!inserted)
        return inserted.error();
    const bool created = inserted->next();
    Id roomId = created ? inserted->value(0).toLongLong() : 0;
    inserted->finish();
    if (created) {
        QList<Id> members{low};
        if (high != low)
            members.append(high); // a note-to-self DM has one member
        for (Id id : std::as_const(members)) {
            auto member =
                sql::exec(database(),
                          QStringLiteral("INSERT INTO members (room_id, user_id, joined_at) "
                                         "VALUES (:room, :user, :joinedAt)"),
                          {{":room", roomId}, {":user", id}, {":joinedAt", now}}, "adding a DM member");
            if (!member)
                return member.error();
        }
    } else {
        auto existing = sql::exec(
            database(), QStringLiteral("SELECT id FROM rooms WHERE dm_low = :low AND dm_high = :high"),
            {{":low", low}, {":high", high}}, "finding a DM");
        if (!existing)
            return existing.error();
        if (!existing->next())
            return sql::queryError(existing.value(), "finding a DM");
        roomId = existing->value(0).toLongLong();
        existing->finish();
    }
    if (created) {
        ChangeRecord change{ChangeRecord::Kind::Room, roomId, userId, 0, {}};
        change.membership =
            RoomMembership{roomId, RoomType::Dm, low == high ? QList<Id>{low} : QList<Id>{low, high}};
        if (Result<void> recorded = recordChange(change); !recorded)
            return recorded.error();
    }
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    Result<Room> room = roomForUser(roomId, userId);
    if (!room)
        return room.error();
    return DmRoom{room.value(), created};
}

Result<void> SqlStore::leaveRoom(Id roomId, Id userId)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto found = sql::exec(database(),
                           QStringLiteral("SELECT r.type FROM rooms r JOIN members mb ON mb.room_id = r.id "
                                          "WHERE r.id = :room AND mb.user_id = :user"),
                           {{":room", roomId}, {":user", userId}}, "leaving a room");
    if (!found)
        return found.error();
    if (!found->next())
        return noSuchRoomError();
    if (roomTypeFromSql(found->value(0).toString()) == RoomType::Dm)
        return makeError(ErrorCode::Forbidden, QStringLiteral("cannot leave a direct message"));
    found->finish();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::optional<MemberRole> role;
    if (hasGroups()) {
        if (Result<void> locked = lockRoomForChange(roomId); !locked)
            return locked.error();
        Result<std::optional<MemberRole>> held = roleIn(roomId, userId);
        if (!held)
            return held.error();
        if (!held.value())
            return noSuchRoomError(); // left meanwhile
        role = held.value();
    }
    auto removed =
        sql::exec(database(), QStringLiteral("DELETE FROM members WHERE room_id = :room AND user_id = :user"),
                  {{":room", roomId}, {":user", userId}}, "leaving a room");
    if (!removed)
        return removed.error();
    if (Result<void> recorded = recordChange({ChangeRecord::Kind::MemberLeft, roomId, userId, 0, {}});
        !recorded)
        return recorded.error();
    if (role) {
        // The others see who left; the one who left sees nothing more.
        if (Result<void> stored =
                storeSystemMessage(roomId, systemInfo(SystemAction::MemberLeft, userId), now);
            !stored)
            return stored.error();
        if (*role == MemberRole::Owner) {
            if (Result<void> passed = passOwnership(roomId, userId, now); !passed)
                return passed.error();
        }
    }
    return tx->commit();
}

Result<QList<Room>> SqlStore::roomsForUser(Id userId)
{
    return loadRooms(userId, std::nullopt);
}

Result<Room> SqlStore::roomForUser(Id roomId, Id userId)
{
    Result<QList<Room>> rooms = loadRooms(userId, roomId);
    if (!rooms)
        return rooms.error();
    if (rooms->isEmpty())
        return noSuchRoomError();
    return rooms->constFirst();
}

Result<QList<RoomMembership>> SqlStore::memberships()
{
    auto rows =
        sql::exec(database(),
                  QStringLiteral("SELECT r.id, r.type, mb.user_id FROM rooms r "
                                 "LEFT JOIN members mb ON mb.room_id = r.id ORDER BY r.id, mb.user_id"),
                  {}, "loading memberships");
    if (!rows)
        return rows.error();
    QList<RoomMembership> result;
    while (rows->next()) {
        const Id roomId = rows->value(0).toLongLong();
        if (result.isEmpty() || result.constLast().roomId != roomId)
            result.append(RoomMembership{roomId, roomTypeFromSql(rows->value(1).toString()), {}});
        if (!rows->isNull(2))
            result.last().memberIds.append(rows->value(2).toLongLong());
    }
    return result;
}

Result<bool> SqlStore::isMember(Id roomId, Id userId)
{
    auto query = sql::exec(database(),
                           QStringLiteral("SELECT 1 FROM members WHERE room_id = :room AND user_id = :user"),
                           {{":room", roomId}, {":user", userId}}, "checking membership");
    if (!query)
        return query.error();
    return query->next();
}

} // namespace confab::server
