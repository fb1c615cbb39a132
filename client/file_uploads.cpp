#include "file_uploads.h"

#include "session.h"

#include "protocol/event_names.h"
#include "protocol/files.h"
#include "protocol/limits.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QPointer>
#include <QThreadPool>

namespace confab::client {

Q_LOGGING_CATEGORY(lcUploads, "confab.client.uploads")

namespace {

// Worker thread: the SHA-256 of a file, streamed (a 25 MiB file is never
// in memory at once); "" when it cannot be read or its size changed.
QString sha256Of(const QString& path, qint64 expectedSize)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() != expectedSize)
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

QByteArray readChunk(const QString& path, qint64 offset, qint64 length)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
        return {};
    return file.read(length);
}

// Runs `work` on the pool and `then` with its result on the GUI thread,
// unless `self` is gone by then.
template <typename Work, typename Then>
void onWorker(QObject* self, Work work, Then then)
{
    QPointer<QObject> guard(self);
    QThreadPool::globalInstance()->start([guard, work, then] {
        auto result = work();
        QMetaObject::invokeMethod(QCoreApplication::instance(), [guard, then, result] {
            if (guard)
                then(result);
        });
    });
}

} // namespace

FileUploads::FileUploads(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
    connect(m_session, &Session::uploadProgressed, this, &FileUploads::onProgress);
    connect(m_session, &Session::uploadDone, this, &FileUploads::onDone);
    connect(m_session, &Session::fileErrorReceived, this, &FileUploads::onFileError);
    connect(m_session, &Session::stateChanged, this, [this] {
        if (m_session->state() != Session::State::Online && active()) {
            ++m_serial; // in-flight chunks and replies are void; the outbox restarts us
            m_reading = m_requesting = false;
        }
    });
}

FileUploads::~FileUploads() = default;

void FileUploads::start(const QString& tempId, Id roomId, const QList<OutgoingFile>& files)
{
    ++m_serial;
    m_tempId = tempId;
    m_roomId = roomId;
    m_files = files;
    m_index = 0;
    m_thumbnail = false;
    m_reading = m_requesting = false;
    next();
}

void FileUploads::pause()
{
    ++m_serial;
    m_tempId.clear();
    m_reading = m_requesting = false;
}

void FileUploads::cancel()
{
    if (!active())
        return;
    // Finished ones too: the message was never sent, so nothing refers to
    // them, and they count against my quota until they expire.
    QList<Id> uploads;
    for (const OutgoingFile& f : std::as_const(m_files)) {
        if (f.fileId)
            uploads << f.fileId;
        if (f.thumbnailId)
            uploads << f.thumbnailId;
    }
    pause();
    for (Id id : uploads)
        m_session->request(event::CancelUpload, FileIdRequest{id}.toPayload(), [](const Envelope&) {});
}

// The first part not uploaded yet: a file, then its thumbnail.
void FileUploads::next()
{
    while (m_index < m_files.size()) {
        const OutgoingFile& f = m_files.at(m_index);
        if (!f.uploaded) {
            m_thumbnail = false;
            break;
        }
        if (!f.thumbnailPath.isEmpty() && !f.thumbnailUploaded) {
            m_thumbnail = true;
            break;
        }
        ++m_index;
    }
    if (m_index >= m_files.size()) {
        const QString tempId = std::exchange(m_tempId, {});
        ++m_serial;
        emit finished(tempId, m_files);
        return;
    }
    const OutgoingFile& f = m_files.at(m_index);
    const QString sha = m_thumbnail ? f.thumbnailSha256 : f.sha256;
    if (sha.isEmpty())
        hash(m_thumbnail ? f.thumbnailPath : f.path);
    else
        requestUpload();
}

void FileUploads::hash(const QString& path)
{
    const quint64 serial = m_serial;
    const qint64 size = m_thumbnail ? m_files.at(m_index).thumbnailSize : m_files.at(m_index).size;
    onWorker(
        this, [path, size] { return sha256Of(path, size); },
        [this, serial](const QString& sha) {
            if (serial != m_serial)
                return;
            if (sha.isEmpty())
                return fail(makeError(ErrorCode::BadRequest,
                                      tr("%1 cannot be read any more.").arg(m_files.at(m_index).name)));
            OutgoingFile& f = m_files[m_index];
            (m_thumbnail ? f.thumbnailSha256 : f.sha256) = sha;
            emit changed(m_tempId, m_files);
            requestUpload();
        });
}

void FileUploads::requestUpload()
{
    const OutgoingFile& f = m_files.at(m_index);
    UploadFileRequest request;
    const Id known = m_thumbnail ? f.thumbnailId : f.fileId;
    if (known) {
        request.fileId = known; // a resume: the server says how much it holds
    } else {
        request.roomId = m_roomId;
        if (m_thumbnail) {
            request.name = f.thumbnailMime == QLatin1String("image/png") ? QStringLiteral("thumbnail.png")
                                                                         : QStringLiteral("thumbnail.jpg");
            request.size = f.thumbnailSize;
            request.sha256 = f.thumbnailSha256;
            request.mime = f.thumbnailMime;
        } else {
            request.name = f.name;
            request.size = f.size;
            request.sha256 = f.sha256;
            request.mime = f.mime;
            request.width = f.width;
            request.height = f.height;
        }
    }
    m_requesting = true;
    const quint64 serial = m_serial;
    m_session->request(event::UploadFile, request.toPayload(),
                       [this, serial](const Envelope& reply) { onUploadReply(serial, reply); });
}

