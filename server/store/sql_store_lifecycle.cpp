// SqlStore: the message lifecycle (contract, second part: "Message changes
// and catch-up"): edits, deletes, reactions, revisions and fetch_changes,
// and the lifecycle fields every message read carries (attachMessageParts).
#include "store/sql_store.h"

#include "protocol/limits.h"
#include "protocol/reply_size.h"
#include "protocol/validation.h"
#include "store/sql_util.h"

#include <QHash>
#include <QSet>

namespace confab::server {
namespace {

Error noSuchMessage()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such message"));
}

Error forbidden(const char* why)
{
    return makeError(ErrorCode::Forbidden, QString::fromLatin1(why));
}

// ":i0, :i1, ..." and their binds, for an IN list of ids.
struct IdList {
    QString placeholders;
    QList<sql::Bind> binds;
};

IdList idList(const QList<Id>& ids)
{
    static const QList<QByteArray> kNames = [] {
        QList<QByteArray> names;
        for (int i = 0; i < SqlStoreIdListMax; ++i)
            names.append(":i" + QByteArray::number(i));
        return names;
    }();
    IdList list;
    QStringList names;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        names.append(QString::fromLatin1(kNames.at(i)));
        list.binds.append({kNames.at(i).constData(), ids.at(i)});
    }
    list.placeholders = names.join(QLatin1String(", "));
    return list;
}

} // namespace

Result<SqlStore::ChangeTarget> SqlStore::lockChangeTarget(Id messageId, Id userId)
{
    if (openedSchemaVersion() < lifecycleVersion())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("message changes need schema version %1").arg(lifecycleVersion()));
    auto room = sql::exec(database(), QStringLiteral("SELECT room_id FROM messages WHERE id = :id"),
                          {{":id", messageId}}, "finding a message's room");
    if (!room)
        return room.error();
    if (!room->next())
        return noSuchMessage();
    const Id roomId = room->value(0).toLongLong();
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
    target.ownerId = row->isNull(0) ? 0 : row->value(0).toLongLong();
    target.message = sql::messageFromRow(row.value(), 1);
    row->finish();
    return target;
}

