#pragma once

#include "protocol/result.h"
#include "protocol/types.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QThread>
#include <QTimer>

#include <memory>

namespace confab::client {

class Session;
class ChunkWriter;

// Downloads into the profile's file cache (issue 16, docs/protocol.md
// "Files"): fetch_file, then the download chunks of the Session's WebSocket
// written in order to "<id>.part" on a writer thread (never the GUI
// thread), the SHA-256 the server verified checked over what was written,
// then renamed to "<id>". At most four at once (the server's limit); more
// wait their turn. A lost connection resumes each from the bytes written
// (fetch_file {offset}). The cache is named by file id only: names are data.
class FileDownloads : public QObject {
    Q_OBJECT
public:
    static constexpr int kAtOnce = 4;

    FileDownloads(Session* session, const QString& cacheDirectory, QObject* parent = nullptr);
    ~FileDownloads() override;

    QString cacheDirectory() const { return m_dir; }
    // Another account signed in: its own cache (ids are per server). Running
    // downloads are dropped.
    void setCacheDirectory(const QString& dir);
    // The verified file of `fileId`, or "" when it is not cached.
    QString cachedPath(Id fileId) const;
    // Queues a download unless it is cached (then finished() comes at once)
    // or already under way.
    void fetch(Id fileId);
    void cancel(Id fileId);
    bool isFetching(Id fileId) const { return m_active.contains(fileId) || m_queue.contains(fileId); }

signals:
    void progress(confab::Id fileId, qint64 received, qint64 size);
    void finished(confab::Id fileId, const QString& path);
    void failed(confab::Id fileId, const confab::Error& error);

private:
    struct Download {
        FileInfo file;
        qint64 received = 0;  // bytes handed to the writer, in order
        bool started = false; // the `file` reply came
        quint64 serial = 0;
    };
    void startNext();
    void request(Id fileId);
    void onChunk(Id fileId, qint64 offset, const QByteArray& data);
    void onFileError(const Error& error);
    void onWritten(Id fileId, bool ok, const QString& error);
    void onCompleted(Id fileId, bool ok, const QString& error);
    void finish(Id fileId, const Error* error, const QString& path = {});
    void resumeAll();
    QString partPath(Id fileId) const;
    QString finalPath(Id fileId) const;

    Session* const m_session;
    QString m_dir;
    QHash<Id, Download> m_active;
    QList<Id> m_queue;
    quint64 m_serial = 0;
    QTimer m_retry; // rate_limited: the queue is tried again when it fires
    QThread m_writerThread;
    ChunkWriter* m_writer = nullptr; // lives on m_writerThread
};

} // namespace confab::client
