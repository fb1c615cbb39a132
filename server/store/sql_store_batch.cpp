// SqlStore: storing messages, one or a batch per transaction (group commit).
#include "store/sql_store.h"

#include "protocol/reply_size.h"
#include "protocol/validation.h"
#include "store/sql_util.h"
#include "store/store_log.h"

#include <QHash>

namespace confab::server {

// Every statement a message needs, prepared at most once per batch: on
// PostgreSQL each prepare is a PREPARE and a DEALLOCATE round trip, which
// would otherwise double the round trips of every message.
struct SqlStore::MessageStatements {
    explicit MessageStatements(SqlStore& store)
        // One round trip for both checks every message needs: is the
        // (sender, tempId) taken (the message columns, or NULLs), and is the
        // sender a member of the room.
        : lookup(store.database(),
                 QStringLiteral("SELECT EXISTS (SELECT 1 FROM members WHERE room_id = :room AND user_id = "
                                ":member), " CONFAB_SQL_MESSAGE_COLUMNS " FROM (SELECT 1 AS one) o "
                                "LEFT JOIN messages m ON m.sender_id = :sender AND m.temp_id = :tempId"),
                 "looking up a tempId")
        , replyTo(store.database(),
                  QStringLiteral(
                      "SELECT sender_id, content, deleted FROM messages WHERE id = :id AND room_id = :room"),
                  "checking replyTo")
        , mentioned(store.database(), mentionCheckStatement(), "checking a mention")
        , insert(store.database(), store.messageInsertStatement(), "storing a message")
        , mention(store.database(),
                  QStringLiteral(
                      "INSERT INTO mentions (user_id, message_id, room_id) VALUES (:user, :message, :room)"),
                  "storing a mention")
        , index(store.database(), store.searchInsertStatement(), "indexing a message")
        , change(store.database(), changeStatement(), "recording a change for the cluster")
    {}

    // Resets them all: SQLite refuses COMMIT and ROLLBACK TO while a
    // statement (a RETURNING one above all) is still in progress.
    void finish()
    {
        for (sql::Statement* s : {&lookup, &replyTo, &mentioned, &insert, &mention, &index, &change})
            s->finish();
    }

