// upload_file, upload chunks, cancel_upload, fetch_file, cancel_fetch
// (issue 16, docs/protocol.md "Files"). Requests are refused on their own
// terms (size, name, hash format) before the store is asked; the store
// checks membership, quota and ownership in the transaction that stores.
// An upload chunk is a request like any other: its store job counts as the
// connection's request in flight, so a fast uploader is slowed by TCP.
// Downloads are paced by FileDownloads.
#include "connection.h"
#include "file_downloads.h"
#include "handlers/handlers.h"
#include "hub.h"

#include "protocol/event_names.h"
#include "protocol/file_chunk.h"
#include "protocol/files.h"

#include <QPointer>

namespace confab::server {

namespace {

const QJsonValue kPush(QJsonValue::Undefined);

Error aboutFile(Error error, Id fileId)
{
    error.fileId = fileId;
    return error;
}

// Once every byte is held: hashed on the reader (a 25 MiB file must not
// hold up everyone's messages on the writer), then marked finished or
// deleted on the writer, and the uploader told.
void completeUpload(Hub& hub, Connection* connection, Id fileId)
{
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    hub.db<Result<bool>>(
        [me, fileId](Store& s) { return s.hashMatches(me, fileId); },
        [&hub, guard, me, fileId](Result<bool> matches) {
            if (!guard)
                return;
            if (!matches)
                return Hub::replyError(guard, aboutFile(matches.error(), fileId), kPush);
            const qint64 now = hub.nowMs();
            hub.db<Result<FileInfo>>(
                [me, fileId, matches = matches.value(), now](Store& s) {
                    return s.completeUpload(me, fileId, matches, now);
                },
                [guard, fileId](Result<FileInfo> file) {
                    if (!guard)
                        return;
                    if (!file)
                        return Hub::replyError(guard, aboutFile(file.error(), fileId), kPush);
                    Hub::reply(guard, event::UploadDone, UploadDoneEvent{file.value()}.toPayload(), kPush);
                });
        },
        JobOrder::read(connection->serial()));
}

} // namespace

void handleUploadFile(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = UploadFileRequest::fromPayload(request.payload, hub.config().maxFileBytes);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    if (parsed->fileId) {
        const Id fileId = *parsed->fileId;
        hub.db<Result<UploadState>>(
            [me, fileId](Store& s) { return s.uploadState(me, fileId); },
            [&hub, guard, id](Result<UploadState> state) {
                if (!guard)
                    return;
                if (!state)
                    return Hub::replyError(guard, state.error(), id);
                if (state->finished)
                    return Hub::reply(guard, event::UploadDone, UploadDoneEvent{state->file}.toPayload(), id);
                Hub::reply(guard, event::Upload, UploadReply{state->file.id, state->received}.toPayload(),
                           id);
                // Every byte arrived but the connection was lost before the
                // check: nothing is left to send, so check now (upload_done follows).
                if (state->received == state->file.size)
                    completeUpload(hub, guard, state->file.id);
            },
            JobOrder::read(connection->serial()));
        return;
    }
    NewUpload upload{me, parsed->roomId, parsed->declared(), hub.config().userQuotaBytes, hub.nowMs()};
    hub.db<Result<UploadState>>(
        [upload](Store& s) { return s.createUpload(upload); },
        [guard, id](Result<UploadState> state) {
            if (!guard)
                return;
            if (!state)
                return Hub::replyError(guard, state.error(), id);
            Hub::reply(guard, event::Upload, UploadReply{state->file.id, 0}.toPayload(), id);
        });
}

void handleUploadChunk(Hub& hub, Connection* connection, Id fileId, qint64 offset, QByteArray data)
{
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    hub.db<Result<ChunkAppended>>(
        [me, fileId, offset, data = std::move(data), now](Store& s) {
            return s.appendFileChunk(me, fileId, offset, data, now);
        },
        [&hub, guard, fileId](Result<ChunkAppended> appended) {
            if (!guard)
                return;
            if (!appended)
                return Hub::replyError(guard, aboutFile(appended.error(), fileId), kPush);
            Hub::reply(guard, event::UploadProgress,
                       UploadProgressEvent{fileId, appended->received}.toPayload(), kPush);
            if (appended->received == appended->size)
                completeUpload(hub, guard, fileId);
        });
}

void handleCancelUpload(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = CancelUploadRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    hub.db<Result<void>>([me, fileId = parsed->fileId](Store& s) { return s.cancelUpload(me, fileId); },
                         [guard, id](Result<void> done) {
                             if (!guard)
                                 return;
                             if (!done)
                                 return Hub::replyError(guard, done.error(), id);
                             Hub::reply(guard, event::Ok, QJsonObject(), id);
                         });
}

void handleFetchFile(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = FetchFileRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    if (FileDownloads::of(hub, connection)->isFull()) {
        Error busy =
            makeError(ErrorCode::RateLimited,
                      QStringLiteral("at most %1 downloads at once").arg(limits::kMaxDownloadsPerConnection));
        busy.retryAfterMs = 1000;
        return Hub::replyError(connection, busy, request.id);
    }
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    const FetchFileRequest r = parsed.value();
    hub.db<Result<FileInfo>>(
        [me, fileId = r.fileId](Store& s) { return s.downloadableFile(me, fileId); },
        [&hub, guard, id, r](Result<FileInfo> file) {
            if (!guard)
                return;
            if (!file)
                return Hub::replyError(guard, file.error(), id);
            if (r.offset >= file->size)
                return Hub::replyError(
                    guard,
                    makeError(ErrorCode::BadRequest,
                              QStringLiteral("offset must be below the file's size (%1)").arg(file->size)),
                    id);
            FileDownloads* downloads = FileDownloads::of(hub, guard);
            if (downloads->isFull()) { // filled while this one was being looked up
                Error busy = makeError(
                    ErrorCode::RateLimited,
                    QStringLiteral("at most %1 downloads at once").arg(limits::kMaxDownloadsPerConnection));
                busy.retryAfterMs = 1000;
                return Hub::replyError(guard, busy, id);
            }
            Hub::reply(guard, event::File, FileReply{file.value(), r.offset}.toPayload(), id);
            downloads->start(file.value(), r.offset);
        },
        JobOrder::read(connection->serial()));
}

void handleCancelFetch(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = CancelFetchRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    FileDownloads::of(hub, connection)->cancel(parsed->fileId);
    Hub::reply(connection, event::Ok, QJsonObject(), request.id);
}

} // namespace confab::server
