// SqlStore: attention (contract, second part): notify levels, read receipts,
// profiles and statuses, password changes.
#include "store/sql_store.h"

#include "store/sql_util.h"

#include "protocol/validation.h"

namespace confab::server {

namespace {

Error noSuchUser()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such user"));
}

Error needsAttentionSchema(int version)
{
    return makeError(ErrorCode::Internal, QStringLiteral("attention needs schema version %1").arg(version));
}

} // namespace

QString SqlStore::userColumns() const
{
    return sql::userColumns(hasAttention(), hasAvatars());
}

QString SqlStore::ownUserColumns() const
{
    return userColumns() + (hasAttention() ? QLatin1String(", u.send_receipts") : QLatin1String(", 1"));
}

Result<User> SqlStore::ownUser(Id userId)
{
    auto query =
        sql::exec(database(), QStringLiteral("SELECT %1 FROM users u WHERE u.id = :id").arg(ownUserColumns()),
                  {{":id", userId}}, "looking up a user");
    if (!query)
        return query.error();
    if (!query->next())
        return noSuchUser();
    User user = sql::userFromRow(query.value());
    user.sendReceipts = query->value(sql::kUserColumnCount).toLongLong() != 0;
    query->finish();
    return user;
}

Result<Credentials> SqlStore::credentialsById(Id userId)
{
    return credentialsWhere(QStringLiteral("u.id = :id"), {":id", userId});
}

Result<void> SqlStore::setRoomNotify(Id roomId, Id userId, NotifyLevel notify)
{
    if (!hasAttention())
        return needsAttentionSchema(attentionVersion());
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    const QString level = notifyLevelName(notify);
    auto current = sql::exec(
        database(), QStringLiteral("SELECT notify FROM members WHERE room_id = :room AND user_id = :user"),
        {{":room", roomId}, {":user", userId}}, "reading a notify level");
    if (!current)
        return current.error();
    if (!current->next())
        return noSuchRoomError();
    const bool same = current->value(0).toString() == level;
    current->finish();
    if (same)
        return {}; // nothing changed: no event for the other devices
    auto updated =
        sql::exec(database(),
                  QStringLiteral("UPDATE members SET notify = :notify WHERE room_id = :room "
                                 "AND user_id = :user"),
                  {{":notify", level}, {":room", roomId}, {":user", userId}}, "setting a notify level");
    if (!updated)
        return updated.error();
    ChangeRecord change{ChangeRecord::Kind::RoomSettings, roomId, userId};
    change.emoji = level;
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded;
    return tx->commit();
}

Result<QList<ReceiptMarker>> SqlStore::receipts(Id roomId, Id userId)
{
    Result<bool> member = isMember(roomId, userId);
    if (!member)
        return member.error();
    if (!member.value())
        return noSuchRoomError();
    if (!hasAttention())
        return needsAttentionSchema(attentionVersion());
    auto rows = sql::exec(database(),
                          QStringLiteral("SELECT mb.user_id, mb.last_read_message_id FROM members mb "
                                         "JOIN users u ON u.id = mb.user_id WHERE mb.room_id = :room "
                                         "AND mb.last_read_message_id > 0 AND u.send_receipts = 1 "
                                         "ORDER BY mb.user_id"),
                          {{":room", roomId}}, "reading read receipts");
    if (!rows)
        return rows.error();
    QList<ReceiptMarker> markers;
    while (rows->next())
        markers.append({rows->value(0).toLongLong(), rows->value(1).toLongLong()});
    return markers;
}

Result<User> SqlStore::updateProfile(Id userId, const ProfileChange& change)
{
    if (!hasAttention())
        return needsAttentionSchema(attentionVersion());
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<User> before = ownUser(userId);
    if (!before)
        return before;
    User after = before.value();
    if (change.displayName)
        after.displayName = *change.displayName;
    if (change.statusText)
        after.statusText = *change.statusText;
    if (change.status)
        after.status = *change.status;
    if (change.sendReceipts)
        after.sendReceipts = *change.sendReceipts;
    const bool seenByOthers = after.displayName != before->displayName ||
                              after.statusText != before->statusText || after.status != before->status;
    if (!seenByOthers && after.sendReceipts == before->sendReceipts)
        return after; // nothing to store or tell anyone
    auto updated = sql::exec(database(),
                             QStringLiteral("UPDATE users SET display_name = :displayName, "
                                            "display_name_fold = :displayNameFold, status = :status, "
                                            "status_text = :statusText, send_receipts = :sendReceipts "
                                            "WHERE id = :id"),
                             {{":displayName", after.displayName},
                              {":displayNameFold", validation::foldCase(after.displayName)},
                              {":status", userStatusName(after.status)},
                              {":statusText", after.statusText},
                              {":sendReceipts", after.sendReceipts.value_or(true) ? 1 : 0},
                              {":id", userId}},
                             "updating a profile");
    if (!updated)
        return updated.error();
    ChangeRecord record{ChangeRecord::Kind::UserUpdated, 0, userId};
    record.on = seenByOthers;
    record.user = after;
    if (Result<void> recorded = recordChange(record); !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return after;
}

Result<void> SqlStore::changePassword(Id userId, const QByteArray& verifiedHash, const QByteArray& newHash,
                                      const QByteArray& keepTokenHash)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    // Only over the hash the old password was checked against: a reset or
    // another change that committed meanwhile wins.
    auto updated =
        sql::exec(database(),
                  QStringLiteral("UPDATE users SET password_hash = :hash WHERE id = :id "
                                 "AND password_hash = :verified"),
                  {{":hash", newHash}, {":id", userId}, {":verified", verifiedHash}}, "changing a password");
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() != 1)
        return makeError(ErrorCode::InvalidCredentials, QStringLiteral("the old password is wrong"));
    updated->finish();
    auto revoked =
        sql::exec(database(),
                  QStringLiteral("UPDATE tokens SET revoked = 1 WHERE user_id = :user AND revoked = 0 "
                                 "AND token_hash <> :keep"),
                  {{":user", userId}, {":keep", keepTokenHash}}, "revoking a user's other tokens");
    if (!revoked)
        return revoked.error();
    ChangeRecord change{ChangeRecord::Kind::PasswordChanged, 0, userId};
    change.emoji = QString::fromLatin1(keepTokenHash.toHex());
    if (Result<void> recorded = recordChange(change); !recorded)
        return recorded;
    return tx->commit();
}

Result<QList<StatusEntry>> SqlStore::userStatuses()
{
    if (!hasAttention())
        return QList<StatusEntry>();
    auto rows = sql::exec(database(),
                          QStringLiteral("SELECT id, status, status_text FROM users "
                                         "WHERE status <> :available OR status_text <> :empty"),
                          {{":available", QStringLiteral("available")}, {":empty", QStringLiteral("")}},
                          "reading user statuses");
    if (!rows)
        return rows.error();
    QList<StatusEntry> entries;
    while (rows->next()) {
        entries.append({rows->value(0).toLongLong(),
                        userStatusFromName(rows->value(1).toString()).value_or(UserStatus::Available),
                        rows->value(2).toString()});
    }
    return entries;
}

} // namespace confab::server