void FileUploads::onUploadReply(quint64 serial, const Envelope& reply)
{
    if (serial != m_serial)
        return;
    m_requesting = false;
    if (reply.type == event::UploadDone) { // a resume of a finished upload
        const auto done = UploadDoneEvent::fromPayload(reply.payload);
        if (!done)
            return fail(done.error());
        return partDone(done->file);
    }
    if (reply.type == event::Upload) {
        const auto upload = UploadReply::fromPayload(reply.payload);
        if (!upload)
            return fail(upload.error());
        OutgoingFile& f = m_files[m_index];
        m_size = m_thumbnail ? f.thumbnailSize : f.size;
        if (upload->offset < 0 || upload->offset > m_size || upload->chunkBytes < 1)
            return fail(
                makeError(ErrorCode::Internal, QStringLiteral("the server's upload reply makes no sense")));
        m_fileId = upload->fileId;
        m_acked = m_sent = upload->offset;
        m_chunkBytes = qMin<qint64>(upload->chunkBytes, limits::kFileChunkBytes);
        Id& id = m_thumbnail ? f.thumbnailId : f.fileId;
        if (id != m_fileId) {
            id = m_fileId;
            emit changed(m_tempId, m_files);
        }
        emitProgress();
        pump();
        return;
    }
    const auto parsed = errorFromPayload(reply.payload);
    const Error error = parsed ? *parsed : makeError(ErrorCode::Internal, QStringLiteral("unexpected reply"));
    OutgoingFile& f = m_files[m_index];
    Id& id = m_thumbnail ? f.thumbnailId : f.fileId;
    if (error.code == ErrorCode::NotFound && id) {
        // The upload expired or was cancelled elsewhere: start it afresh.
        id = 0;
        emit changed(m_tempId, m_files);
        return requestUpload();
    }
    fail(error);
}

// Keeps kChunksInFlight chunks between what the server holds and what was
// sent; each is read from disk on a worker, one at a time, in order.
void FileUploads::pump()
{
    if (!active() || m_reading || m_requesting || m_fileId == 0)
        return;
    if (m_sent >= m_size || m_sent - m_acked >= kChunksInFlight * m_chunkBytes)
        return;
    const OutgoingFile& f = m_files.at(m_index);
    const QString path = m_thumbnail ? f.thumbnailPath : f.path;
    const qint64 offset = m_sent;
    const qint64 length = qMin(m_chunkBytes, m_size - offset);
    const quint64 serial = m_serial;
    m_reading = true;
    onWorker(
        this, [path, offset, length] { return readChunk(path, offset, length); },
        [this, serial, offset, length](const QByteArray& data) {
            if (serial != m_serial)
                return;
            m_reading = false;
            if (data.size() != length)
                return fail(
                    makeError(ErrorCode::BadRequest,
                              tr("%1 changed while it was being sent.").arg(m_files.at(m_index).name)));
            if (!m_session->sendFileChunk(m_fileId, offset, data))
                return; // offline: the outbox starts us again after the reconnect
            m_sent = offset + length;
            pump();
        });
}

void FileUploads::onProgress(const UploadProgressEvent& progress)
{
    if (!active() || progress.fileId != m_fileId || progress.offset < m_acked || progress.offset > m_size)
        return;
    m_acked = progress.offset;
    if (m_sent < m_acked)
        m_sent = m_acked;
    emitProgress();
    pump();
}

void FileUploads::onDone(const FileInfo& file)
{
    if (!active() || file.id != m_fileId || m_requesting)
        return;
    partDone(file);
}

void FileUploads::partDone(const FileInfo& file)
{
    OutgoingFile& f = m_files[m_index];
    if (m_thumbnail) {
        f.thumbnailId = file.id;
        f.thumbnailUploaded = true;
    } else {
        f.fileId = file.id;
        f.uploaded = true;
    }
    m_fileId = 0;
    m_acked = m_sent = m_size = 0;
    emit changed(m_tempId, m_files);
    emitProgress();
    next();
}

void FileUploads::onFileError(const Error& error)
{
    if (!active() || error.fileId == 0 || Id(error.fileId) != m_fileId)
        return;
    if (error.code == ErrorCode::BadRequest && error.offset >= 0 && error.offset <= m_size) {
        // "expected offset N": the chunks after it were refused too; send
        // again from what the server holds. Later refusals of chunks sent
        // before this one say the same N and change nothing.
        if (error.offset == m_acked && m_sent == m_acked)
            return;
        qCInfo(lcUploads) << "resending file" << m_fileId << "from" << error.offset;
        m_acked = m_sent = error.offset;
        ++m_serial; // a chunk being read now belongs to the old run
        m_reading = false;
        pump();
        return;
    }
    // The SHA-256 did not match, or the upload is gone: this message cannot
    // go as it is. Its file ids are forgotten: a retry starts afresh.
    OutgoingFile& f = m_files[m_index];
    if (m_thumbnail) {
        f.thumbnailId = 0;
        f.thumbnailSha256.clear();
    } else {
        f.fileId = 0;
        f.sha256.clear();
    }
    emit changed(m_tempId, m_files);
    fail(error);
}

void FileUploads::fail(const Error& error)
{
    qCWarning(lcUploads) << "upload of" << m_tempId << "failed:" << error.message;
    const QString tempId = m_tempId;
    pause();
    emit failed(tempId, error);
}

void FileUploads::emitProgress()
{
    qint64 total = 0;
    qint64 done = 0;
    for (int i = 0; i < m_files.size(); ++i) {
        const OutgoingFile& f = m_files.at(i);
        total += f.size;
        if (f.uploaded)
            done += f.size;
        else if (i == m_index && !m_thumbnail)
            done += m_acked;
    }
    emit progress(m_tempId, done, total);
}

} // namespace confab::client
