// SqlStore: the message lifecycle (contract, second part: "Message changes
// and catch-up"): edits, deletes and reactions, each raising the message's
// revision. Reading them back is in sql_store_message_parts.cpp.
#include "store/sql_store.h"

#include "protocol/limits.h"
#include "protocol/reply_size.h"
#include "protocol/validation.h"
#include "store/sql_util.h"
#include "store/store_errors.h"

#include <QHash>
#include <QSet>

namespace confab::server {
namespace {

Error noSuchMessage()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such message"));
}

using store_errors::forbidden;

} // namespace

Result<SqlStore::ChangeTarget> SqlStore::lockChangeTarget(Id messageId, Id userId)
{
    if (openedSchemaVersion() < lifecycleVersion())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("message changes need schema version %1").arg(lifecycleVersion()));
    auto room = sql::exec(database(),
                          hasGroups() ? QStringLiteral("SELECT room_id, kind FROM messages WHERE id = :id")
                                      : QStringLiteral("SELECT room_id, 'text' FROM messages WHERE id = :id"),
                          {{":id", messageId}}, "finding a message's room");
    if (!room)
        return room.error();
    if (!room->next())
        return noSuchMessage();
    const Id roomId = room->value(0).toLongLong();
    const bool system = room->value(1).toString() == QLatin1String("system");
    room->finish();
    if (Result<void> locked = lockRoomForChange(roomId); !locked)
        return locked.error();
    // After the lock: the state every earlier change of the room left.
    auto row = sql::exec(database(),
                         QStringLiteral("SELECT r.owner_id, " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m "
                                        "JOIN rooms r ON r.id = m.room_id "
                                        "JOIN members mb ON mb.room_id = m.room_id AND mb.user_id = :user "
                                        "WHERE m.id = :id"),
                         {{":user", userId}, {":id", messageId}}, "reading a message to change");
    if (!row)
        return row.error();
    if (!row->next())
        return noSuchMessage(); // the same answer for a room the user is not in
    ChangeTarget target;
    target.system = system;
    target.ownerId = row->isNull(0) ? 0 : row->value(0).toLongLong();
    target.message = sql::messageFromRow(row.value(), 1);
    row->finish();
    return target;
}

Result<Message> SqlStore::reloadMessage(Id messageId)
{
    auto row = sql::exec(
        database(), QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m WHERE m.id = :id"),
        {{":id", messageId}}, "reading a changed message");
    if (!row)
        return row.error();
    if (!row->next())
        return sql::queryError(row.value(), "reading a changed message");
    QList<Message> messages{sql::messageFromRow(row.value())};
    row->finish();
    if (Result<void> parts = attachMessageParts(messages); !parts)
        return parts.error();
    return messages.constFirst();
}

