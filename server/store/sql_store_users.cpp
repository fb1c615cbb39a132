// SqlStore: users and session tokens.
#include "store/sql_store.h"

#include "protocol/validation.h"
#include "store/sql_util.h"

namespace confab::server {

namespace {

Error noSuchUser()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such user"));
}

} // namespace

Result<User> SqlStore::createUser(const QString& username, const QString& displayName,
                                  const QByteArray& passwordHash, qint64 now)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<User> user = insertUser(username, displayName, passwordHash, now);
    if (!user)
        return user;
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return user;
}

Result<User> SqlStore::insertUser(const QString& username, const QString& displayName,
                                  const QByteArray& passwordHash, qint64 now)
{
    // ON CONFLICT DO NOTHING RETURNING yields no row when the folded name is
    // taken: no probing statement that would poison a PostgreSQL transaction.
    auto query = sql::exec(database(),
                           QStringLiteral("INSERT INTO users (username, username_fold, display_name, "
                                          "display_name_fold, password_hash, created_at, last_seen_at) "
                                          "VALUES (:username, :usernameFold, :displayName, :displayNameFold, "
                                          ":passwordHash, :createdAt, :lastSeenAt) "
                                          "ON CONFLICT (username_fold) DO NOTHING RETURNING id"),
                           {{":username", validation::normalizeUsername(username)},
                            {":usernameFold", validation::usernameKey(username)},
                            {":displayName", displayName},
                            {":displayNameFold", validation::foldCase(displayName)},
                            {":passwordHash", passwordHash},
                            {":createdAt", now},
                            {":lastSeenAt", now}},
                           "creating a user");
    if (!query)
        return query.error();
    if (!query->next())
        return makeError(ErrorCode::Conflict, QStringLiteral("username is already taken"));
    User user;
    user.id = query->value(0).toLongLong();
    user.username = validation::normalizeUsername(username);
    user.displayName = displayName;
    user.lastSeenAt = now;
    query->finish();
    return user;
}

Result<Credentials> SqlStore::credentialsByUsername(const QString& username)
{
    return credentialsWhere(QStringLiteral("u.username_fold = :fold"),
                            {":fold", validation::usernameKey(username)});
}

Result<Credentials> SqlStore::credentialsWhere(const QString& where, const sql::Bind& bind)
{
    auto query = sql::exec(
        database(),
        QStringLiteral("SELECT %1, u.password_hash, u.disabled FROM users u WHERE ").arg(ownUserColumns()) +
            where,
        {bind}, "looking up a user's credentials");
    if (!query)
        return query.error();
    if (!query->next())
        return noSuchUser();
    Credentials credentials;
    credentials.user = sql::userFromRow(query.value());
    credentials.user.sendReceipts = query->value(sql::kUserColumnCount).toLongLong() != 0;
    credentials.passwordHash = query->value(sql::kUserColumnCount + 1).toByteArray();
    credentials.disabled = query->value(sql::kUserColumnCount + 2).toLongLong() != 0;
    return credentials;
}

Result<User> SqlStore::userById(Id userId)
{
    auto query =
        sql::exec(database(), QStringLiteral("SELECT %1 FROM users u WHERE u.id = :id").arg(userColumns()),
                  {{":id", userId}}, "looking up a user");
    if (!query)
        return query.error();
    if (!query->next())
        return noSuchUser();
    return sql::userFromRow(query.value());
}

Result<void> SqlStore::setLastSeen(Id userId, qint64 at)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto query = sql::exec(database(), QStringLiteral("UPDATE users SET last_seen_at = :at WHERE id = :id"),
                           {{":at", at}, {":id", userId}}, "updating last seen");
    if (!query)
        return query.error();
    if (query->numRowsAffected() != 1)
        return noSuchUser();
    return tx->commit();
}

Result<void> SqlStore::setLastSeen(const QList<QPair<Id, qint64>>& seen)
{
    if (seen.isEmpty())
        return {};
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    QSqlQuery query(database()); // prepared once for the whole batch
    if (!query.prepare(QStringLiteral("UPDATE users SET last_seen_at = :at WHERE id = :id")))
        return sql::queryError(query, "updating last seen");
    for (const auto& [userId, at] : seen) {
        query.bindValue(QStringLiteral(":at"), at);
        query.bindValue(QStringLiteral(":id"), userId);
        if (!query.exec())
            return sql::queryError(query, "updating last seen");
    }
    return tx->commit();
}

