// SqlStore: files attached to messages (issue 16, docs/protocol.md
// "Attaching: send_message"). A message claims finished uploads of its
// sender to its room in the transaction that stores it, all or nothing;
// every read of messages attaches them in one statement per page (as
// reactions are); deleting a message deletes them, chunks first.
#include "store/sql_store.h"

#include "store/sql_file_rows.h"
#include "store/sql_util.h"

#include <QHash>

namespace confab::server {

using sql::fileFromRow;
using sql::kFileColumns;
using sql::noSuchFile;

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