Result<ChangedMessage> SqlStore::editMessage(const MessageEdit& edit)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<ChangeTarget> target = lockChangeTarget(edit.messageId, edit.userId);
    if (!target)
        return target.error();
    const Message& old = target->message;
    if (target->system)
        return forbidden("a system message cannot be changed");
    if (old.senderId != edit.userId)
        return forbidden("only the sender can edit a message");
    if (old.deleted)
        return forbidden("the message is deleted");
    if (edit.now - old.createdAt > edit.windowMs)
        return forbidden("the edit window has passed");

    sql::Statement mentionCheck(database(), mentionCheckStatement(), "checking a mention");
    Result<QList<Mention>> mentions = verifiedMentions(old.roomId, edit.content, edit.mentions, mentionCheck);
    if (!mentions)
        return mentions.error();
    mentionCheck.finish();
    QSet<Id> before;
    auto previous =
        sql::exec(database(), QStringLiteral("SELECT user_id FROM mentions WHERE message_id = :id"),
                  {{":id", old.id}}, "reading a message's mentions");
    if (!previous)
        return previous.error();
    while (previous->next())
        before.insert(previous->value(0).toLongLong());
    previous->finish();
    QList<Id> mentioned; // distinct, sender excluded
    for (const Mention& mention : std::as_const(mentions.value())) {
        if (mention.userId != old.senderId && !mentioned.contains(mention.userId))
            mentioned.append(mention.userId);
    }

    auto cleared = sql::exec(database(), QStringLiteral("DELETE FROM mentions WHERE message_id = :id"),
                             {{":id", old.id}}, "replacing a message's mentions");
    if (!cleared)
        return cleared.error();
    for (Id userId : std::as_const(mentioned)) {
        auto row =
            sql::exec(database(),
                      QStringLiteral("INSERT INTO mentions (user_id, message_id, room_id) "
                                     "VALUES (:user, :message, :room)"),
                      {{":user", userId}, {":message", old.id}, {":room", old.roomId}}, "storing a mention");
        if (!row)
            return row.error();
    }
    Result<qint64> revision = takeRevision();
    if (!revision)
        return revision.error();
    auto updated =
        sql::exec(database(),
                  QStringLiteral("UPDATE messages SET content = :content, mentions_json = :mentions, "
                                 "edited_at = :editedAt, revision = :revision WHERE id = :id"),
                  {{":content", edit.content},
                   {":mentions", sql::mentionsToJson(mentions.value())},
                   {":editedAt", edit.now},
                   {":revision", revision.value()},
                   {":id", old.id}},
                  "editing a message");
    if (!updated)
        return updated.error();
    // The search text follows the new content: the old text is found no more.
    auto unindexed =
        sql::exec(database(), searchDeleteStatement(), {{":id", old.id}}, "re-indexing a message");
    if (!unindexed)
        return unindexed.error();
    auto indexed =
        sql::exec(database(), searchInsertStatement(),
                  {{":id", old.id}, {":body", validation::foldCase(edit.content)}}, "re-indexing a message");
    if (!indexed)
        return indexed.error();

    Result<Message> now = reloadMessage(old.id);
    if (!now)
        return now.error();
    ChangedMessage changed;
    changed.message = now.value();
    for (Id userId : std::as_const(mentioned)) {
        if (!before.contains(userId))
            changed.newlyMentionedUserIds.append(userId);
    }
    ChangeRecord change{ChangeRecord::Kind::MessageUpdated, old.roomId, edit.userId, old.id,
                        changed.newlyMentionedUserIds};
    change.message = changed.message;
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return changed;
}

Result<ChangedMessage> SqlStore::deleteMessage(Id messageId, Id userId, qint64 now, qint64 windowMs)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<ChangeTarget> target = lockChangeTarget(messageId, userId);
    if (!target)
        return target.error();
    const Message& old = target->message;
    if (target->system)
        return forbidden("a system message cannot be changed");
    // The contract: "or a room owner/admin at any time" (Groups gave rooms admins).
    bool moderator = target->ownerId != 0 && target->ownerId == userId;
    if (!moderator) {
        Result<std::optional<MemberRole>> role = roleIn(old.roomId, userId);
        if (!role)
            return role.error();
        moderator = role.value() == MemberRole::Owner || role.value() == MemberRole::Admin;
    }
    if (!moderator) {
        if (old.senderId != userId)
            return forbidden("only the sender or the room's owner or an admin can delete a message");
        if (now - old.createdAt > windowMs)
            return forbidden("the delete window has passed");
    }
    if (old.deleted) { // a retry: done already, nothing to tell anyone
        Result<Message> same = reloadMessage(old.id);
        if (!same)
            return same.error();
        return ChangedMessage{same.value(), false, {}};
    }
    // The content goes from every table that held it.
    for (const QString& statement :
         {QStringLiteral("DELETE FROM mentions WHERE message_id = :id"),
          QStringLiteral("DELETE FROM reactions WHERE message_id = :id"), searchDeleteStatement()}) {
        auto erased = sql::exec(database(), statement, {{":id", old.id}}, "erasing a deleted message");
        if (!erased)
            return erased.error();
    }
    // Files (issue 16): its attachments and thumbnails go in the same transaction.
    if (Result<void> files = deleteMessageFiles(old.id); !files)
        return files.error();
    Result<qint64> revision = takeRevision();
    if (!revision)
        return revision.error();
    auto updated =
        sql::exec(database(),
                  QStringLiteral("UPDATE messages SET content = '', mentions_json = '[]', deleted = 1, "
                                 "revision = :revision WHERE id = :id"),
                  {{":revision", revision.value()}, {":id", old.id}}, "deleting a message");
    if (!updated)
        return updated.error();
    Result<Message> placeholder = reloadMessage(old.id);
    if (!placeholder)
        return placeholder.error();
    ChangeRecord change{ChangeRecord::Kind::MessageUpdated, old.roomId, userId, old.id, {}};
    change.message = placeholder.value();
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return ChangedMessage{placeholder.value(), true, {}};
}

