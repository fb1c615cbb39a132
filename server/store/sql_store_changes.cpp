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
    }
    return "unknown";
}

} // namespace

QString SqlStore::changeStatement()
{
    return QStringLiteral(
        "INSERT INTO cluster_events (origin, kind, room_id, user_id, message_id, user_ids, "
        "created_at) VALUES (:origin, :kind, :room, :user, :message, :userIds, :createdAt)");
}

Result<void> SqlStore::recordChange(const ChangeRecord& change)
{
    if (m_changeOrigin.isEmpty())
        return {};
    sql::Statement statement(database(), changeStatement(), "recording a change for the cluster");
    return recordChange(change, statement);
}

Result<void> SqlStore::recordChange(const ChangeRecord& change, sql::Statement& statement)
{
    if (m_changeOrigin.isEmpty())
        return {}; // a single server: nobody reads the log
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
                                    {":createdAt", QDateTime::currentMSecsSinceEpoch()}});
    if (!appended)
        return appended.error();
    return {};
}

} // namespace confab::server
