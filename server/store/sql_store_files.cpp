// SqlStore: files (issue 16, docs/protocol.md "Files"). An upload is one row
// of `files`; its bytes are rows of file_chunks as the client sent them,
// keyed by their offset, so an append is one INSERT and a resume reads one
// counter. The bytes are never decoded, and never held whole: hashing and
// downloads read a few chunks at a time. Who may see a file is decided here,
// in the statement that reads it, so a file that went away or a member who
// left is answered like a missing file.
#include "store/sql_store.h"

#include "store/sql_util.h"
#include "store/store_log.h"

#include <QCryptographicHash>
#include <QHash>

namespace confab::server {

namespace {

// Chunks read per statement while hashing: at most 1 MiB in memory.
constexpr int kChunksPerRead = 4;

const char kFileColumns[] = "f.id, f.name, f.size, f.mime, f.sha256, f.width, f.height";

Error noSuchUpload()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such upload"));
}

Error noSuchFile()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such file"));
}

Error needsFileSchema(int version)
{
    return makeError(ErrorCode::Internal, QStringLiteral("files need schema version %1").arg(version));
}

std::optional<int> optionalInt(const QVariant& value)
{
    return value.isNull() ? std::nullopt : std::optional<int>(value.toInt());
}

QVariant nullableInt(const std::optional<int>& value)
{
    return value ? QVariant(qint64(*value)) : QVariant(QMetaType::fromType<qint64>());
}

FileInfo fileFromRow(const QSqlQuery& row, int first = 0)
{
    FileInfo file;
    file.id = row.value(first).toLongLong();
    file.name = row.value(first + 1).toString();
    file.size = row.value(first + 2).toLongLong();
    file.mime = row.value(first + 3).toString();
    file.sha256 = row.value(first + 4).toString();
    file.width = optionalInt(row.value(first + 5));
    file.height = optionalInt(row.value(first + 6));
    return file;
}

} // namespace

Result<UploadState> SqlStore::createUpload(const NewUpload& upload)
{
    if (!hasFiles())
        return needsFileSchema(filesVersion());
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    Result<bool> member = isMember(upload.roomId, upload.userId);
    if (!member)
        return member.error();
    if (!member.value())
        return noSuchRoomError();
    // A no-op write on the uploader's row: on PostgreSQL it locks the row, so
    // that two instances summing the same user's files take turns and the
    // quota holds; SQLite has one writer anyway.
    if (auto locked = sql::exec(database(),
                                QStringLiteral("UPDATE users SET last_seen_at = last_seen_at WHERE id = :id"),
                                {{":id", upload.userId}}, "locking an uploader");
        !locked)
        return locked.error();
    auto used = sql::exec(database(),
                          QStringLiteral("SELECT COALESCE(SUM(size), 0) FROM files WHERE uploader_id = :u"),
                          {{":u", upload.userId}}, "summing a user's files");
    if (!used)
        return used.error();
    if (!used->next())
        return sql::queryError(used.value(), "summing a user's files");
    const qint64 free = qMax<qint64>(0, upload.quotaBytes - used->value(0).toLongLong());
    used->finish();
    if (upload.declared.size > free)
        return makeError(ErrorCode::TooLarge,
                         QStringLiteral("over your storage quota (%1 bytes free)").arg(free));
    const FileInfo& f = upload.declared;
    auto inserted = sql::exec(
        database(),
        QStringLiteral("INSERT INTO files (uploader_id, room_id, name, size, mime, sha256, width, height, "
                       "created_at, updated_at) VALUES (:user, :room, :name, :size, :mime, :sha, :width, "
                       ":height, :created, :updated) RETURNING id"),
        {{":user", upload.userId},
         {":room", upload.roomId},
         {":name", f.name},
         {":size", f.size},
         {":mime", f.mime},
         {":sha", f.sha256},
         {":width", nullableInt(f.width)},
         {":height", nullableInt(f.height)},
         {":created", upload.now},
         {":updated", upload.now}},
        "storing an upload");
    if (!inserted)
        return inserted.error();
    if (!inserted->next())
        return sql::queryError(inserted.value(), "storing an upload");
    UploadState state{f, 0, false};
    state.file.id = inserted->value(0).toLongLong();
    inserted->finish();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return state;
}