Result<ReactionChange> SqlStore::react(Id messageId, Id userId, const QString& emoji, bool on, qint64 now)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<ChangeTarget> target = lockChangeTarget(messageId, userId);
    if (!target)
        return target.error();
    const Message& message = target->message;
    if (target->system)
        return forbidden("a system message cannot be changed");
    if (message.deleted)
        return forbidden("the message is deleted");
    ReactionChange result;
    result.roomId = message.roomId;
    if (on) {
        auto present =
            sql::exec(database(),
                      QStringLiteral("SELECT COUNT(DISTINCT emoji), "
                                     "COALESCE(MAX(CASE WHEN emoji = :emoji THEN 1 ELSE 0 END), 0), "
                                     "COALESCE(MAX(CASE WHEN emoji = :same AND user_id = :user "
                                     "THEN 1 ELSE 0 END), 0) FROM reactions WHERE message_id = :id"),
                      {{":emoji", emoji}, {":same", emoji}, {":user", userId}, {":id", messageId}},
                      "counting reactions");
        if (!present)
            return present.error();
        if (!present->next())
            return sql::queryError(present.value(), "counting reactions");
        const int distinct = present->value(0).toInt();
        const bool emojiUsed = present->value(1).toInt() != 0;
        const bool mine = present->value(2).toInt() != 0;
        present->finish();
        if (mine)
            return result; // already on: nothing changes, nothing is sent
        if (!emojiUsed && distinct >= limits::kMaxDistinctReactions)
            return makeError(ErrorCode::TooLarge,
                             QStringLiteral("a message has at most %1 different reactions")
                                 .arg(limits::kMaxDistinctReactions));
        auto added =
            sql::exec(database(),
                      QStringLiteral("INSERT INTO reactions (message_id, emoji, user_id, created_at) "
                                     "VALUES (:id, :emoji, :user, :createdAt)"),
                      {{":id", messageId}, {":emoji", emoji}, {":user", userId}, {":createdAt", now}},
                      "adding a reaction");
        if (!added)
            return added.error();
    } else {
        auto removed =
            sql::exec(database(),
                      QStringLiteral("DELETE FROM reactions WHERE message_id = :id AND emoji = :emoji "
                                     "AND user_id = :user"),
                      {{":id", messageId}, {":emoji", emoji}, {":user", userId}}, "removing a reaction");
        if (!removed)
            return removed.error();
        if (removed->numRowsAffected() <= 0)
            return result; // already off
    }
    Result<qint64> revision = takeRevision();
    if (!revision)
        return revision.error();
    auto raised =
        sql::exec(database(), QStringLiteral("UPDATE messages SET revision = :revision WHERE id = :id"),
                  {{":revision", revision.value()}, {":id", messageId}}, "raising a revision");
    if (!raised)
        return raised.error();
    ChangeRecord change{ChangeRecord::Kind::Reaction, message.roomId, userId, messageId, {}};
    change.emoji = emoji;
    change.on = on;
    change.revision = revision.value();
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    result.changed = true;
    result.revision = revision.value();
    return result;
}

} // namespace confab::server
