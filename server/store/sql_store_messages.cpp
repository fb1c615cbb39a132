// SqlStore: message pages, read markers and mentions (storing: sql_store_batch.cpp).
#include "store/sql_store.h"

#include "store/sql_util.h"

#include "protocol/reply_size.h"

#include <algorithm>

namespace confab::server {

Result<MessagePage> SqlStore::fetchMessages(Id roomId, std::optional<Id> beforeId, std::optional<Id> afterId,
                                            int limit)
{
    limit = qMax(limit, 1);
    QString statement =
        QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m WHERE m.room_id = :room");
    QList<sql::Bind> binds{{":room", roomId}, {":limit", limit + 1}};
    if (beforeId) {
        statement += QLatin1String(" AND m.id < :before");
        binds.append({":before", *beforeId});
    }
    // After an id: the oldest page above it, ascending. Otherwise the newest
    // page (below beforeId), read descending and reversed.
    if (afterId) {
        statement += QLatin1String(" AND m.id > :after ORDER BY m.id ASC LIMIT :limit");
        binds.append({":after", *afterId});
    } else {
        statement += QLatin1String(" ORDER BY m.id DESC LIMIT :limit");
    }
    auto rows = sql::exec(database(), statement, binds, "fetching messages");
    if (!rows)
        return rows.error();
    // Rows come from the end the page starts at (the newest for an older or
    // newest page, the oldest above afterId), so a page cut short by bytes
    // keeps the messages next to what the client holds, and hasMore holds.
    Result<MessagePage> page = messagePage(rows.value(), limit);
    if (page && !afterId)
        std::reverse(page->messages.begin(), page->messages.end());
    return page;
}

Result<MessagePage> SqlStore::messagePage(QSqlQuery& rows, int limit)
{
    MessagePage page;
    replysize::PageBudget budget;
    while (rows.next()) {
        Message message = sql::messageFromRow(rows);
        if (page.messages.size() == limit || !budget.take(message)) {
            page.hasMore = true; // the limit+1st row, or one over the byte budget
            break;
        }
        page.messages.append(std::move(message));
    }
    rows.finish();
    if (Result<void> parts = attachMessageParts(page.messages); !parts)
        return parts.error();
    if (replysize::keepWithinBudget(page.messages, replysize::PageEnd::Front))
        page.hasMore = true;
    return page;
}

Result<Id> SqlStore::markRead(Id roomId, Id userId, Id messageId)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<bool> member = isMember(roomId, userId);
    if (!member)
        return member.error();
    if (!member.value())
        return noSuchRoomError();
    auto found =
        sql::exec(database(), QStringLiteral("SELECT 1 FROM messages WHERE id = :id AND room_id = :room"),
                  {{":id", messageId}, {":room", roomId}}, "checking a read message");
    if (!found)
        return found.error();
    if (!found->next())
        return makeError(ErrorCode::NotFound, QStringLiteral("no such message in this room"));
    found->finish();
    // Only forward: a stale mark_read from another device changes nothing.
    auto moved =
        sql::exec(database(),
                  QStringLiteral("UPDATE members SET last_read_message_id = :id WHERE room_id = :room "
                                 "AND user_id = :user AND last_read_message_id < :sameId"),
                  {{":id", messageId}, {":room", roomId}, {":user", userId}, {":sameId", messageId}},
                  "moving the read marker");
    if (!moved)
        return moved.error();
    auto marker = sql::exec(database(),
                            QStringLiteral("SELECT last_read_message_id FROM members "
                                           "WHERE room_id = :room AND user_id = :user"),
                            {{":room", roomId}, {":user", userId}}, "reading the read marker");
    if (!marker)
        return marker.error();
    if (!marker->next())
        return sql::queryError(marker.value(), "reading the read marker");
    const Id result = marker->value(0).toLongLong();
    marker->finish();
    if (Result<void> recorded = recordChange({ChangeRecord::Kind::Read, roomId, userId, result, {}});
        !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return result;
}

Result<MessagePage> SqlStore::listMentions(Id userId, std::optional<Id> beforeId, int limit)
{
    limit = qMax(limit, 1);
    QString statement =
        QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM mentions mn "
                       "JOIN messages m ON m.id = mn.message_id "
                       "JOIN members mb ON mb.room_id = mn.room_id AND mb.user_id = mn.user_id "
                       "WHERE mn.user_id = :user AND m.deleted = 0");
    QList<sql::Bind> binds{{":user", userId}, {":limit", limit + 1}};
    if (beforeId) {
        statement += QLatin1String(" AND mn.message_id < :before");
        binds.append({":before", *beforeId});
    }
    statement += QLatin1String(" ORDER BY mn.message_id DESC LIMIT :limit");
    auto rows = sql::exec(database(), statement, binds, "listing mentions");
    if (!rows)
        return rows.error();
    // Newest first: a page cut short by bytes continues below its last item.
    return messagePage(rows.value(), limit);
}

} // namespace confab::server
