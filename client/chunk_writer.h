#pragma once

#include "protocol/types.h"

#include <QObject>

namespace confab::client {

// FileDownloads' disk work on its own thread: chunks appended in order to
// a ".part" file, and at the end the whole file hashed (streamed) and
// renamed into place only when it is exactly `size` bytes with `sha256`.
class ChunkWriter : public QObject {
    Q_OBJECT
public slots:
    // Offset 0 truncates the part file; any other offset must be its size.
    void write(confab::Id fileId, const QString& path, qint64 offset, const QByteArray& data);
    void complete(confab::Id fileId, const QString& path, const QString& finalPath, qint64 size,
                  const QString& sha256);
    // Drops the part file (a cancel, a failure).
    void discard(const QString& path);

public:
    // The cache keeps at most this much; the least recently written go first.
    static constexpr qint64 kMaxCacheBytes = qint64(1) << 30;
    static void prune(const QString& dir, qint64 maxBytes);

signals:
    // After a failed write (disk full, a part file of the wrong size), or complete().
    void written(confab::Id fileId, bool ok, const QString& error);
    void completed(confab::Id fileId, bool ok, const QString& error);
};

} // namespace confab::client
