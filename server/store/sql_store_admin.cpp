// SqlStore: administration (confab-server admin): accounts, room summaries,
// invites and the admin changes running servers act on.
#include "store/sql_store.h"

#include "store/sql_util.h"

namespace confab::server {
namespace {

Error noSuchUser()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such user"));
}

Error inviteRefused(const QString& why)
{
    return makeError(ErrorCode::Forbidden, why);
}

std::optional<qint64> optionalTime(const QVariant& value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

} // namespace

Result<QList<UserAccount>> SqlStore::listAccounts()
{
    auto rows =
        sql::exec(database(),
                  QStringLiteral("SELECT ") + userColumns() +
                      QStringLiteral(", u.disabled, u.disabled_at, u.created_at FROM users u ORDER BY u.id"),
                  {}, "listing users");
    if (!rows)
        return rows.error();
    QList<UserAccount> accounts;
    const int first = sql::kUserColumnCount;
    while (rows->next()) {
        UserAccount account;
        account.user = sql::userFromRow(rows.value());
        account.disabled = rows->value(first).toLongLong() != 0;
        account.disabledAt = rows->value(first + 1).toLongLong(); // NULL -> 0
        account.createdAt = rows->value(first + 2).toLongLong();
        accounts.append(account);
    }
    return accounts;
}

Result<void> SqlStore::revokeAllTokens(Id userId, ChangeRecord::Kind why)
{
    auto revoked = sql::exec(
        database(), QStringLiteral("UPDATE tokens SET revoked = 1 WHERE user_id = :user AND revoked = 0"),
        {{":user", userId}}, "revoking a user's tokens");
    if (!revoked)
        return revoked.error();
    ChangeRecord change;
    change.kind = why;
    change.userId = userId;
    return recordChange(change);
}

Result<void> SqlStore::setUserDisabled(Id userId, bool disabled, qint64 now)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    // disabled_at keeps the first time when the user was already disabled.
    auto updated = sql::exec(
        database(),
        disabled ? QStringLiteral("UPDATE users SET disabled = 1, disabled_at = COALESCE(disabled_at, :now) "
                                  "WHERE id = :id")
                 : QStringLiteral("UPDATE users SET disabled = 0, disabled_at = NULL WHERE id = :id"),
        disabled ? QList<sql::Bind>{{":now", now}, {":id", userId}} : QList<sql::Bind>{{":id", userId}},
        "disabling or enabling a user");
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() != 1)
        return noSuchUser();
    if (disabled) {
        if (Result<void> revoked = revokeAllTokens(userId, ChangeRecord::Kind::UserDisabled); !revoked)
            return revoked;
    }
    return tx->commit();
}

Result<void> SqlStore::setPasswordHash(Id userId, const QByteArray& passwordHash)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto updated =
        sql::exec(database(), QStringLiteral("UPDATE users SET password_hash = :hash WHERE id = :id"),
                  {{":hash", passwordHash}, {":id", userId}}, "setting a password");
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() != 1)
        return noSuchUser();
    if (Result<void> revoked = revokeAllTokens(userId, ChangeRecord::Kind::CredentialsChanged); !revoked)
        return revoked;
    return tx->commit();
}

Result<QList<RoomSummary>> SqlStore::listRoomSummaries()
{
    // Correlated subqueries: each is an index lookup (members by room, the
    // messages_room index), where joining both would multiply the rows.
    auto rows = sql::exec(database(),
                          QStringLiteral("SELECT r.id, r.type, r.name, r.created_at, "
                                         "(SELECT COUNT(*) FROM members mb WHERE mb.room_id = r.id), "
                                         "(SELECT COUNT(*) FROM messages m WHERE m.room_id = r.id), "
                                         "(SELECT MAX(m.created_at) FROM messages m WHERE m.room_id = r.id) "
                                         "FROM rooms r ORDER BY r.id"),
                          {}, "listing rooms");
    if (!rows)
        return rows.error();
    QList<RoomSummary> rooms;
    while (rows->next()) {
        RoomSummary room;
        room.id = rows->value(0).toLongLong();
        room.type = rows->value(1).toString() == QLatin1String("dm") ? RoomType::Dm : RoomType::Group;
        room.name = rows->value(2).toString();
        room.memberCount = rows->value(4).toInt();
        room.messageCount = rows->value(5).toLongLong();
        room.lastActivityAt = rows->isNull(6) ? rows->value(3).toLongLong() : rows->value(6).toLongLong();
        rooms.append(room);
    }
    return rooms;
}

