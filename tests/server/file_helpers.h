#pragma once

// What the file suites share (tst_server_files, tst_cluster_files): uploads
// and downloads by the protocol's requests and binary chunk frames.
#include "avatar_helpers.h"
#include "event_matchers.h"
#include "test_server.h"

#include "protocol/file_chunk.h"
#include "protocol/limits.h"

#include <QJsonArray>
#include <QTest>

namespace confab::test {

inline QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

inline QJsonObject uploadFile(TestClient& c, qint64 roomId, const QByteArray& bytes,
                              const QString& name = QStringLiteral("notes.bin"), QString sha = {},
                              const QString& mime = QStringLiteral("application/octet-stream"))
{
    if (sha.isEmpty())
        sha = sha256Hex(bytes);
    return c.request(QStringLiteral("upload_file"), {{QStringLiteral("roomId"), roomId},
                                                     {QStringLiteral("name"), name},
                                                     {QStringLiteral("size"), bytes.size()},
                                                     {QStringLiteral("sha256"), sha},
                                                     {QStringLiteral("mime"), mime}});
}

inline void sendChunk(TestClient& c, qint64 fileId, qint64 offset, QByteArrayView data)
{
    c.sendBinary(filechunk::encode(filechunk::Kind::Upload, quint64(fileId), quint64(offset), data));
}

// Sends bytes [from, end) as chunks of limits::kFileChunkBytes.
inline void sendChunks(TestClient& c, qint64 fileId, const QByteArray& bytes, qint64 from = 0,
                       qint64 end = -1)
{
    if (end < 0)
        end = bytes.size();
    for (qint64 at = from; at < end; at += limits::kFileChunkBytes)
        sendChunk(c, fileId, at, QByteArrayView(bytes).sliced(at, qMin(limits::kFileChunkBytes, end - at)));
}

inline auto fileIdIs(qint64 fileId)
{
    return [fileId](const QJsonObject& p) {
        return idIn(p, "fileId") == fileId || idIn(p.value(QLatin1String("file")).toObject(), "id") == fileId;
    };
}

// A whole upload: upload_file, every chunk, upload_done. The file object
// (empty on any failure).
inline QJsonObject uploadWhole(TestClient& c, qint64 roomId, const QByteArray& bytes,
                               const QString& name = QStringLiteral("notes.bin"),
                               const QString& mime = QStringLiteral("application/octet-stream"))
{
    const QJsonObject reply = uploadFile(c, roomId, bytes, name, {}, mime);
    if (typeOf(reply) != QLatin1String("upload"))
        return {};
    const qint64 fileId = idIn(payloadOf(reply), "fileId");
    sendChunks(c, fileId, bytes);
    const QJsonObject done = c.waitFor(QStringLiteral("upload_done"), 20000, fileIdIs(fileId));
    c.takeAll(QStringLiteral("upload_progress"));
    return payloadOf(done).value(QLatin1String("file")).toObject();
}

// fetch_file, then the download chunks up to the file's size, checked to
// come in order for this file. The reply envelope goes to *reply.
inline QByteArray download(TestClient& c, qint64 fileId, QJsonObject* reply = nullptr, qint64 offset = 0)
{
    QJsonObject payload{{QStringLiteral("fileId"), fileId}};
    if (offset)
        payload.insert(QStringLiteral("offset"), offset);
    const QJsonObject answer = c.request(QStringLiteral("fetch_file"), payload);
    if (reply)
        *reply = answer;
    if (typeOf(answer) != QLatin1String("file"))
        return {};
    const qint64 size = qint64(
        payloadOf(answer).value(QLatin1String("file")).toObject().value(QLatin1String("size")).toDouble());
    QByteArray bytes;
    (void)QTest::qWaitFor(
        [&] {
            while (!c.binaryInbox.isEmpty()) {
                const QByteArray frame = c.binaryInbox.takeFirst();
                const auto chunk = filechunk::decode(frame);
                if (!chunk || chunk->kind != filechunk::Kind::Download || chunk->fileId != quint64(fileId) ||
                    chunk->offset != quint64(offset + bytes.size()))
                    return true; // wrong: fails the comparison below
                bytes.append(chunk->data.toByteArray());
            }
            return offset + bytes.size() >= size || c.wasDisconnected();
        },
        20000);
    return bytes;
}

inline QJsonObject sendWithAttachments(TestClient& c, qint64 roomId, const QJsonArray& attachments,
                                       const QString& content = {}, const QString& tempId = {})
{
    static int next = 0;
    return c.request(
        QStringLiteral("send_message"),
        {{QStringLiteral("roomId"), roomId},
         {QStringLiteral("content"), content},
         {QStringLiteral("tempId"), tempId.isEmpty() ? QStringLiteral("f%1").arg(++next) : tempId},
         {QStringLiteral("attachments"), attachments}});
}

inline QJsonArray attach(std::initializer_list<qint64> ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(QJsonObject{{QStringLiteral("id"), id}});
    return array;
}

} // namespace confab::test