Result<UploadState> SqlStore::uploadState(Id userId, Id fileId)
{
    if (!hasFiles())
        return noSuchUpload();
    auto row = sql::exec(database(),
                         QStringLiteral("SELECT %1, f.received, f.finished FROM files f WHERE f.id = :id AND "
                                        "f.uploader_id = :user AND f.message_id IS NULL")
                             .arg(QLatin1String(kFileColumns)),
                         {{":id", fileId}, {":user", userId}}, "reading an upload");
    if (!row)
        return row.error();
    if (!row->next())
        return noSuchUpload();
    return UploadState{fileFromRow(row.value()), row->value(7).toLongLong(), row->value(8).toLongLong() != 0};
}

Result<ChunkAppended> SqlStore::appendFileChunk(Id userId, Id fileId, qint64 offset, const QByteArray& data,
                                                qint64 now)
{
    if (!hasFiles())
        return noSuchUpload();
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    // The counter first: on PostgreSQL the UPDATE locks the row, so a chunk
    // of the same upload arriving on another instance waits, then finds the
    // new count and is refused with the offset to resume from.
    const qint64 end = offset + data.size();
    auto moved =
        sql::exec(database(),
                  QStringLiteral("UPDATE files SET received = :end, updated_at = :now WHERE id = :id AND "
                                 "uploader_id = :user AND finished = 0 AND received = :offset AND "
                                 ":end2 <= size RETURNING size"),
                  {{":end", end},
                   {":now", now},
                   {":id", fileId},
                   {":user", userId},
                   {":offset", offset},
                   {":end2", end}},
                  "counting an upload's bytes");
    if (!moved)
        return moved.error();
    if (!moved->next()) {
        moved->finish();
        Result<UploadState> state = uploadState(userId, fileId);
        if (!state)
            return state.error();
        if (state->finished)
            return noSuchUpload();
        if (offset != state->received) {
            Error e =
                makeError(ErrorCode::BadRequest, QStringLiteral("expected offset %1").arg(state->received));
            e.offset = state->received;
            return e;
        }
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("the chunk ends past the file's size (%1 bytes)").arg(state->file.size));
    }
    const qint64 size = moved->value(0).toLongLong();
    moved->finish();
    auto stored =
        sql::exec(database(),
                  QStringLiteral("INSERT INTO file_chunks (file_id, byte_offset, data) VALUES (:id, "
                                 ":offset, :data)"),
                  {{":id", fileId}, {":offset", offset}, {":data", data}}, "storing a chunk");
    if (!stored)
        return stored.error();
    stored->finish();
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return ChunkAppended{end, size};
}

Result<bool> SqlStore::hashMatches(Id userId, Id fileId)
{
    Result<UploadState> state = uploadState(userId, fileId);
    if (!state)
        return state.error();
    if (state->finished)
        return true;
    if (state->received != state->file.size)
        return makeError(ErrorCode::BadRequest, QStringLiteral("the upload is not complete"));
    // Streamed: a few chunks per statement, each hashed and dropped.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 next = 0;
    while (next < state->file.size) {
        auto rows =
            sql::exec(database(),
                      QStringLiteral("SELECT byte_offset, data FROM file_chunks WHERE file_id = :id AND "
                                     "byte_offset >= :from ORDER BY byte_offset LIMIT :n"),
                      {{":id", fileId}, {":from", next}, {":n", kChunksPerRead}}, "hashing an upload");
        if (!rows)
            return rows.error();
        const qint64 before = next;
        bool gap = false; // cannot happen through appendFileChunk(); then the bytes do not match
        while (rows->next()) {
            if (rows->value(0).toLongLong() != next) {
                gap = true;
                break;
            }
            const QByteArray data = rows->value(1).toByteArray();
            hash.addData(data);
            next += data.size();
        }
        rows->finish();
        if (gap || next == before)
            break;
    }
    return next == state->file.size && QString::fromLatin1(hash.result().toHex()) == state->file.sha256;
}

Result<FileInfo> SqlStore::completeUpload(Id userId, Id fileId, bool matches, qint64 now)
{
    if (!matches) {
        if (Result<void> cancelled = cancelUpload(userId, fileId); !cancelled)
            return cancelled.error();
        return makeError(ErrorCode::BadRequest, QStringLiteral("sha256 does not match the bytes received"));
    }
    Result<UploadState> state = uploadState(userId, fileId);
    if (!state)
        return state.error();
    if (state->received != state->file.size)
        return makeError(ErrorCode::BadRequest, QStringLiteral("the upload is not complete"));
    auto marked = sql::exec(database(),
                            QStringLiteral("UPDATE files SET finished = 1, updated_at = :now WHERE id = :id"),
                            {{":now", now}, {":id", fileId}}, "finishing an upload");
    if (!marked)
        return marked.error();
    return state->file;
}