Result<Invite> SqlStore::createInvite(const QByteArray& codeHash, const QString& hint, int maxUses,
                                      std::optional<qint64> expiresAt, qint64 now)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto inserted =
        sql::exec(database(),
                  QStringLiteral("INSERT INTO invites (code_hash, code_hint, max_uses, expires_at, "
                                 "created_at) VALUES (:hash, :hint, :maxUses, :expiresAt, :now) "
                                 "ON CONFLICT (code_hash) DO NOTHING RETURNING id"),
                  {{":hash", codeHash},
                   {":hint", hint},
                   {":maxUses", maxUses},
                   {":expiresAt", expiresAt ? QVariant(*expiresAt) : QVariant(QMetaType::fromType<qint64>())},
                   {":now", now}},
                  "creating an invite");
    if (!inserted)
        return inserted.error();
    if (!inserted->next())
        return makeError(ErrorCode::Conflict, QStringLiteral("the invite code exists"));
    Invite invite;
    invite.id = inserted->value(0).toLongLong();
    invite.hint = hint;
    invite.maxUses = maxUses;
    invite.expiresAt = expiresAt;
    invite.createdAt = now;
    inserted->finish();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return invite;
}

Result<QList<Invite>> SqlStore::listInvites()
{
    auto rows =
        sql::exec(database(),
                  QStringLiteral("SELECT id, code_hint, max_uses, uses, expires_at, revoked, created_at "
                                 "FROM invites ORDER BY id"),
                  {}, "listing invites");
    if (!rows)
        return rows.error();
    QList<Invite> invites;
    while (rows->next()) {
        Invite invite;
        invite.id = rows->value(0).toLongLong();
        invite.hint = rows->value(1).toString();
        invite.maxUses = rows->value(2).toInt();
        invite.uses = rows->value(3).toInt();
        invite.expiresAt = optionalTime(rows->value(4));
        invite.revoked = rows->value(5).toLongLong() != 0;
        invite.createdAt = rows->value(6).toLongLong();
        invites.append(invite);
    }
    return invites;
}

Result<void> SqlStore::revokeInvite(const QByteArray& codeHash)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto updated =
        sql::exec(database(), QStringLiteral("UPDATE invites SET revoked = 1 WHERE code_hash = :hash"),
                  {{":hash", codeHash}}, "revoking an invite");
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() != 1)
        return makeError(ErrorCode::NotFound, QStringLiteral("no such invite"));
    return tx->commit();
}

Result<void> SqlStore::useInvite(const QByteArray& inviteHash, qint64 now)
{
    // Conditional UPDATE: two registrations racing for the last use cannot
    // both get it. When it matches nothing, the SELECT says why.
    auto used = sql::exec(database(),
                          QStringLiteral("UPDATE invites SET uses = uses + 1 WHERE code_hash = :hash "
                                         "AND revoked = 0 AND uses < max_uses "
                                         "AND (expires_at IS NULL OR expires_at > :now)"),
                          {{":hash", inviteHash}, {":now", now}}, "using an invite");
    if (!used)
        return used.error();
    if (used->numRowsAffected() == 1)
        return {};
    if (Result<void> why = checkInvite(inviteHash, now); !why)
        return why;
    return inviteRefused(QStringLiteral("the invite code has expired"));
}

Result<void> SqlStore::checkInvite(const QByteArray& inviteHash, qint64 now)
{
    auto found = sql::exec(database(),
                           QStringLiteral("SELECT revoked, uses, max_uses, expires_at FROM invites "
                                          "WHERE code_hash = :hash"),
                           {{":hash", inviteHash}}, "checking an invite");
    if (!found)
        return found.error();
    if (!found->next())
        return inviteRefused(QStringLiteral("unknown invite code"));
    if (found->value(0).toLongLong() != 0)
        return inviteRefused(QStringLiteral("the invite code was revoked"));
    if (found->value(1).toLongLong() >= found->value(2).toLongLong())
        return inviteRefused(QStringLiteral("the invite code has been used up"));
    if (!found->isNull(3) && found->value(3).toLongLong() <= now)
        return inviteRefused(QStringLiteral("the invite code has expired"));
    return {};
}

Result<User> SqlStore::createInvitedUser(const QString& username, const QString& displayName,
                                         const QByteArray& passwordHash, const QByteArray& inviteHash,
                                         qint64 now)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    if (Result<void> used = useInvite(inviteHash, now); !used)
        return used.error();
    Result<User> user = insertUser(username, displayName, passwordHash, now);
    if (!user)
        return user; // rolled back: the invite keeps its use
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return user;
}

} // namespace confab::server
