#include "file_downloads.h"

#include "connection.h"
#include "hub.h"
#include "ws/ws_socket.h"

#include "protocol/file_chunk.h"
#include "protocol/limits.h"

namespace confab::server {

FileDownloads* FileDownloads::of(Hub& hub, Connection* connection)
{
    if (auto* existing = connection->findChild<FileDownloads*>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new FileDownloads(hub, connection);
}

FileDownloads::FileDownloads(Hub& hub, Connection* connection)
    : QObject(connection)
    , m_hub(hub)
    , m_connection(connection)
    , m_userId(connection->userId())
{
    // Queued: the socket emits from inside its write loop.
    connect(connection->socket(), &ws::WsSocket::wrote, this, &FileDownloads::pump, Qt::QueuedConnection);
}

bool FileDownloads::isFull() const
{
    return m_downloads.size() >= size_t(limits::kMaxDownloadsPerConnection);
}

void FileDownloads::start(const FileInfo& file, qint64 offset)
{
    // The user signed in as someone else on this connection: a new owner.
    m_userId = m_connection->userId();
    remove(file.id); // a second fetch of the same file restarts it
    m_downloads.push_back(Download{file.id, file.size, offset});
    m_connection->socket()->setWriteNotifications(true);
    pump();
}

void FileDownloads::cancel(Id fileId)
{
    remove(fileId);
}

FileDownloads::Download* FileDownloads::find(Id fileId)
{
    for (Download& d : m_downloads) {
        if (d.fileId == fileId)
            return &d;
    }
    return nullptr;
}

void FileDownloads::remove(Id fileId)
{
    for (auto it = m_downloads.begin(); it != m_downloads.end(); ++it) {
        if (it->fileId == fileId) {
            m_downloads.erase(it);
            break;
        }
    }
    if (m_downloads.empty())
        m_connection->socket()->setWriteNotifications(false);
}

void FileDownloads::pump()
{
    if (m_reading || m_downloads.empty() || m_connection->socket()->bytesToWrite() >= limits::kFileChunkBytes)
        return;
    if (m_connection->userId() != m_userId) { // signed out or in as another: nothing more of these
        m_downloads.clear();
        m_connection->socket()->setWriteNotifications(false);
        return;
    }
    m_turn = (m_turn + 1) % m_downloads.size();
    const Download& d = m_downloads.at(m_turn);
    m_reading = true;
    QPointer<FileDownloads> self(this);
    const Id me = m_userId;
    const Id fileId = d.fileId;
    const qint64 offset = d.next;
    // The Hub as context (it outlives every store job); this object may not.
    m_hub.executor().run<Result<QByteArray>>(
        &m_hub, [me, fileId, offset](Store& s) { return s.fileBytes(me, fileId, offset); },
        [self, fileId, offset](Result<QByteArray> bytes) {
            if (self)
                self->chunkRead(fileId, offset, std::move(bytes));
        },
        JobOrder::read(m_connection->serial()));
}

void FileDownloads::chunkRead(Id fileId, qint64 offset, Result<QByteArray> bytes)
{
    m_reading = false;
    Download* d = find(fileId);
    if (!d || d->next != offset) { // cancelled or restarted meanwhile
        pump();
        return;
    }
    if (!bytes || bytes->isEmpty()) {
        Error error = bytes ? makeError(ErrorCode::NotFound, QStringLiteral("no such file")) : bytes.error();
        error.fileId = fileId;
        remove(fileId);
        Hub::replyError(m_connection, error, QJsonValue(QJsonValue::Undefined));
        pump();
        return;
    }
    // A stored chunk holds at most kFileChunkBytes; never send past the size.
    const qint64 length = qMin<qint64>(bytes->size(), d->size - offset);
    const QByteArray payload = filechunk::encode(filechunk::Kind::Download, quint64(fileId), quint64(offset),
                                                 QByteArrayView(bytes->constData(), length));
    d->next += length;
    if (d->next >= d->size)
        remove(fileId);
    if (!m_connection->sendFrame(ws::encodeFrame(ws::Opcode::Binary, payload)))
        return; // closing
    pump();
}

} // namespace confab::server
