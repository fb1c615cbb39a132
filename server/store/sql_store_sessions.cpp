// SqlStore: issuing session tokens safely against concurrent admin changes,
// pruning dead tokens, and the checks register makes before it hashes.
#include "store/sql_store.h"

#include "protocol/validation.h"
#include "store/sql_util.h"

namespace confab::server {

namespace {

Error invalidLogin()
{
    return makeError(ErrorCode::InvalidCredentials, QStringLiteral("invalid username or password"));
}

} // namespace

Result<void> SqlStore::issueToken(const QByteArray& tokenHash, Id userId,
                                  const QByteArray& verifiedPasswordHash, qint64 createdAt, qint64 expiresAt)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    // A no-op UPDATE first: it locks the user's row until COMMIT. On
    // PostgreSQL a reset or disable (an UPDATE of the same row) then either
    // committed before it, and the SELECT below (a new snapshot) sees the
    // change, or waits for this COMMIT, and its revoking UPDATE of tokens
    // then sees (and revokes) the token stored here. SQLite transactions
    // hold the database's write lock from BEGIN IMMEDIATE: serialised anyway.
    // The hashes are compared here, not in SQL, so that a value stored with
    // another SQLite storage class (text) still compares by its bytes.
    auto locked = sql::exec(database(), QStringLiteral("UPDATE users SET disabled = disabled WHERE id = :id"),
                            {{":id", userId}}, "locking a user's row");
    if (!locked)
        return locked.error();
    if (locked->numRowsAffected() != 1)
        return invalidLogin();
    auto found =
        sql::exec(database(), QStringLiteral("SELECT disabled, password_hash FROM users WHERE id = :id"),
                  {{":id", userId}}, "checking a user's credentials");
    if (!found)
        return found.error();
    // Whoever no longer holds the password learns nothing else.
    if (!found->next() || found->value(1).toByteArray() != verifiedPasswordHash)
        return invalidLogin();
    if (found->value(0).toLongLong() != 0)
        return makeError(ErrorCode::Forbidden, QStringLiteral("account disabled"));
    found->finish();
    if (Result<void> inserted = insertTokenRow(tokenHash, userId, createdAt, expiresAt); !inserted)
        return inserted;
    return tx->commit();
}

Result<int> SqlStore::pruneTokens(qint64 now, int limit)
{
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    // Bounded batches through the tokens_expires and tokens_revoked indexes
    // (the schema's "signing in" migration), so a run never scans the table.
    const int batch = qMax(limit, 1);
    auto expired = sql::exec(database(),
                             QStringLiteral("DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM "
                                            "tokens WHERE expires_at <= :now LIMIT :limit)"),
                             {{":now", now}, {":limit", batch}}, "pruning expired session tokens");
    if (!expired)
        return expired.error();
    int deleted = qMax(0, expired->numRowsAffected());
    auto revoked = sql::exec(database(),
                             QStringLiteral("DELETE FROM tokens WHERE token_hash IN (SELECT token_hash FROM "
                                            "tokens WHERE revoked = 1 LIMIT :limit)"),
                             {{":limit", batch}}, "pruning revoked session tokens");
    if (!revoked)
        return revoked.error();
    deleted += qMax(0, revoked->numRowsAffected());
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return deleted;
}

Result<void> SqlStore::checkRegistration(const QString& username, const QByteArray& inviteHash, qint64 now)
{
    if (!inviteHash.isEmpty()) {
        if (Result<void> usable = checkInvite(inviteHash, now); !usable)
            return usable;
    }
    auto taken = sql::exec(database(), QStringLiteral("SELECT 1 FROM users WHERE username_fold = :fold"),
                           {{":fold", validation::usernameKey(username)}}, "looking up a username");
    if (!taken)
        return taken.error();
    if (taken->next())
        return makeError(ErrorCode::Conflict, QStringLiteral("username is already taken"));
    return {};
}

} // namespace confab::server