Result<Message> SqlStore::reloadMessage(Id messageId)
{
    auto row = sql::exec(database(),
                         QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m WHERE m.id = :id"),
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
    auto previous = sql::exec(database(), QStringLiteral("SELECT user_id FROM mentions WHERE message_id = :id"),
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
        auto row = sql::exec(database(),
                             QStringLiteral("INSERT INTO mentions (user_id, message_id, room_id) "
                                            "VALUES (:user, :message, :room)"),
                             {{":user", userId}, {":message", old.id}, {":room", old.roomId}}, "storing a mention");
        if (!row)
            return row.error();
    }
    Result<qint64> revision = takeRevision();
    if (!revision)
        return revision.error();
    auto updated = sql::exec(database(),
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
    auto unindexed = sql::exec(database(), searchDeleteStatement(), {{":id", old.id}}, "re-indexing a message");
    if (!unindexed)
        return unindexed.error();
    auto indexed = sql::exec(database(), searchInsertStatement(),
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
    const bool owner = target->ownerId != 0 && target->ownerId == userId;
    if (!owner) {
        if (old.senderId != userId)
            return forbidden("only the sender or the room's owner can delete a message");
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
    for (const QString& statement : {QStringLiteral("DELETE FROM mentions WHERE message_id = :id"),
                                     QStringLiteral("DELETE FROM reactions WHERE message_id = :id"),
                                     searchDeleteStatement()}) {
        auto erased = sql::exec(database(), statement, {{":id", old.id}}, "erasing a deleted message");
        if (!erased)
            return erased.error();
    }
    Result<qint64> revision = takeRevision();
    if (!revision)
        return revision.error();
    auto updated = sql::exec(database(),
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
    if (message.deleted)
        return forbidden("the message is deleted");
    ReactionChange result;
    result.roomId = message.roomId;
    if (on) {
        auto present = sql::exec(database(),
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
            return makeError(ErrorCode::TooLarge, QStringLiteral("a message has at most %1 different reactions")
                                                      .arg(limits::kMaxDistinctReactions));
        auto added = sql::exec(database(),
                               QStringLiteral("INSERT INTO reactions (message_id, emoji, user_id, created_at) "
                                              "VALUES (:id, :emoji, :user, :createdAt)"),
                               {{":id", messageId}, {":emoji", emoji}, {":user", userId}, {":createdAt", now}},
                               "adding a reaction");
        if (!added)
            return added.error();
    } else {
        auto removed = sql::exec(database(),
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
    auto raised = sql::exec(database(), QStringLiteral("UPDATE messages SET revision = :revision WHERE id = :id"),
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

Result<MessagePage> SqlStore::fetchChanges(Id roomId, qint64 afterRevision, int limit)
{
    if (openedSchemaVersion() < lifecycleVersion())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("message changes need schema version %1").arg(lifecycleVersion()));
    limit = qMax(limit, 1);
    auto rows = sql::exec(database(),
                          QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m "
                                         "WHERE m.room_id = :room AND m.revision > :after "
                                         "ORDER BY m.revision ASC LIMIT :limit"),
                          {{":room", roomId}, {":after", afterRevision}, {":limit", limit + 1}}, "fetching changes");
    if (!rows)
        return rows.error();
    MessagePage page;
    replysize::PageBudget budget;
    while (rows->next()) {
        Message message = sql::messageFromRow(rows.value());
        if (page.messages.size() == limit || !budget.take(message)) {
            page.hasMore = true;
            break;
        }
        page.messages.append(std::move(message));
    }
    rows->finish();
    if (Result<void> parts = attachMessageParts(page.messages); !parts)
        return parts.error();
    return page;
}

Result<void> SqlStore::attachMessageParts(QList<Message>& messages)
{
    if (messages.isEmpty() || openedSchemaVersion() < lifecycleVersion())
        return {};
    QHash<Id, QList<qsizetype>> at; // a message may appear once; a list keeps it general
    for (qsizetype i = 0; i < messages.size(); ++i)
        at[messages.at(i).id].append(i);
    const QList<Id> ids = at.keys();
    for (qsizetype from = 0; from < ids.size(); from += SqlStoreIdListMax) {
        const IdList list = idList(ids.mid(from, SqlStoreIdListMax));
        // Revision and the preview of the message replied to.
        auto rows = sql::exec(database(),
                              QStringLiteral("SELECT m.id, m.revision, p.id, p.sender_id, p.content, p.deleted "
                                             "FROM messages m LEFT JOIN messages p ON p.id = m.reply_to "
                                             "WHERE m.id IN (%1)")
                                  .arg(list.placeholders),
                              list.binds, "reading message revisions");
        if (!rows)
            return rows.error();
        while (rows->next()) {
            std::optional<ReplyPreview> preview;
            if (!rows->isNull(2)) {
                Message quoted;
                quoted.content = rows->value(4).toString();
                replysize::cutToPreview(quoted);
                preview = ReplyPreview{rows->value(2).toLongLong(), rows->value(3).toLongLong(), quoted.content,
                                       rows->value(5).toLongLong() != 0};
            }
            for (qsizetype i : at.value(rows->value(0).toLongLong())) {
                messages[i].revision = rows->value(1).toLongLong();
                messages[i].replyPreview = preview;
            }
        }
        rows->finish();
        // Reactions in order of first use, each emoji's users in order of reacting.
        auto reactions = sql::exec(database(),
                                   QStringLiteral("SELECT message_id, emoji, user_id FROM reactions "
                                                  "WHERE message_id IN (%1) ORDER BY message_id, id")
                                       .arg(list.placeholders),
                                   list.binds, "reading reactions");
        if (!reactions)
            return reactions.error();
        QHash<Id, QList<Reaction>> byMessage;
        while (reactions->next()) {
            QList<Reaction>& ofMessage = byMessage[reactions->value(0).toLongLong()];
            const QString emoji = reactions->value(1).toString();
            auto it = std::find_if(ofMessage.begin(), ofMessage.end(),
                                   [&emoji](const Reaction& r) { return r.emoji == emoji; });
            if (it == ofMessage.end())
                it = ofMessage.insert(ofMessage.end(), Reaction{emoji, {}});
            it->userIds.append(reactions->value(2).toLongLong());
        }
        reactions->finish();
        for (auto it = byMessage.cbegin(); it != byMessage.cend(); ++it) {
            for (qsizetype i : at.value(it.key()))
                messages[i].reactions = it.value();
        }
    }
    return {};
}

} // namespace confab::server
