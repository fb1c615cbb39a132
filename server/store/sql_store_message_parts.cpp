// SqlStore: what every message read carries from the lifecycle (revision,
// reactions, reply preview: attachMessageParts, two queries a page) and the
// catch-up by revision (fetch_changes).
#include "store/sql_store.h"

#include "protocol/reply_size.h"
#include "store/sql_util.h"

#include <QHash>
#include <QJsonDocument>

#include <algorithm>

namespace confab::server {

Result<MessagePage> SqlStore::fetchChanges(Id roomId, qint64 afterRevision, int limit)
{
    if (openedSchemaVersion() < lifecycleVersion())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("message changes need schema version %1").arg(lifecycleVersion()));
    limit = qMax(limit, 1);
    auto rows =
        sql::exec(database(),
                  QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m "
                                 "WHERE m.room_id = :room AND m.revision > :after "
                                 "ORDER BY m.revision ASC LIMIT :limit"),
                  {{":room", roomId}, {":after", afterRevision}, {":limit", limit + 1}}, "fetching changes");
    if (!rows)
        return rows.error();
    return messagePage(rows.value(), limit);
}

Result<void> SqlStore::attachMessageParts(QList<Message>& messages)
{
    if (messages.isEmpty() || openedSchemaVersion() < lifecycleVersion())
        return {};
    QHash<Id, QList<qsizetype>> at; // a message may appear once; a list keeps it general
    for (qsizetype i = 0; i < messages.size(); ++i)
        at[messages.at(i).id].append(i);
    const QList<Id> ids = at.keys();
    for (qsizetype from = 0; from < ids.size(); from += sql::kIdListMax) {
        const sql::IdList list = sql::idList(ids.mid(from, sql::kIdListMax));
        // Revision and the preview of the message replied to.
        auto rows =
            sql::exec(database(),
                      QStringLiteral("SELECT m.id, m.revision, p.id, p.sender_id, p.content, p.deleted, %2 "
                                     "FROM messages m LEFT JOIN messages p ON p.id = m.reply_to "
                                     "WHERE m.id IN (%1)")
                          .arg(list.placeholders, hasGroups() ? QLatin1String("m.kind, m.system_json")
                                                              : QLatin1String("'text', NULL")),
                      list.binds, "reading message revisions");
        if (!rows)
            return rows.error();
        while (rows->next()) {
            std::optional<ReplyPreview> preview;
            if (!rows->isNull(2)) {
                Message quoted;
                quoted.content = rows->value(4).toString();
                replysize::cutToPreview(quoted);
                preview = ReplyPreview{rows->value(2).toLongLong(), rows->value(3).toLongLong(),
                                       quoted.content, rows->value(5).toLongLong() != 0};
            }
            // A system message (groups): what happened, as stored.
            std::optional<SystemInfo> system;
            if (rows->value(6).toString() == QLatin1String("system")) {
                Result<SystemInfo> info = SystemInfo::fromJson(
                    QJsonDocument::fromJson(rows->value(7).toString().toUtf8()).object());
                if (info)
                    system = info.value();
            }
            for (qsizetype i : at.value(rows->value(0).toLongLong())) {
                messages[i].revision = rows->value(1).toLongLong();
                messages[i].replyPreview = preview;
                if (system) {
                    messages[i].kind = MessageKind::System;
                    messages[i].system = system;
                }
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
        // Files (issue 16): attachments in the order sent.
        if (Result<void> files = attachFiles(messages, ids.mid(from, sql::kIdListMax)); !files)
            return files;
    }
    return {};
}

} // namespace confab::server
