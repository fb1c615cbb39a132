#pragma once

#include "outgoing_file.h"

#include "protocol/envelope.h"
#include "protocol/result.h"

#include <QObject>

namespace confab {
struct FileInfo;
struct UploadProgressEvent;
} // namespace confab

namespace confab::client {

class Session;

// Uploads the files of one queued message (issue 16, docs/protocol.md
// "Files"), one file after another, each followed by its thumbnail: the
// SHA-256 streamed on a worker thread, upload_file, then chunks of
// chunkBytes read from disk on a worker, four in flight, as binary frames on
// the Session's WebSocket; upload_progress moves the progress, upload_done
// ends a file. A lost connection pauses; start() again resumes each
// unfinished file with upload_file {fileId} from what the server holds.
// The Outbox drives it: it sends the message once finished() says all are in.
class FileUploads : public QObject {
    Q_OBJECT
public:
    static constexpr int kChunksInFlight = 4;

    explicit FileUploads(Session* session, QObject* parent = nullptr);
    ~FileUploads() override;

    // Starts (or resumes) the uploads of message `tempId`; replaces any other.
    void start(const QString& tempId, Id roomId, const QList<OutgoingFile>& files);
    // Stops without a word to the server (the connection is gone, or the
    // message was stored some other way); start() resumes.
    void pause();
    // Stops and deletes the message's uploads on the server (cancel_upload).
    void cancel();
    bool active() const { return !m_tempId.isEmpty(); }
    QString tempId() const { return m_tempId; }

signals:
    // A file learned its sha256 or fileId or finished: the outbox keeps it.
    void changed(const QString& tempId, const QList<confab::client::OutgoingFile>& files);
    // Bytes the server holds of all the message's files (thumbnails not counted).
    void progress(const QString& tempId, qint64 done, qint64 total);
    void finished(const QString& tempId, const QList<confab::client::OutgoingFile>& files);
    void failed(const QString& tempId, const confab::Error& error);

private:
    struct Part; // the file or thumbnail being uploaded
    void next();
    void hash(const QString& path);
    void requestUpload();
    void onUploadReply(quint64 serial, const Envelope& reply);
    void pump();
    void onProgress(const UploadProgressEvent& progress);
    void onDone(const FileInfo& file);
    void onFileError(const Error& error);
    void partDone(const FileInfo& file);
    void fail(const Error& error);
    void emitProgress();
    bool onThumbnail() const { return m_thumbnail; }

    Session* const m_session;
    QString m_tempId;
    Id m_roomId = 0;
    QList<OutgoingFile> m_files;
    int m_index = 0;
    bool m_thumbnail = false; // the current part is m_files[m_index]'s thumbnail
    quint64 m_serial = 0;     // bumped by pause/cancel/start: late callbacks are ignored
    Id m_fileId = 0;
    qint64 m_size = 0;
    qint64 m_acked = 0; // bytes the server holds
    qint64 m_sent = 0;  // bytes sent (or being read to send)
    qint64 m_chunkBytes = 0;
    bool m_reading = false;
    bool m_requesting = false;
};

} // namespace confab::client
