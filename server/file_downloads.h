#pragma once

#include "protocol/ids.h"
#include "protocol/types.h"

#include <QObject>
#include <QPointer>

#include <vector>

namespace confab::server {

class Connection;
class Hub;

// The downloads of one connection (issue 16, docs/protocol.md "fetch_file"):
// at most limits::kMaxDownloadsPerConnection, served in turn, one chunk
// read at a time. The next chunk is read only once less than one chunk
// waits unsent on the socket (WsSocket::wrote), so a message or a typing
// event never waits behind more than one chunk, and a client that stops
// reading costs one chunk of memory, not a file. Each chunk is read with
// the access check (Store::fileBytes): a file deleted, or a member removed,
// stops the download with `error not_found` naming the file.
//
// A child of its Connection, made on the first fetch_file.
class FileDownloads : public QObject {
    Q_OBJECT
public:
    static FileDownloads* of(Hub& hub, Connection* connection);

    bool isFull() const;
    // Sends `file`'s bytes from `offset` (the `file` reply has gone out).
    void start(const FileInfo& file, qint64 offset);
    // Stops the connection's download of the file, if any.
    void cancel(Id fileId);

private:
    FileDownloads(Hub& hub, Connection* connection);
    struct Download {
        Id fileId = 0;
        qint64 size = 0;
        qint64 next = 0;
    };
    // Reads the next chunk of the next download in turn, when the socket
    // has room and no read is in flight.
    void pump();
    void chunkRead(Id fileId, qint64 offset, Result<QByteArray> bytes);
    Download* find(Id fileId);
    void remove(Id fileId);

    Hub& m_hub;
    Connection* m_connection;
    Id m_userId;
    std::vector<Download> m_downloads;
    size_t m_turn = 0;
    bool m_reading = false;
};

} // namespace confab::server
