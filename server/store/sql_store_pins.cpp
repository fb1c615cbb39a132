// SqlStore: pins and the directory of public groups (contract, second part:
// "Groups"). Membership changes are in sql_store_groups.cpp.
#include "store/sql_store.h"

#include "protocol/limits.h"
#include "protocol/validation.h"
#include "store/sql_util.h"
#include "store/store_errors.h"

namespace confab::server {
namespace {

using store_errors::forbidden;

} // namespace

Result<void> SqlStore::pinMessage(Id messageId, Id userId, bool pinned, qint64 now)
{
    if (!hasGroups())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("pins need schema version %1").arg(groupsVersion()));
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    // Locks the room; not_found "no such message" for a room the user is not in.
    Result<ChangeTarget> target = lockChangeTarget(messageId, userId);
    if (!target)
        return target.error();
    const Id roomId = target->message.roomId;
    if (target->system)
        return forbidden("a system message cannot be pinned");
    Result<std::optional<MemberRole>> role = roleIn(roomId, userId);
    if (!role)
        return role.error();
    // A DM has no owner (ownerId 0): either side pins.
    if (target->ownerId != 0 && role.value().value_or(MemberRole::Member) == MemberRole::Member)
        return forbidden("only the owner and admins can pin messages");
    if (pinned) {
        if (target->message.deleted)
            return forbidden("the message is deleted");
        auto count = sql::exec(database(),
                               QStringLiteral("SELECT COUNT(*), COALESCE(MAX(CASE WHEN message_id = :id "
                                              "THEN 1 ELSE 0 END), 0) FROM pins WHERE room_id = :room"),
                               {{":id", messageId}, {":room", roomId}}, "counting pins");
        if (!count)
            return count.error();
        if (!count->next())
            return sql::queryError(count.value(), "counting pins");
        const int pins = count->value(0).toInt();
        const bool already = count->value(1).toInt() != 0;
        count->finish();
        if (already)
            return tx->commit(); // pinned already: nothing changes, nothing is sent
        if (pins >= limits::kMaxPinsPerRoom)
            return makeError(
                ErrorCode::TooLarge,
                QStringLiteral("a room has at most %1 pinned messages").arg(limits::kMaxPinsPerRoom));
        auto added = sql::exec(database(),
                               QStringLiteral("INSERT INTO pins (room_id, message_id, pinned_by, pinned_at) "
                                              "VALUES (:room, :id, :user, :now)"),
                               {{":room", roomId}, {":id", messageId}, {":user", userId}, {":now", now}},
                               "pinning a message");
        if (!added)
            return added.error();
    } else {
        auto removed = sql::exec(database(), QStringLiteral("DELETE FROM pins WHERE message_id = :id"),
                                 {{":id", messageId}}, "unpinning a message");
        if (!removed)
            return removed.error();
        if (removed->numRowsAffected() <= 0)
            return tx->commit(); // not pinned
    }
    SystemInfo info = systemInfo(pinned ? SystemAction::Pinned : SystemAction::Unpinned, userId);
    info.messageId = messageId;
    Result<Message> notice = insertSystemMessage(roomId, info, now);
    if (!notice)
        return notice.error();
    ChangeRecord change{ChangeRecord::Kind::PinsChanged, roomId, userId, messageId, {}};
    change.on = pinned;
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    if (Result<void> recorded = recordSystemMessage(notice.value()); !recorded)
        return recorded.error();
    return tx->commit();
}

Result<QList<Message>> SqlStore::listPins(Id roomId, Id userId)
{
    if (!hasGroups())
        return QList<Message>();
    Result<bool> member = isMember(roomId, userId);
    if (!member)
        return member.error();
    if (!member.value())
        return noSuchRoomError();
    auto rows = sql::exec(database(),
                          QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM pins p "
                                         "JOIN messages m ON m.id = p.message_id WHERE p.room_id = :room "
                                         "ORDER BY p.id DESC LIMIT :limit"),
                          {{":room", roomId}, {":limit", limits::kMaxPinsPerRoom}}, "listing pins");
    if (!rows)
        return rows.error();
    QList<Message> messages;
    while (rows->next())
        messages.append(sql::messageFromRow(rows.value()));
    rows->finish();
    if (Result<void> parts = attachMessageParts(messages); !parts)
        return parts.error();
    return messages;
}

Result<QList<PublicRoom>> SqlStore::listPublicRooms(const QString& query, int limit)
{
    if (!hasGroups())
        return QList<PublicRoom>();
    // The folded name holds the C++ case folding (any script); the query is
    // folded the same way and LIKE-escaped, so % and _ match themselves.
    const QString pattern =
        QLatin1Char('%') + sql::likeEscaped(validation::foldCase(query.trimmed())) + QLatin1Char('%');
    auto rows =
        sql::exec(database(),
                  QStringLiteral("SELECT r.id, r.name, r.topic, (SELECT COUNT(*) FROM members mb "
                                 "WHERE mb.room_id = r.id) FROM rooms r WHERE r.type = 'group' "
                                 "AND r.visibility = 'public' AND r.name_fold LIKE :pattern ESCAPE '\\' "
                                 "ORDER BY r.name_fold, r.id LIMIT :limit"),
                  {{":pattern", pattern}, {":limit", qBound(1, limit, limits::kPublicRoomsMaxLimit)}},
                  "listing public groups");
    if (!rows)
        return rows.error();
    QList<PublicRoom> rooms;
    while (rows->next())
        rooms.append(PublicRoom{rows->value(0).toLongLong(), rows->value(1).toString(),
                                rows->value(2).toString(), rows->value(3).toInt()});
    return rooms;
}

} // namespace confab::server