    sql::Statement lookup, replyTo, mentioned, insert, mention, index, change;
};

QString SqlStore::messageInsertStatement() const
{
    if (openedSchemaVersion() < lifecycleVersion()) // a test's old schema
        return QStringLiteral(
            "INSERT INTO messages (room_id, sender_id, content, mentions_json, temp_id, reply_to, "
            "created_at) VALUES (:room, :sender, :content, :mentions, :tempId, :replyTo, "
            ":createdAt) ON CONFLICT (sender_id, temp_id) DO NOTHING RETURNING id, 0");
    return QStringLiteral(
        "INSERT INTO messages (room_id, sender_id, content, mentions_json, temp_id, reply_to, "
        "created_at, revision) VALUES (:room, :sender, :content, :mentions, :tempId, :replyTo, "
        ":createdAt, :revision) ON CONFLICT (sender_id, temp_id) DO NOTHING RETURNING id, revision");
}

Result<InsertedMessage> SqlStore::insertMessage(const NewMessage& message)
{
    return insertMessages({message}).constFirst();
}

// Optimistic first: without a savepoint per message, which costs two round
// trips each on PostgreSQL (SAVEPOINT, RELEASE) and a subtransaction id. A
// message refused by a check (forbidden, not_found) has written nothing by
// then, so only a failed statement needs them: the batch is then rolled back
// and stored again with a savepoint around each message, so that it fails alone.
QList<Result<InsertedMessage>> SqlStore::insertMessages(const QList<NewMessage>& messages)
{
    if (messages.isEmpty())
        return {};
    std::optional<QList<Result<InsertedMessage>>> results = storeBatch(messages, false);
    if (!results)
        results = storeBatch(messages, true);
    return *results;
}

std::optional<QList<Result<InsertedMessage>>> SqlStore::storeBatch(const QList<NewMessage>& messages,
                                                                   bool savepoints)
{
    const auto everyOne = [&messages](const Error& error) {
        return QList<Result<InsertedMessage>>(messages.size(), error);
    };
    auto tx = beginTransaction();
    if (!tx)
        return everyOne(tx.error());
    MessageStatements statements(*this);
    QList<Result<InsertedMessage>> results;
    results.reserve(messages.size());
    for (const NewMessage& message : messages) {
        if (savepoints) {
            if (Result<void> marked = tx->savepoint(); !marked)
                return everyOne(marked.error());
        }
        Result<InsertedMessage> one = insertOne(message, statements);
        if (savepoints) {
            statements.finish();
            // A failure here means the transaction is gone (SQLite rolls it
            // back by itself on some I/O errors): nothing of the batch holds.
            const Result<void> ended = one ? tx->releaseSavepoint() : tx->rollbackToSavepoint();
            if (!ended)
                return everyOne(ended.error());
        } else if (!one && one.error().code == ErrorCode::Internal) {
            // A failed statement may have left part of the message behind (and
            // aborts the transaction on PostgreSQL): roll back on return.
            if (messages.size() == 1)
                return QList<Result<InsertedMessage>>{one};
            return std::nullopt;
        }
        results.append(std::move(one));
    }
    statements.finish();
    if (Result<void> committed = tx->commit(); !committed)
        return everyOne(committed.error());
    return results;
}

Result<SqlStore::Lookup> SqlStore::lookUp(const NewMessage& message, MessageStatements& statements)
{
    auto query = statements.lookup.exec({{":room", message.roomId},
                                         {":member", message.senderId},
                                         {":sender", message.senderId},
                                         {":tempId", message.tempId}});
    if (!query)
        return query.error();
    QSqlQuery* row = query.value();
    if (!row->next())
        return sql::queryError(*row, "looking up a tempId");
    Lookup found;
    found.senderIsMember = row->value(0).toBool();
    if (!row->isNull(1))
        found.existing = sql::messageFromRow(*row, 1);
    statements.lookup.finish();
    return found;
}

Result<QList<Mention>> SqlStore::verifiedMentions(Id roomId, const QString& content,
                                                  const QList<Mention>& spans, sql::Statement& mentioned)
{
    QHash<Id, QString> usernames; // members mentioned so far; empty string: not a member
    QList<Mention> kept;
    for (const Mention& mention : spans) {
        auto it = usernames.constFind(mention.userId);
        if (it == usernames.constEnd()) {
            auto query = mentioned.exec({{":room", roomId}, {":user", mention.userId}});
            if (!query)
                return query.error();
            QSqlQuery* row = query.value();
            it = usernames.insert(mention.userId, row->next() ? row->value(0).toString() : QString());
        }
        if (!it->isEmpty() && validation::mentionSpanMatches(content, mention, *it) &&
            !kept.contains(mention)) {
            kept.append(mention);
        }
    }
    return kept;
}

// The message a repeated (sender, tempId) names, as stored: with its
// revision, reactions and reply preview (a retry is acked with the first).
Result<InsertedMessage> SqlStore::duplicateOf(const Message& existing)
{
    QList<Message> first{existing};
    if (Result<void> parts = attachMessageParts(first); !parts)
        return parts.error();
    return InsertedMessage{first.constFirst(), true, {}};
}

Result<InsertedMessage> SqlStore::insertOne(const NewMessage& message, MessageStatements& statements)
{
    // Also finds a message stored earlier in the same batch (same transaction).
    Result<Lookup> first = lookUp(message, statements);
    if (!first)
        return first.error();
    // Membership first: a repeated tempId naming a room the sender is not
    // in is refused like any send (docs/protocol.md, Idempotency), not
    // acked with the message it first named.
    if (!first->senderIsMember)
        return noSuchRoomError();
    if (first->existing)
        return duplicateOf(*first->existing);

    std::optional<ReplyPreview> preview;
    if (message.replyTo) {
        auto reply = statements.replyTo.exec({{":id", *message.replyTo}, {":room", message.roomId}});
        if (!reply)
            return reply.error();
        QSqlQuery* row = reply.value();
        if (!row->next())
            return makeError(ErrorCode::NotFound, QStringLiteral("replyTo is not a message of this room"));
        Message quoted;
        quoted.content = row->value(1).toString();
        replysize::cutToPreview(quoted);
        preview = ReplyPreview{*message.replyTo, row->value(0).toLongLong(), quoted.content,
                               row->value(2).toLongLong() != 0};
        statements.replyTo.finish();
    }

    Result<QList<Mention>> mentions =
        verifiedMentions(message.roomId, message.content, message.mentions, statements.mentioned);
    if (!mentions)
        return mentions.error();
    // Files (issue 16): checked before anything of the message is written,
    // so a refusal (not_found) leaves nothing behind; claimed after the insert.
    Result<QList<FileInfo>> attachments = checkAttachments(message);
    if (!attachments)
        return attachments.error();

    // "" (a message of attachments only) is stored as '', never as NULL.
    const QString content = message.content.isNull() ? QStringLiteral("") : message.content;
    const bool indexing = openedSchemaVersion() >= searchIndexVersion(); // older: a test's old schema
    const bool indexedByInsert = indexing && messageInsertIndexes();
    QList<sql::Bind> binds{{":room", message.roomId},
                           {":sender", message.senderId},
                           {":content", content},
                           {":mentions", sql::mentionsToJson(mentions.value())},
                           {":tempId", message.tempId},
                           {":replyTo", sql::nullableId(message.replyTo)},
                           {":createdAt", message.createdAt}};
    if (indexedByInsert)
        binds.append({":body", validation::foldCase(content)});
    if (openedSchemaVersion() >= lifecycleVersion() && !revisionTakenByInsert()) {
        Result<qint64> revision = takeRevision();
        if (!revision)
            return revision.error();
        binds.append({":revision", revision.value()});
    }
    auto inserted = statements.insert.exec(binds);
    if (!inserted)
        return inserted.error();
    if (!inserted.value()->next()) {
        // The same (sender, tempId) committed meanwhile on another server of
        // the cluster (PostgreSQL waited for it, and read committed lets the
        // next statement see it): this send is a retry of it.
        const Error failed = sql::queryError(*inserted.value(), "storing a message");
        statements.insert.finish();
        Result<Lookup> winner = lookUp(message, statements);
        if (!winner)
            return winner.error();
        if (!winner->existing)
            return failed;
        return duplicateOf(*winner->existing);
    }

    InsertedMessage result;
    result.message.id = inserted.value()->value(0).toLongLong();
    result.message.revision = inserted.value()->value(1).toLongLong();
    statements.insert.finish(); // SQLite: a RETURNING statement must be reset before COMMIT
    result.message.roomId = message.roomId;
    result.message.senderId = message.senderId;
    result.message.content = content;
    result.message.mentions = mentions.value();
    result.message.createdAt = message.createdAt;
    result.message.tempId = message.tempId;
    result.message.replyTo = message.replyTo;
    result.message.replyPreview = preview;
    if (!message.attachments.isEmpty()) {
        if (Result<void> claimed = claimAttachments(result.message.id, message); !claimed)
            return claimed.error();
        result.message.attachments = attachments.value();
    }

    for (const Mention& mention : std::as_const(mentions.value())) {
        if (mention.userId != message.senderId && !result.mentionedUserIds.contains(mention.userId))
            result.mentionedUserIds.append(mention.userId);
    }
    for (Id userId : std::as_const(result.mentionedUserIds)) {
        auto row = statements.mention.exec(
            {{":user", userId}, {":message", result.message.id}, {":room", message.roomId}});
        if (!row)
            return row.error();
    }
    // SQLite indexes them after the commit (catchUpSearchIndex()).
    if (indexing && !indexedByInsert && !indexesLater()) { // migrations backfill an old schema's messages
        auto indexed =
            statements.index.exec({{":id", result.message.id}, {":body", validation::foldCase(content)}});
        if (!indexed)
            return indexed.error();
    }
    ChangeRecord change{ChangeRecord::Kind::Message, message.roomId, message.senderId, result.message.id,
                        result.mentionedUserIds};
    change.message = result.message;
    if (Result<void> recorded = recordChange(change, statements.change); !recorded)
        return recorded.error();
    return result;
}

} // namespace confab::server
