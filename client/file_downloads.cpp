#include "file_downloads.h"

#include "chunk_writer.h"
#include "session.h"

#include "protocol/event_names.h"
#include "protocol/files.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

namespace confab::client {

Q_LOGGING_CATEGORY(lcDownloads, "confab.client.downloads")

FileDownloads::FileDownloads(Session* session, const QString& cacheDirectory, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_dir(cacheDirectory)
    , m_writer(new ChunkWriter)
{
    QDir().mkpath(m_dir);
    m_writer->moveToThread(&m_writerThread);
    connect(&m_writerThread, &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &ChunkWriter::written, this, &FileDownloads::onWritten);
    connect(m_writer, &ChunkWriter::completed, this, &FileDownloads::onCompleted);
    m_writerThread.setObjectName(QStringLiteral("confab-file-writer"));
    m_writerThread.start();
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &FileDownloads::resumeAll);
    connect(m_session, &Session::downloadChunkReceived, this, &FileDownloads::onChunk);
    connect(m_session, &Session::fileErrorReceived, this, &FileDownloads::onFileError);
    connect(m_session, &Session::stateChanged, this, [this] {
        if (m_session->state() == Session::State::Online)
            resumeAll();
        else
            for (Download& d : m_active)
                d.started = false; // chunks of the old connection are gone; resume from `received`
    });
}

void FileDownloads::setCacheDirectory(const QString& dir)
{
    if (dir == m_dir)
        return;
    for (auto it = m_active.cbegin(); it != m_active.cend(); ++it)
        m_session->request(event::CancelFetch, FileIdRequest{it.key()}.toPayload(), [](const Envelope&) {});
    m_active.clear();
    m_queue.clear();
    ++m_serial;
    m_dir = dir;
    QDir().mkpath(m_dir);
}

FileDownloads::~FileDownloads()
{
    m_writerThread.quit();
    m_writerThread.wait();
}

QString FileDownloads::partPath(Id fileId) const
{
    return QDir(m_dir).filePath(QString::number(fileId) + QStringLiteral(".part"));
}

QString FileDownloads::finalPath(Id fileId) const
{
    return QDir(m_dir).filePath(QString::number(fileId));
}

QString FileDownloads::cachedPath(Id fileId) const
{
    const QString path = finalPath(fileId);
    return QFileInfo(path).isFile() ? path : QString();
}

void FileDownloads::fetch(Id fileId)
{
    if (fileId == 0 || isFetching(fileId))
        return;
    const QString cached = cachedPath(fileId);
    if (!cached.isEmpty()) {
        emit finished(fileId, cached);
        return;
    }
    m_queue.append(fileId);
    startNext();
}

void FileDownloads::cancel(Id fileId)
{
    m_queue.removeAll(fileId);
    if (!m_active.contains(fileId))
        return;
    m_active.remove(fileId);
    QMetaObject::invokeMethod(m_writer, [w = m_writer, path = partPath(fileId)] { w->discard(path); });
    m_session->request(event::CancelFetch, FileIdRequest{fileId}.toPayload(), [](const Envelope&) {});
    startNext();
}

void FileDownloads::startNext()
{
    while (m_active.size() < kAtOnce && !m_queue.isEmpty() && !m_retry.isActive()) {
        const Id fileId = m_queue.takeFirst();
        Download d;
        d.file.id = fileId;
        m_active.insert(fileId, d);
        request(fileId);
    }
}

void FileDownloads::resumeAll()
{
    for (auto it = m_active.begin(); it != m_active.end(); ++it) {
        if (!it->started)
            request(it.key());
    }
    startNext();
}

void FileDownloads::request(Id fileId)
{
    if (m_session->state() != Session::State::Online)
        return; // resumeAll() when online again
    Download& d = m_active[fileId];
    d.serial = ++m_serial;
    FetchFileRequest request;
    request.fileId = fileId;
    request.offset = d.received;
    const quint64 serial = d.serial;
    m_session->request(event::FetchFile, request.toPayload(), [this, fileId, serial](const Envelope& reply) {
        const auto it = m_active.find(fileId);
        if (it == m_active.end() || it->serial != serial)
            return;
        if (reply.type == event::File) {
            const auto file = FileReply::fromPayload(reply.payload);
            if (!file || file->file.id != fileId || file->offset != it->received || file->file.size < 1) {
                const Error bad = makeError(ErrorCode::Internal, QStringLiteral("unexpected file reply"));
                return finish(fileId, &bad);
            }
            it->file = file->file;
            it->started = true;
            return;
        }
        const auto parsed = errorFromPayload(reply.payload);
        const Error error =
            parsed ? *parsed : makeError(ErrorCode::Internal, QStringLiteral("unexpected reply"));
        if (error.code == ErrorCode::RateLimited || error.code == ErrorCode::Unavailable) {
            // Back in the queue, at its head, once the wait is over.
            m_active.remove(fileId);
            m_queue.prepend(fileId);
            m_retry.start(int(qBound(qint64(250), error.retryAfterMs, qint64(60000))));
            return;
        }
        if (m_session->state() != Session::State::Online)
            return; // lost the connection: resumed when online again
        finish(fileId, &error);
    });
}

void FileDownloads::onChunk(Id fileId, qint64 offset, const QByteArray& data)
{
    const auto it = m_active.find(fileId);
    if (it == m_active.end() || !it->started)
        return; // cancelled, or of a connection before the last reconnect
    if (offset != it->received || offset + data.size() > it->file.size) {
        const Error bad = makeError(ErrorCode::Internal, QStringLiteral("a download chunk out of place"));
        m_session->request(event::CancelFetch, FileIdRequest{fileId}.toPayload(), [](const Envelope&) {});
        return finish(fileId, &bad);
    }
    QMetaObject::invokeMethod(m_writer, [w = m_writer, fileId, path = partPath(fileId), offset, data] {
        w->write(fileId, path, offset, data);
    });
    it->received = offset + data.size();
    emit progress(fileId, it->received, it->file.size);
    if (it->received == it->file.size) {
        QMetaObject::invokeMethod(
            m_writer, [w = m_writer, fileId, part = partPath(fileId), target = finalPath(fileId),
                       file = it->file] { w->complete(fileId, part, target, file.size, file.sha256); });
    }
}

void FileDownloads::onFileError(const Error& error)
{
    if (error.fileId == 0 || !m_active.contains(Id(error.fileId)))
        return;
    // The file went away or I lost access while it was being sent.
    finish(Id(error.fileId), &error);
}

void FileDownloads::onWritten(Id fileId, bool ok, const QString& error)
{
    if (ok || !m_active.contains(fileId))
        return;
    m_session->request(event::CancelFetch, FileIdRequest{fileId}.toPayload(), [](const Envelope&) {});
    const Error failure = makeError(ErrorCode::Internal, error);
    finish(fileId, &failure);
}

void FileDownloads::onCompleted(Id fileId, bool ok, const QString& error)
{
    if (!m_active.contains(fileId))
        return;
    if (!ok) {
        const Error failure = makeError(ErrorCode::Internal, error);
        return finish(fileId, &failure);
    }
    finish(fileId, nullptr, finalPath(fileId));
}

void FileDownloads::finish(Id fileId, const Error* error, const QString& path)
{
    m_active.remove(fileId);
    if (error) {
        qCWarning(lcDownloads) << "download of file" << fileId << "failed:" << error->message;
        QMetaObject::invokeMethod(m_writer, [w = m_writer, path = partPath(fileId)] { w->discard(path); });
        emit failed(fileId, *error);
    } else {
        emit finished(fileId, path);
    }
    startNext();
}

} // namespace confab::client
