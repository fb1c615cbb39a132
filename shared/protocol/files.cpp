#include "protocol/files.h"

#include "protocol/validation.h"

#include <QRegularExpression>

namespace confab {
namespace {

using namespace json;

const QLatin1String kId{"id"};
const QLatin1String kFileId{"fileId"};
const QLatin1String kRoomId{"roomId"};
const QLatin1String kName{"name"};
const QLatin1String kSize{"size"};
const QLatin1String kMime{"mime"};
const QLatin1String kSha256{"sha256"};
const QLatin1String kWidth{"width"};
const QLatin1String kHeight{"height"};
const QLatin1String kThumbnailId{"thumbnailId"};
const QLatin1String kOffset{"offset"};
const QLatin1String kChunkBytes{"chunkBytes"};
const QLatin1String kFile{"file"};
const QLatin1String kAttachments{"attachments"};

Error badRequest(const QString& message)
{
    return makeError(ErrorCode::BadRequest, message);
}

bool absent(const QJsonValue& v)
{
    return v.isUndefined() || v.isNull();
}

// A name is data: any printable text, but no control character (they can
// rewrite what a terminal or a file dialog shows) and no lone surrogate.
bool readFileName(const QJsonObject& p, QString* out, Error* error)
{
    QString name;
    if (!readString(p, kName, &name, error))
        return false;
    name = name.trimmed();
    if (name.isEmpty() || name.size() > limits::kFileNameMaxLength) {
        *error =
            badRequest(QStringLiteral("name must have 1 to %1 characters").arg(limits::kFileNameMaxLength));
        return false;
    }
    for (QChar c : std::as_const(name)) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f)) {
            *error = badRequest(QStringLiteral("name must not contain control characters"));
            return false;
        }
    }
    if (validation::forbiddenContentIndex(name) >= 0) {
        *error = badRequest(QStringLiteral("name must not contain lone surrogates"));
        return false;
    }
    *out = std::move(name);
    return true;
}

// `type/subtype` of RFC 6838 restricted-name characters, lowercased;
// absent: application/octet-stream.
bool readMime(const QJsonObject& p, QString* out, Error* error)
{
    static const QRegularExpression shape(
        QStringLiteral(R"(^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$)"));
    const QJsonValue value = p.value(kMime);
    if (absent(value)) {
        *out = QStringLiteral("application/octet-stream");
        return true;
    }
    const QString mime = value.toString().toLower();
    if (!value.isString() || mime.size() > limits::kFileMimeMaxLength || !shape.match(mime).hasMatch()) {
        *error = badRequest(QStringLiteral("mime must be type/subtype of at most %1 characters")
                                .arg(limits::kFileMimeMaxLength));
        return false;
    }
    *out = mime;
    return true;
}

bool readDimension(const QJsonObject& p, QLatin1String key, std::optional<int>* out, Error* error)
{
    const QJsonValue value = p.value(key);
    if (absent(value)) {
        out->reset();
        return true;
    }
    const std::optional<qint64> n = toInt64(value);
    if (!n || *n < 1 || *n > limits::kFileDimensionMax) {
        *error = badRequest(
            QStringLiteral("%1 must be an integer from 1 to %2").arg(key).arg(limits::kFileDimensionMax));
        return false;
    }
    *out = int(*n);
    return true;
}

bool readSha256(const QJsonObject& p, QString* out, Error* error)
{
    if (!readString(p, kSha256, out, error))
        return false;
    if (!isSha256Hex(*out)) {
        *error = badRequest(QStringLiteral("sha256 must be 64 lowercase hex digits"));
        return false;
    }
    return true;
}

bool readOffset(const QJsonObject& p, qint64* out, Error* error)
{
    if (!readInt64(p, kOffset, out, error))
        return false;
    if (*out < 0) {
        *error = badRequest(QStringLiteral("offset must not be negative"));
        return false;
    }
    return true;
}

void insertDimensions(QJsonObject& json, const std::optional<int>& width, const std::optional<int>& height)
{
    if (width)
        json.insert(kWidth, *width);
    if (height)
        json.insert(kHeight, *height);
}

} // namespace