Result<void> SqlStore::cancelUpload(Id userId, Id fileId)
{
    if (!hasFiles())
        return noSuchUpload();
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto owned = sql::exec(database(),
                           QStringLiteral("SELECT 1 FROM files WHERE id = :id AND uploader_id = :user AND "
                                          "message_id IS NULL"),
                           {{":id", fileId}, {":user", userId}}, "finding an upload to cancel");
    if (!owned)
        return owned.error();
    if (!owned->next())
        return noSuchUpload();
    owned->finish();
    for (const QString& statement : {QStringLiteral("DELETE FROM file_chunks WHERE file_id = :id"),
                                     QStringLiteral("DELETE FROM files WHERE id = :id")}) {
        auto deleted = sql::exec(database(), statement, {{":id", fileId}}, "deleting an upload");
        if (!deleted)
            return deleted.error();
    }
    return tx->commit();
}

namespace {
// Who may read a finished file (f): the room's members once a message holds
// it, else its uploader alone.
const char kMayRead[] = "f.finished = 1 AND ((f.message_id IS NULL AND f.uploader_id = :user) OR "
                        "(f.message_id IS NOT NULL AND EXISTS (SELECT 1 FROM members mb WHERE "
                        "mb.room_id = f.room_id AND mb.user_id = :member)))";
} // namespace

Result<FileInfo> SqlStore::downloadableFile(Id userId, Id fileId)
{
    if (!hasFiles())
        return noSuchFile();
    auto row = sql::exec(database(),
                         QStringLiteral("SELECT %1 FROM files f WHERE f.id = :id AND %2")
                             .arg(QLatin1String(kFileColumns), QLatin1String(kMayRead)),
                         {{":id", fileId}, {":user", userId}, {":member", userId}}, "reading a file");
    if (!row)
        return row.error();
    if (!row->next())
        return noSuchFile();
    return fileFromRow(row.value());
}

Result<QByteArray> SqlStore::fileBytes(Id userId, Id fileId, qint64 offset)
{
    if (!hasFiles())
        return noSuchFile();
    auto row =
        sql::exec(database(),
                  QStringLiteral("SELECT c.byte_offset, c.data FROM file_chunks c JOIN files f ON f.id = "
                                 "c.file_id WHERE c.file_id = :id AND c.byte_offset <= :offset AND %1 "
                                 "ORDER BY c.byte_offset DESC LIMIT 1")
                      .arg(QLatin1String(kMayRead)),
                  {{":id", fileId}, {":offset", offset}, {":user", userId}, {":member", userId}},
                  "reading a file's bytes");
    if (!row)
        return row.error();
    if (!row->next())
        return noSuchFile();
    const qint64 start = row->value(0).toLongLong();
    const QByteArray data = row->value(1).toByteArray();
    if (offset - start >= data.size())
        return noSuchFile();
    return data.mid(offset - start);
}

Result<int> SqlStore::pruneUploads(qint64 staleBefore, int limit)
{
    if (!hasFiles())
        return 0;
    auto tx = beginTransaction();
    if (!tx)
        return tx.error();
    auto stale =
        sql::exec(database(),
                  QStringLiteral("SELECT id FROM files WHERE message_id IS NULL AND updated_at < :before "
                                 "ORDER BY updated_at LIMIT :n"),
                  {{":before", staleBefore}, {":n", limit}}, "finding stale uploads");
    if (!stale)
        return stale.error();
    QList<Id> ids;
    while (stale->next())
        ids.append(stale->value(0).toLongLong());
    stale->finish();
    if (ids.isEmpty())
        return 0;
    const sql::IdList list = sql::idList(ids.mid(0, sql::kIdListMax));
    for (const char* statement :
         {"DELETE FROM file_chunks WHERE file_id IN (%1)", "DELETE FROM files WHERE id IN (%1)"}) {
        auto deleted = sql::exec(database(), QString::fromLatin1(statement).arg(list.placeholders),
                                 list.binds, "deleting stale uploads");
        if (!deleted)
            return deleted.error();
    }
    if (Result<void> committed = tx->commit(); !committed)
        return committed.error();
    return int(qMin<qsizetype>(ids.size(), sql::kIdListMax));
}

// --- message attachments ------------------------------------------------------

