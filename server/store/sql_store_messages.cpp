// SqlStore: messages, read markers and mentions.
#include "store/sql_store.h"

#include "protocol/validation.h"
#include "store/sql_util.h"

#include <QHash>

#include <algorithm>

namespace confab::server {

Result<std::optional<Message>> SqlStore::messageBySenderTempId(Id senderId, const QString& tempId)
{
    auto query = sql::exec(database(),
                           QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m "
                                          "WHERE m.sender_id = :sender AND m.temp_id = :tempId"),
                           {{":sender", senderId}, {":tempId", tempId}}, "looking up a tempId");
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<Message>();
    return std::optional<Message>(sql::messageFromRow(query.value()));
}

Result<QList<Mention>> SqlStore::verifiedMentions(const NewMessage& message)
{
    QHash<Id, QString> usernames; // members mentioned so far; empty string: not a member
    QList<Mention> kept;
    for (const Mention& mention : message.mentions) {
        auto it = usernames.constFind(mention.userId);
        if (it == usernames.constEnd()) {
            auto query = sql::exec(
                database(),
                QStringLiteral("SELECT u.username FROM members mb JOIN users u ON u.id = mb.user_id "
                               "WHERE mb.room_id = :room AND mb.user_id = :user"),
                {{":room", message.roomId}, {":user", mention.userId}}, "checking a mention");
            if (!query)
                return query.error();
            it = usernames.insert(mention.userId, query->next() ? query->value(0).toString() : QString());
        }
        if (!it->isEmpty() && validation::mentionSpanMatches(message.content, mention, *it) &&
            !kept.contains(mention)) {
            kept.append(mention);
        }
    }
    return kept;
}

Result<InsertedMessage> SqlStore::insertMessage(const NewMessage& message)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();

    Result<std::optional<Message>> first = messageBySenderTempId(message.senderId, message.tempId);
    if (!first)
        return first.error();
    if (first.value())
        return InsertedMessage{*first.value(), true, {}}; // nothing written; the rollback is a no-op

    Result<bool> member = isMember(message.roomId, message.senderId);
    if (!member)
        return member.error();
    if (!member.value())
        return noSuchRoomError();

    if (message.replyTo) {
        auto reply =
            sql::exec(database(), QStringLiteral("SELECT 1 FROM messages WHERE id = :id AND room_id = :room"),
                      {{":id", *message.replyTo}, {":room", message.roomId}}, "checking replyTo");
        if (!reply)
            return reply.error();
        if (!reply->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("replyTo is not a message of this room"));
    }

    Result<QList<Mention>> mentions = verifiedMentions(message);
    if (!mentions)
        return mentions.error();

    auto inserted =
        sql::exec(database(),
                  QStringLiteral("INSERT INTO messages (room_id, sender_id, content, mentions_json, "
                                 "temp_id, reply_to, created_at) VALUES (:room, :sender, :content, "
                                 ":mentions, :tempId, :replyTo, :createdAt) "
                                 "ON CONFLICT (sender_id, temp_id) DO NOTHING RETURNING id"),
                  {{":room", message.roomId},
                   {":sender", message.senderId},
                   {":content", message.content},
                   {":mentions", sql::mentionsToJson(mentions.value())},
                   {":tempId", message.tempId},
                   {":replyTo", sql::nullableId(message.replyTo)},
                   {":createdAt", message.createdAt}},
                  "storing a message");
    if (!inserted)
        return inserted.error();
    if (!inserted->next()) {
        // The same (sender, tempId) committed meanwhile on another server of
        // the cluster (PostgreSQL waited for it): this send is a retry of it.
        inserted->finish();
        tx->rollback();
        Result<std::optional<Message>> winner = messageBySenderTempId(message.senderId, message.tempId);
        if (!winner)
            return winner.error();
        if (!winner.value())
            return sql::queryError(inserted.value(), "storing a message");
        return InsertedMessage{*winner.value(), true, {}};
    }

    InsertedMessage result;
    result.message.id = inserted->value(0).toLongLong();
    inserted->finish(); // SQLite: a RETURNING statement must be reset before COMMIT
    result.message.roomId = message.roomId;
    result.message.senderId = message.senderId;
    result.message.content = message.content;
    result.message.mentions = mentions.value();
    result.message.createdAt = message.createdAt;
    result.message.tempId = message.tempId;
    result.message.replyTo = message.replyTo;

    for (const Mention& mention : std::as_const(mentions.value())) {
        if (mention.userId != message.senderId && !result.mentionedUserIds.contains(mention.userId))
            result.mentionedUserIds.append(mention.userId);
    }
    for (Id userId : std::as_const(result.mentionedUserIds)) {
        auto row = sql::exec(database(),
                             QStringLiteral("INSERT INTO mentions (user_id, message_id, room_id) "
                                            "VALUES (:user, :message, :room)"),
                             {{":user", userId}, {":message", result.message.id}, {":room", message.roomId}},
                             "storing a mention");
        if (!row)
            return row.error();
    }
    if (Result<void> indexed = indexMessageText(result.message.id, message.content); !indexed)
        return indexed.error();
    const ChangeRecord change{ChangeRecord::Kind::Message, message.roomId, message.senderId,
                              result.message.id, result.mentionedUserIds};
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return result;
}

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
    MessagePage page;
    while (rows->next())
        page.messages.append(sql::messageFromRow(rows.value()));
    page.hasMore = page.messages.size() > limit; // the limit+1st row only says more exist
    if (page.hasMore)
        page.messages.removeLast();
    if (!afterId)
        std::reverse(page.messages.begin(), page.messages.end());
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
    MessagePage page;
    while (rows->next())
        page.messages.append(sql::messageFromRow(rows.value()));
    page.hasMore = page.messages.size() > limit;
    if (page.hasMore)
        page.messages.removeLast();
    return page;
}

} // namespace confab::server