bool isSha256Hex(const QString& text)
{
    if (text.size() != 64)
        return false;
    for (QChar c : text) {
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
              (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

// --- FileInfo --------------------------------------------------------------

QJsonObject FileInfo::toJson() const
{
    QJsonObject json{{kId, idToJson(id)}, {kName, name}, {kSize, size}, {kMime, mime}, {kSha256, sha256}};
    insertDimensions(json, width, height);
    if (thumbnailId)
        json.insert(kThumbnailId, idToJson(*thumbnailId));
    return json;
}

// Strict: a receiver treats every field as hostile, so one that breaks the
// upload rules is refused rather than shown.
Result<FileInfo> FileInfo::fromJson(const QJsonObject& json)
{
    FileInfo f;
    Error e;
    if (!readId(json, kId, &f.id, &e) || !readFileName(json, &f.name, &e) ||
        !readInt64(json, kSize, &f.size, &e) || !readMime(json, &f.mime, &e) ||
        !readSha256(json, &f.sha256, &e) || !readDimension(json, kWidth, &f.width, &e) ||
        !readDimension(json, kHeight, &f.height, &e) ||
        !readOptionalId(json, kThumbnailId, &f.thumbnailId, &e))
        return e;
    if (f.size < 1)
        return badRequest(QStringLiteral("size must be at least 1"));
    return f;
}

bool operator==(const FileInfo& a, const FileInfo& b)
{
    return a.id == b.id && a.name == b.name && a.size == b.size && a.mime == b.mime && a.sha256 == b.sha256 &&
           a.width == b.width && a.height == b.height && a.thumbnailId == b.thumbnailId;
}

// --- AttachmentRef -----------------------------------------------------------

QJsonObject AttachmentRef::toJson() const
{
    QJsonObject json{{kId, idToJson(id)}};
    if (thumbnailId)
        json.insert(kThumbnailId, idToJson(*thumbnailId));
    return json;
}

Result<AttachmentRef> AttachmentRef::fromJson(const QJsonObject& json)
{
    AttachmentRef r;
    Error e;
    if (!readId(json, kId, &r.id, &e) || !readOptionalId(json, kThumbnailId, &r.thumbnailId, &e))
        return e;
    return r;
}

// --- upload_file -------------------------------------------------------------

Result<UploadFileRequest> UploadFileRequest::fromPayload(const QJsonObject& p, qint64 maxFileBytes)
{
    UploadFileRequest r;
    Error e;
    if (!absent(p.value(kFileId))) {
        Id fileId = 0;
        if (!readId(p, kFileId, &fileId, &e))
            return e;
        r.fileId = fileId;
        return r;
    }
    if (!readId(p, kRoomId, &r.roomId, &e) || !readInt64(p, kSize, &r.size, &e))
        return e;
    if (r.size < 1)
        return badRequest(QStringLiteral("size must be at least 1"));
    if (r.size > maxFileBytes)
        return makeError(ErrorCode::TooLarge,
                         QStringLiteral("files may be at most %1 bytes").arg(maxFileBytes));
    if (!readFileName(p, &r.name, &e) || !readSha256(p, &r.sha256, &e) || !readMime(p, &r.mime, &e) ||
        !readDimension(p, kWidth, &r.width, &e) || !readDimension(p, kHeight, &r.height, &e))
        return e;
    return r;
}

QJsonObject UploadFileRequest::toPayload() const
{
    if (fileId)
        return {{kFileId, idToJson(*fileId)}};
    QJsonObject p{
        {kRoomId, idToJson(roomId)}, {kName, name}, {kSize, size}, {kSha256, sha256}, {kMime, mime}};
    insertDimensions(p, width, height);
    return p;
}

FileInfo UploadFileRequest::declared() const
{
    return FileInfo{0, name, size, mime, sha256, width, height, std::nullopt};
}

// --- upload, upload_progress, upload_done ------------------------------------

Result<UploadReply> UploadReply::fromPayload(const QJsonObject& p)
{
    UploadReply r;
    Error e;
    if (!readId(p, kFileId, &r.fileId, &e) || !readOffset(p, &r.offset, &e) ||
        !readInt64(p, kChunkBytes, &r.chunkBytes, &e))
        return e;
    if (r.chunkBytes < 1 || r.chunkBytes > limits::kFileChunkBytes)
        return badRequest(QStringLiteral("chunkBytes must be from 1 to %1").arg(limits::kFileChunkBytes));
    return r;
}

QJsonObject UploadReply::toPayload() const
{
    return {{kFileId, idToJson(fileId)}, {kOffset, offset}, {kChunkBytes, chunkBytes}};
}

Result<UploadProgressEvent> UploadProgressEvent::fromPayload(const QJsonObject& p)
{
    UploadProgressEvent r;
    Error e;
    if (!readId(p, kFileId, &r.fileId, &e) || !readOffset(p, &r.offset, &e))
        return e;
    return r;
}

QJsonObject UploadProgressEvent::toPayload() const
{
    return {{kFileId, idToJson(fileId)}, {kOffset, offset}};
}

Result<UploadDoneEvent> UploadDoneEvent::fromPayload(const QJsonObject& p)
{
    UploadDoneEvent r;
    Error e;
    if (!readNested(p, kFile, &r.file, &e))
        return e;
    return r;
}

QJsonObject UploadDoneEvent::toPayload() const
{
    return {{kFile, file.toJson()}};
}

// --- cancel_upload, cancel_fetch, fetch_file, file ---------------------------

Result<FileIdRequest> FileIdRequest::fromPayload(const QJsonObject& p)
{
    FileIdRequest r;
    Error e;
    if (!readId(p, kFileId, &r.fileId, &e))
        return e;
    return r;
}

QJsonObject FileIdRequest::toPayload() const
{
    return {{kFileId, idToJson(fileId)}};
}

Result<FetchFileRequest> FetchFileRequest::fromPayload(const QJsonObject& p)
{
    FetchFileRequest r;
    Error e;
    if (!readId(p, kFileId, &r.fileId, &e))
        return e;
    if (!absent(p.value(kOffset)) && !readOffset(p, &r.offset, &e))
        return e;
    return r;
}

QJsonObject FetchFileRequest::toPayload() const
{
    QJsonObject p{{kFileId, idToJson(fileId)}};
    if (offset != 0)
        p.insert(kOffset, offset);
    return p;
}

Result<FileReply> FileReply::fromPayload(const QJsonObject& p)
{
    FileReply r;
    Error e;
    if (!readNested(p, kFile, &r.file, &e) || !readOffset(p, &r.offset, &e))
        return e;
    if (r.offset >= r.file.size)
        return badRequest(QStringLiteral("offset must be below the file's size"));
    return r;
}

QJsonObject FileReply::toPayload() const
{
    return {{kFile, file.toJson()}, {kOffset, offset}};
}

} // namespace confab

namespace confab::json {

bool readAttachmentRefs(const QJsonObject& p, QList<AttachmentRef>* out, Error* error)
{
    if (absent(p.value(kAttachments))) {
        out->clear();
        return true;
    }
    QList<AttachmentRef> refs;
    if (!readList(p, kAttachments, &refs, error))
        return false;
    if (refs.size() > limits::kMaxAttachments) {
        *error =
            badRequest(QStringLiteral("attachments may hold at most %1 files").arg(limits::kMaxAttachments));
        return false;
    }
    QList<Id> seen;
    for (const AttachmentRef& ref : std::as_const(refs)) {
        for (const std::optional<Id>& id : {std::optional<Id>(ref.id), ref.thumbnailId}) {
            if (!id)
                continue;
            if (seen.contains(*id)) {
                *error = badRequest(QStringLiteral("attachments name the same file twice"));
                return false;
            }
            seen.append(*id);
        }
    }
    *out = std::move(refs);
    return true;
}

} // namespace confab::json
