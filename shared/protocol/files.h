#pragma once

#include "protocol/limits.h"
#include "protocol/types.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

// Files (issue 16, docs/protocol.md "Files"): the JSON requests and events
// around uploads and downloads. The bytes themselves travel in binary frames
// (file_chunk.h). The server checks size, quota and SHA-256 only; what the
// uploader declares (mime, width, height) is carried, never trusted.
namespace confab {

// 64 lowercase hex digits.
bool isSha256Hex(const QString& text);

// One entry of send_message.attachments: a finished upload of the sender,
// and optionally a small image of it made by the sender's client.
struct AttachmentRef {
    Id id = 0;
    std::optional<Id> thumbnailId;
    QJsonObject toJson() const;
    static Result<AttachmentRef> fromJson(const QJsonObject& json);
    friend bool operator==(const AttachmentRef& a, const AttachmentRef& b)
    {
        return a.id == b.id && a.thumbnailId == b.thumbnailId;
    }
};

// upload_file {roomId, name, size, sha256, mime?, width?, height?} (a new
// upload) or {fileId} (resuming one). `maxFileBytes`: the server's
// --max-file-bytes; over it too_large, as the docs say.
struct UploadFileRequest {
    std::optional<Id> fileId; // set: a resume, and nothing else is read
    Id roomId = 0;
    QString name;
    qint64 size = 0;
    QString sha256;
    QString mime; // "application/octet-stream" when none was given
    std::optional<int> width;
    std::optional<int> height;
    static Result<UploadFileRequest> fromPayload(const QJsonObject& p,
                                                 qint64 maxFileBytes = limits::kDefaultMaxFileBytes);
    QJsonObject toPayload() const;
    // The file this request describes (id 0), as upload_done will carry it.
    FileInfo declared() const;
};

// upload {fileId, offset, chunkBytes}: send upload chunks from `offset`.
struct UploadReply {
    Id fileId = 0;
    qint64 offset = 0;
    qint64 chunkBytes = limits::kFileChunkBytes;
    static Result<UploadReply> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// upload_progress {fileId, offset}: bytes the server holds durably.
struct UploadProgressEvent {
    Id fileId = 0;
    qint64 offset = 0;
    static Result<UploadProgressEvent> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// upload_done {file}: every byte stored and its SHA-256 verified.
struct UploadDoneEvent {
    FileInfo file;
    static Result<UploadDoneEvent> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// cancel_upload {fileId} and cancel_fetch {fileId}.
struct FileIdRequest {
    Id fileId = 0;
    static Result<FileIdRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};
using CancelUploadRequest = FileIdRequest;
using CancelFetchRequest = FileIdRequest;

// fetch_file {fileId, offset?}: offset defaults to 0; whether it lies in
// [0, size) only the server knows (it checks).
struct FetchFileRequest {
    Id fileId = 0;
    qint64 offset = 0;
    static Result<FetchFileRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// file {file, offset}: download chunks from `offset` to the end follow.
struct FileReply {
    FileInfo file;
    qint64 offset = 0;
    static Result<FileReply> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

} // namespace confab

namespace confab::json {
// send_message.attachments: absent or null -> none; at most
// limits::kMaxAttachments, no id twice (an id used as a thumbnail counts).
bool readAttachmentRefs(const QJsonObject& p, QList<AttachmentRef>* out, Error* error);
} // namespace confab::json
