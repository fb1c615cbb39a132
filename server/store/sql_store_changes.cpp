// SqlStore: the change log that instances sharing a database read (cluster mode).
#include "store/sql_store.h"

#include "store/sql_util.h"

#include <QDateTime>
#include <QStringList>

namespace confab::server {
namespace {

const char* kindToSql(ChangeRecord::Kind kind)
{
    switch (kind) {
    case ChangeRecord::Kind::Message:
        return "message";
    case ChangeRecord::Kind::Read:
        return "read";
    case ChangeRecord::Kind::Room:
        return "room";
    case ChangeRecord::Kind::MemberLeft:
        return "member_left";
    case ChangeRecord::Kind::UserDisabled:
        return "user_disabled";
    case ChangeRecord::Kind::CredentialsChanged:
        return "credentials_changed";
    case ChangeRecord::Kind::MessageUpdated:
        return "message_updated";
    case ChangeRecord::Kind::Reaction:
        return "reaction";
    case ChangeRecord::Kind::RoomSettings:
        return "room_settings";
    case ChangeRecord::Kind::UserUpdated:
        return "user_updated";
    case ChangeRecord::Kind::PasswordChanged:
        return "password_changed";
    case ChangeRecord::Kind::MemberJoined:
        return "member_joined";
    case ChangeRecord::Kind::RoomUpdated:
        return "room_updated";
    case ChangeRecord::Kind::PinsChanged:
        return "pins_changed";
    }
    return "unknown";
}

std::optional<ChangeRecord::Kind> kindFromSql(const QString& kind)
{
    using Kind = ChangeRecord::Kind;
    for (Kind k : {Kind::Message, Kind::Read, Kind::Room, Kind::MemberLeft, Kind::UserDisabled,
                   Kind::CredentialsChanged, Kind::MessageUpdated, Kind::Reaction, Kind::RoomSettings,
                   Kind::UserUpdated, Kind::PasswordChanged, Kind::MemberJoined, Kind::RoomUpdated,
                   Kind::PinsChanged}) {
        if (kind == QLatin1String(kindToSql(k)))
            return k;
    }
    return std::nullopt;
}

QList<Id> idsFromText(const QString& text)
{
    QList<Id> ids;
    for (QStringView part : QStringView(text).split(u',', Qt::SkipEmptyParts)) {
        if (const Id id = part.toLongLong(); id > 0)
            ids.append(id);
    }
    return ids;
}

constexpr int kLogMessageColumn = 10; // CONFAB_SQL_MESSAGE_COLUMNS start in readChangeLog()

} // namespace

Result<qint64> SqlStore::newestChangeId()
{
    auto newest = sql::exec(database(), QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM cluster_events"), {},
                            "reading the change log");
    if (!newest)
        return newest.error();
    if (!newest->next())
        return sql::queryError(newest.value(), "reading the change log");
    return newest->value(0).toLongLong();
}

Result<QList<LoggedChange>> SqlStore::changesAfter(qint64 afterEventId, int limit)
{
    return readChangeLog(QStringLiteral("e.id > :after ORDER BY e.id LIMIT :limit"),
                         {{":after", afterEventId}, {":limit", qMax(limit, 1)}});
}

Result<QList<LoggedChange>> SqlStore::changesWithIds(const QList<qint64>& eventIds)
{
    QList<LoggedChange> all;
    for (qsizetype at = 0; at < eventIds.size(); at += sql::kIdListMax) {
        const sql::IdList list = sql::idList(eventIds.mid(at, sql::kIdListMax));
        auto some =
            readChangeLog(QStringLiteral("e.id IN (%1) ORDER BY e.id").arg(list.placeholders), list.binds);
        if (!some)
            return some.error();
        all += some.value();
    }
    return all;
}

Result<QList<LoggedChange>> SqlStore::readChangeLog(const QString& where, const QList<sql::Bind>& binds)
{
    const bool lifecycle = openedSchemaVersion() >= lifecycleVersion();
    auto rows = sql::exec(
        database(),
        QStringLiteral("SELECT e.id, e.origin, e.kind, e.room_id, e.user_id, e.message_id, "
                       "e.user_ids, %1, " CONFAB_SQL_MESSAGE_COLUMNS " FROM cluster_events e "
                       "LEFT JOIN messages m ON m.id = e.message_id WHERE ")
                .arg(lifecycle ? QLatin1String("e.detail, e.flag, e.revision") : QLatin1String("'', 0, 0")) +
            where,
        binds, "reading the change log");
    if (!rows)
        return rows.error();
    QList<LoggedChange> changes;
    QList<Message> messages;
    QList<qsizetype> messageOf;
    while (rows->next()) {
        const auto kind = kindFromSql(rows->value(2).toString());
        if (!kind)
            continue; // written by a newer server: not ours to deliver
        LoggedChange logged;
        logged.eventId = rows->value(0).toLongLong();
        logged.origin = rows->value(1).toString();
        ChangeRecord& c = logged.change;
        c.kind = *kind;
        c.roomId = rows->value(3).toLongLong();
        c.userId = rows->value(4).toLongLong();
        c.messageId = rows->value(5).toLongLong();
        c.userIds = idsFromText(rows->value(6).toString());
        c.emoji = rows->value(7).toString();
        c.on = rows->value(8).toLongLong() != 0;
        c.revision = rows->value(9).toLongLong();
        if ((*kind == ChangeRecord::Kind::Message || *kind == ChangeRecord::Kind::MessageUpdated) &&
            !rows->isNull(kLogMessageColumn)) {
            messages.append(sql::messageFromRow(rows.value(), kLogMessageColumn));
            messageOf.append(changes.size());
        }
        changes.append(logged);
    }
    rows->finish();
    if (Result<void> parts = attachMessageParts(messages); !parts)
        return parts.error();
    for (qsizetype i = 0; i < messages.size(); ++i)
        changes[messageOf.at(i)].change.message = messages.at(i);

    for (LoggedChange& logged : changes) {
        ChangeRecord& c = logged.change;
        if (c.kind == ChangeRecord::Kind::UserUpdated) {
            // The user as now (a later change may be read back with it: the
            // same state twice at worst).
            Result<User> user = ownUser(c.userId);
            if (!user && user.error().code != ErrorCode::NotFound)
                return user.error();
            if (user)
                c.user = user.value();
            continue;
        }
        if (c.kind != ChangeRecord::Kind::Room && c.kind != ChangeRecord::Kind::MemberLeft &&
            c.kind != ChangeRecord::Kind::MemberJoined)
            continue;
        auto members =
            sql::exec(database(),
                      QStringLiteral("SELECT r.type, mb.user_id FROM rooms r "
                                     "LEFT JOIN members mb ON mb.room_id = r.id WHERE r.id = :room"),
                      {{":room", c.roomId}}, "reading a room's members");
        if (!members)
            return members.error();
        RoomMembership membership;
        membership.roomId = c.roomId;
        while (members->next()) {
            membership.type =
                members->value(0).toString() == QLatin1String("dm") ? RoomType::Dm : RoomType::Group;
            if (!members->isNull(1))
                membership.memberIds.append(members->value(1).toLongLong());
        }
        members->finish();
        c.membership = membership;
    }
    return changes;
}

Result<void> SqlStore::pruneChanges(qint64 createdBefore)
{
    auto pruned =
        sql::exec(database(), QStringLiteral("DELETE FROM cluster_events WHERE created_at < :cutoff"),
                  {{":cutoff", createdBefore}}, "pruning the change log");
    if (!pruned)
        return pruned.error();
    return {};
}

QString SqlStore::changeStatement()
{
    return QStringLiteral(
        "INSERT INTO cluster_events (origin, kind, room_id, user_id, message_id, user_ids, "
        "created_at, detail, flag, revision) VALUES (:origin, :kind, :room, :user, :message, :userIds, "
        ":createdAt, :detail, :flag, :revision)");
}

Result<void> SqlStore::recordChange(const ChangeRecord& change)
{
    if (m_changeOrigin.isEmpty()) {
        m_journal.stage(change);
        return {};
    }
    sql::Statement statement(database(), changeStatement(), "recording a change for the cluster");
    return recordChange(change, statement);
}

Result<void> SqlStore::recordChange(const ChangeRecord& change, sql::Statement& statement)
{
    // Delivered here after the COMMIT (the executor takes the journal).
    m_journal.stage(change);
    if (m_changeOrigin.isEmpty())
        return {}; // a single server: nobody else reads the log
    // No lock: ids may become visible out of order across instances, which
    // the readers handle (cluster/change_cursor.h).
    QStringList userIds;
    for (Id id : change.userIds)
        userIds.append(QString::number(id));
    auto appended = statement.exec({{":origin", m_changeOrigin},
                                    {":kind", QString::fromLatin1(kindToSql(change.kind))},
                                    {":room", change.roomId},
                                    {":user", change.userId},
                                    {":message", change.messageId},
                                    // Not a null QString: QPSQL binds that as NULL.
                                    {":userIds", userIds.join(QLatin1Char(',')) + QLatin1String("")},
                                    {":createdAt", QDateTime::currentMSecsSinceEpoch()},
                                    {":detail", change.emoji + QLatin1String("")},
                                    {":flag", change.on ? 1 : 0},
                                    {":revision", change.revision}});
    if (!appended)
        return appended.error();
    return {};
}

} // namespace confab::server