Result<QList<FileInfo>> SqlStore::checkAttachments(const NewMessage& message)
{
    QList<FileInfo> files;
    if (message.attachments.isEmpty())
        return files;
    if (!hasFiles())
        return noSuchFile();
    const auto claimable = [&](Id fileId, bool thumbnail) -> Result<FileInfo> {
        auto row =
            sql::exec(database(),
                      QStringLiteral("SELECT %1 FROM files f WHERE f.id = :id AND f.uploader_id = :user AND "
                                     "f.room_id = :room AND f.finished = 1 AND f.message_id IS NULL")
                          .arg(QLatin1String(kFileColumns)),
                      {{":id", fileId}, {":user", message.senderId}, {":room", message.roomId}},
                      "checking an attachment");
        if (!row)
            return row.error();
        if (!row->next())
            return noSuchFile();
        FileInfo file = fileFromRow(row.value());
        row->finish();
        if (thumbnail &&
            ((file.mime != QLatin1String("image/png") && file.mime != QLatin1String("image/jpeg")) ||
             file.size > limits::kThumbnailMaxBytes))
            return noSuchFile();
        return file;
    };
    for (const AttachmentRef& ref : message.attachments) {
        Result<FileInfo> file = claimable(ref.id, false);
        if (!file)
            return file.error();
        if (ref.thumbnailId) {
            Result<FileInfo> thumbnail = claimable(*ref.thumbnailId, true);
            if (!thumbnail)
                return thumbnail.error();
            file->thumbnailId = ref.thumbnailId;
        }
        files.append(file.value());
    }
    return files;
}

// After checkAttachments() in the same transaction. A claim that finds its
// file taken meanwhile (another instance's message claimed it first) is an
// internal error here: the batch is stored again and the check then says
// not_found.
Result<void> SqlStore::claimAttachments(Id messageId, const NewMessage& message)
{
    int position = 0;
    for (const AttachmentRef& ref : message.attachments) {
        for (int part = 0; part < (ref.thumbnailId ? 2 : 1); ++part) {
            const Id fileId = part == 0 ? ref.id : *ref.thumbnailId;
            auto claimed = sql::exec(
                database(),
                QStringLiteral(
                    "UPDATE files SET message_id = :message, position = :position, thumbnail_of = "
                    ":of WHERE id = :id AND uploader_id = :user AND message_id IS NULL AND finished = 1"),
                {{":message", messageId},
                 {":position", position},
                 {":of", part == 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(ref.id)},
                 {":id", fileId},
                 {":user", message.senderId}},
                "claiming an attachment");
            if (!claimed)
                return claimed.error();
            if (claimed->numRowsAffected() != 1)
                return makeError(ErrorCode::Internal, QStringLiteral("an attachment was claimed meanwhile"));
            claimed->finish();
        }
        ++position;
    }
    return {};
}

Result<void> SqlStore::deleteMessageFiles(Id messageId)
{
    if (!hasFiles())
        return {};
    for (const QString& statement :
         {QStringLiteral(
              "DELETE FROM file_chunks WHERE file_id IN (SELECT id FROM files WHERE message_id = :id)"),
          QStringLiteral("DELETE FROM files WHERE message_id = :id")}) {
        auto deleted = sql::exec(database(), statement, {{":id", messageId}}, "deleting a message's files");
        if (!deleted)
            return deleted.error();
    }
    return {};
}

Result<void> SqlStore::attachFiles(QList<Message>& messages, const QList<Id>& ids)
{
    if (!hasFiles() || ids.isEmpty())
        return {};
    const sql::IdList list = sql::idList(ids);
    auto rows =
        sql::exec(database(),
                  QStringLiteral("SELECT f.message_id, f.thumbnail_of, %1 FROM files f WHERE f.message_id "
                                 "IN (%2) ORDER BY f.message_id, f.position, f.id")
                      .arg(QLatin1String(kFileColumns), list.placeholders),
                  list.binds, "reading attachments");
    if (!rows)
        return rows.error();
    QHash<Id, QList<FileInfo>> files;
    QHash<Id, Id> thumbnails; // file -> its thumbnail
    while (rows->next()) {
        const FileInfo file = fileFromRow(rows.value(), 2);
        if (!rows->isNull(1))
            thumbnails.insert(rows->value(1).toLongLong(), file.id);
        else
            files[rows->value(0).toLongLong()].append(file);
    }
    rows->finish();
    for (Message& message : messages) {
        const auto found = files.constFind(message.id);
        if (found == files.constEnd())
            continue;
        message.attachments = found.value();
        for (FileInfo& file : message.attachments) {
            if (const auto thumb = thumbnails.constFind(file.id); thumb != thumbnails.constEnd())
                file.thumbnailId = thumb.value();
        }
    }
    return {};
}

} // namespace confab::server
