#include "chunk_writer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace confab::client {

void ChunkWriter::write(Id fileId, const QString& path, qint64 offset, const QByteArray& data)
{
    QFile file(path);
    const QIODevice::OpenMode mode =
        offset == 0 ? QIODevice::WriteOnly | QIODevice::Truncate : QIODevice::WriteOnly | QIODevice::Append;
    if (!file.open(mode)) {
        emit written(fileId, false, file.errorString());
        return;
    }
    if (file.size() != offset) {
        emit written(fileId, false, QStringLiteral("the part file is not where the download is"));
        return;
    }
    if (file.write(data) != data.size() || !file.flush())
        emit written(fileId, false, file.errorString());
}

void ChunkWriter::complete(Id fileId, const QString& path, const QString& finalPath, qint64 size,
                           const QString& sha256)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() != size) {
        QFile::remove(path);
        emit completed(fileId, false, QStringLiteral("the download is incomplete"));
        return;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    file.close();
    if (QString::fromLatin1(hash.result().toHex()) != sha256) {
        QFile::remove(path);
        emit completed(fileId, false, QStringLiteral("the file does not match its SHA-256"));
        return;
    }
    QFile::remove(finalPath);
    if (!QFile::rename(path, finalPath)) {
        emit completed(fileId, false, QStringLiteral("the file could not be stored"));
        return;
    }
    prune(QFileInfo(finalPath).path(), kMaxCacheBytes);
    emit completed(fileId, true, {});
}

void ChunkWriter::prune(const QString& dir, qint64 maxBytes)
{
    // Newest first; whatever is past the budget goes (a file shown again is
    // simply fetched again).
    const QFileInfoList files = QDir(dir).entryInfoList(QDir::Files, QDir::Time);
    qint64 total = 0;
    for (const QFileInfo& file : files) {
        total += file.size();
        if (total > maxBytes && !file.fileName().endsWith(QLatin1String(".part")))
            QFile::remove(file.absoluteFilePath());
    }
}

void ChunkWriter::discard(const QString& path)
{
    QFile::remove(path);
}

} // namespace confab::client
