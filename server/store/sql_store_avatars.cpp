// SqlStore: avatars (issue 15). An image is one row of `avatars`, named by
// the SHA-256 of its bytes, so the same picture set by two users (or set
// again) is stored once. users.avatar_id refers to it; an image is deleted in
// the transaction that drops its last reference, so nothing unreferenced
// stays behind (a removed avatar is gone from the server, not just hidden).
#include "store/sql_store.h"

#include "store/sql_util.h"

#include <QDateTime>
#include <QStringList>

namespace confab::server {

namespace {

Error needsAvatarSchema(int version)
{
    return makeError(ErrorCode::Internal, QStringLiteral("avatars need schema version %1").arg(version));
}

Error noSuchAvatar()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such avatar"));
}

} // namespace

Result<User> SqlStore::setAvatar(Id userId, const std::optional<AvatarReply>& image)
{
    if (!hasAvatars())
        return needsAvatarSchema(avatarsVersion());
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<User> before = ownUser(userId);
    if (!before)
        return before;
    const QString newId = image ? image->avatarId : QString();
    if (newId == before->avatarId)
        return before; // nothing to store or tell anyone
    // Both images this changes references to, in one order (no deadlock).
    QStringList touched{before->avatarId, newId};
    touched.removeAll(QString());
    touched.sort();
    for (const QString& id : std::as_const(touched)) {
        if (Result<void> locked = lockAvatar(id); !locked)
            return locked.error();
    }
    if (image) {
        // DO UPDATE rather than DO NOTHING: on PostgreSQL it locks an existing
        // row, so a concurrent clear cannot delete the image under us.
        auto inserted = sql::exec(database(),
                                  QStringLiteral("INSERT INTO avatars (id, mime, data, created_at) "
                                                 "VALUES (:id, :mime, :data, :createdAt) "
                                                 "ON CONFLICT (id) DO UPDATE SET mime = excluded.mime"),
                                  {{":id", image->avatarId},
                                   {":mime", avatarMimeName(image->mime)},
                                   {":data", image->bytes},
                                   {":createdAt", QDateTime::currentMSecsSinceEpoch()}},
                                  "storing an avatar");
        if (!inserted)
            return inserted.error();
    }
    auto updated = sql::exec(
        database(), QStringLiteral("UPDATE users SET avatar_id = :avatar WHERE id = :id"),
        {{":avatar", image ? QVariant(newId) : QVariant(QMetaType::fromType<QString>())}, {":id", userId}},
        "setting a user's avatar");
    if (!updated)
        return updated.error();
    updated->finish();
    if (!before->avatarId.isEmpty()) {
        auto deleted = sql::exec(database(),
                                 QStringLiteral("DELETE FROM avatars WHERE id = :old AND NOT EXISTS "
                                                "(SELECT 1 FROM users WHERE avatar_id = :old2)"),
                                 {{":old", before->avatarId}, {":old2", before->avatarId}},
                                 "deleting an avatar no one uses");
        if (!deleted)
            return deleted.error();
    }
    User after = before.value();
    after.avatarId = newId;
    ChangeRecord record{ChangeRecord::Kind::UserUpdated, 0, userId};
    record.on = true; // others see the picture
    record.user = after;
    if (Result<void> recorded = recordChange(record); !recorded)
        return recorded.error();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return after;
}

Result<AvatarReply> SqlStore::avatarById(const QString& avatarId)
{
    if (!hasAvatars())
        return noSuchAvatar();
    auto query = sql::exec(database(), QStringLiteral("SELECT mime, data FROM avatars WHERE id = :id"),
                           {{":id", avatarId}}, "reading an avatar");
    if (!query)
        return query.error();
    if (!query->next())
        return noSuchAvatar();
    AvatarReply reply;
    reply.avatarId = avatarId;
    reply.mime = avatarMimeFromName(query->value(0).toString()).value_or(AvatarMime::Png);
    reply.bytes = query->value(1).toByteArray();
    return reply;
}

} // namespace confab::server