Result<QList<User>> SqlStore::searchUsers(const QString& query, std::optional<Id> roomId, int limit)
{
    // Usernames are keyed by validation::usernameKey, display names by foldCase.
    const QString namePattern = sql::likeEscaped(validation::usernameKey(query.trimmed())) + QLatin1Char('%');
    const QString pattern = sql::likeEscaped(validation::foldCase(query.trimmed())) + QLatin1Char('%');
    // Constant SQL fragments only; every value is bound.
    QString statement = QStringLiteral("SELECT ") + userColumns() +
                        QStringLiteral(" FROM users u "
                                       "WHERE (u.username_fold LIKE :pattern1 ESCAPE '\\' "
                                       "OR u.display_name_fold LIKE :pattern2 ESCAPE '\\')");
    if (roomId)
        statement += QStringLiteral(" AND u.id IN (SELECT user_id FROM members WHERE room_id = :room)");
    statement += QStringLiteral(" ORDER BY u.username_fold LIMIT :limit");
    QList<sql::Bind> binds{{":pattern1", namePattern}, {":pattern2", pattern}, {":limit", qMax(limit, 0)}};
    if (roomId)
        binds.append({":room", *roomId});
    auto rows = sql::exec(database(), statement, binds, "searching users");
    if (!rows)
        return rows.error();
    QList<User> users;
    while (rows->next())
        users.append(sql::userFromRow(rows.value()));
    return users;
}

Result<void> SqlStore::insertToken(const QByteArray& tokenHash, Id userId, qint64 createdAt, qint64 expiresAt)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<bool> exists = userExists(userId);
    if (!exists)
        return exists.error();
    if (!exists.value())
        return noSuchUser();
    if (Result<void> inserted = insertTokenRow(tokenHash, userId, createdAt, expiresAt); !inserted)
        return inserted;
    return tx->commit();
}

Result<void> SqlStore::insertTokenRow(const QByteArray& tokenHash, Id userId, qint64 createdAt,
                                      qint64 expiresAt)
{
    auto query = sql::exec(
        database(),
        QStringLiteral("INSERT INTO tokens (token_hash, user_id, created_at, expires_at) "
                       "VALUES (:hash, :user, :createdAt, :expiresAt)"),
        {{":hash", tokenHash}, {":user", userId}, {":createdAt", createdAt}, {":expiresAt", expiresAt}},
        "storing a token");
    if (!query)
        return query.error();
    return {};
}

Result<User> SqlStore::userForToken(const QByteArray& tokenHash, qint64 now)
{
    auto query = sql::exec(database(),
                           QStringLiteral("SELECT %1, t.expires_at, t.revoked, u.disabled "
                                          "FROM tokens t JOIN users u ON u.id = t.user_id "
                                          "WHERE t.token_hash = :hash")
                               .arg(ownUserColumns()),
                           {{":hash", tokenHash}}, "checking a token");
    if (!query)
        return query.error();
    const int first = sql::kUserColumnCount + 1;
    if (!query->next() || now >= query->value(first).toLongLong() ||
        query->value(first + 1).toLongLong() != 0 || query->value(first + 2).toLongLong() != 0) {
        return makeError(ErrorCode::InvalidCredentials, QStringLiteral("invalid or expired token"));
    }
    User user = sql::userFromRow(query.value());
    user.sendReceipts = query->value(sql::kUserColumnCount).toLongLong() != 0;
    return user;
}

Result<void> SqlStore::revokeToken(const QByteArray& tokenHash)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto query =
        sql::exec(database(), QStringLiteral("UPDATE tokens SET revoked = 1 WHERE token_hash = :hash"),
                  {{":hash", tokenHash}}, "revoking a token");
    if (!query)
        return query.error();
    return tx->commit();
}

Result<bool> SqlStore::userExists(Id userId)
{
    auto query = sql::exec(database(), QStringLiteral("SELECT 1 FROM users WHERE id = :id"),
                           {{":id", userId}}, "looking up a user");
    if (!query)
        return query.error();
    return query->next();
}

Result<void> SqlStore::requireUsers(const QList<Id>& userIds)
{
    for (Id id : userIds) {
        Result<bool> exists = userExists(id);
        if (!exists)
            return exists.error();
        if (!exists.value())
            return makeError(ErrorCode::NotFound, QStringLiteral("no such user"));
    }
    return {};
}

} // namespace confab::server
