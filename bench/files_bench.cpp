// confab-files-bench (bench/README.md, "Files"): one 25 MiB file up and down
// a confab-server it starts on loopback (SQLite), in binary chunk frames with
// four chunks in flight as the Confab client sends them; then ten such
// uploads at once, each on its own connection. Reports MB/s and the server's
// peak resident memory (VmHWM) after each phase.
//
//   confab-files-bench [--server PATH] [--size BYTES] [--parallel N]
#include "server_process.h"

#include "protocol/file_chunk.h"
#include "protocol/limits.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>

#include <cstdio>
#include <functional>
#include <memory>

using namespace confab;

namespace {

qint64 peakRssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// One connection: JSON requests with callbacks by id, pushes by type, and
// download chunks. Driven by the event loop, so many run at once.
class Client : public QObject {
public:
    std::function<void(const QJsonObject&)> onPush;
    std::function<void(QByteArrayView data)> onChunk;

    bool open(const QUrl& url)
    {
        m_socket.setMaxAllowedIncomingFrameSize(4 << 20);
        m_socket.setMaxAllowedIncomingMessageSize(4 << 20);
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
            const QJsonObject e = QJsonDocument::fromJson(text.toUtf8()).object();
            const QString id = e.value(QLatin1String("id")).toString();
            if (!id.isEmpty() && m_waiting.contains(id))
                return m_waiting.take(id)(e);
            if (onPush)
                onPush(e);
        });
        connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& frame) {
            if (const auto chunk = filechunk::decode(frame); chunk && onChunk)
                onChunk(chunk->data);
        });
        m_socket.open(url);
        QEventLoop loop;
        connect(&m_socket, &QWebSocket::connected, &loop, &QEventLoop::quit);
        connect(&m_socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
        loop.exec();
        return m_socket.state() == QAbstractSocket::ConnectedState;
    }
    void request(const QString& type, const QJsonObject& payload,
                 std::function<void(const QJsonObject&)> done)
    {
        const QString id = QString::number(++m_next);
        m_waiting.insert(id, std::move(done));
        m_socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("type"), type},
                                                        {QStringLiteral("id"), id},
                                                        {QStringLiteral("payload"), payload}})
                                  .toJson(QJsonDocument::Compact)));
    }
    QJsonObject requestSync(const QString& type, const QJsonObject& payload)
    {
        QJsonObject reply;
        QEventLoop loop;
        request(type, payload, [&](const QJsonObject& e) {
            reply = e;
            loop.quit();
        });
        loop.exec();
        return reply;
    }
    void sendBinary(const QByteArray& frame) { m_socket.sendBinaryMessage(frame); }

private:
    QWebSocket m_socket;
    QHash<QString, std::function<void(const QJsonObject&)>> m_waiting;
    quint64 m_next = 0;
};

QJsonObject payloadOf(const QJsonObject& e)
{
    return e.value(QLatin1String("payload")).toObject();
}

// Uploads `bytes` on `client` with four chunks in flight; `done` gets the file id (0: failed).
void upload(Client& client, qint64 roomId, const QByteArray& bytes, std::function<void(qint64)> done)
{
    const QString sha =
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    client.request(QStringLiteral("upload_file"),
                   {{QStringLiteral("roomId"), roomId},
                    {QStringLiteral("name"), QStringLiteral("bench.bin")},
                    {QStringLiteral("size"), bytes.size()},
                    {QStringLiteral("sha256"), sha}},
                   [&client, &bytes, done](const QJsonObject& reply) {
                       const qint64 fileId =
                           qint64(payloadOf(reply).value(QLatin1String("fileId")).toDouble());
                       if (!fileId)
                           return done(0);
                       auto sent = std::make_shared<qint64>(0);
                       auto sendMore = [&client, &bytes, fileId, sent](qint64 held) {
                           while (*sent < bytes.size() && *sent - held < 4 * limits::kFileChunkBytes) {
                               const qint64 n = qMin<qint64>(limits::kFileChunkBytes, bytes.size() - *sent);
                               client.sendBinary(filechunk::encode(filechunk::Kind::Upload, quint64(fileId),
                                                                   quint64(*sent),
                                                                   QByteArrayView(bytes).sliced(*sent, n)));
                               *sent += n;
                           }
                       };
                       client.onPush = [fileId, sendMore, done](const QJsonObject& e) {
                           const QString type = e.value(QLatin1String("type")).toString();
                           if (type == QLatin1String("upload_progress"))
                               sendMore(qint64(payloadOf(e).value(QLatin1String("offset")).toDouble()));
                           else if (type == QLatin1String("upload_done"))
                               done(fileId);
                           else if (type == QLatin1String("error")) {
                               std::fprintf(stderr, "error: %s\n",
                                            QJsonDocument(e).toJson(QJsonDocument::Compact).constData());
                               done(0);
                           }
                       };
                       sendMore(0);
                   });
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments();
    auto option = [&](const QString& name, const QString& fallback) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
    };
    const QString binary = option(QStringLiteral("--server"), QStringLiteral("server/confab-server"));
    const qint64 size =
        option(QStringLiteral("--size"), QString::number(limits::kDefaultMaxFileBytes)).toLongLong();
    const int parallel = option(QStringLiteral("--parallel"), QStringLiteral("10")).toInt();

    bench::ServerProcess server;
    if (auto started = server.start(binary, {QStringLiteral("--file-burst"), QStringLiteral("1000")});
        !started) {
        std::fprintf(stderr, "%s\n", qPrintable(started.error().message));
        return 1;
    }
    std::printf("server pid %lld, idle VmHWM %lld KiB\n", server.pid(), peakRssKiB(server.pid()));

    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(bytes.data()), size / 4);

    auto signUp = [&](Client& c, const QString& name) {
        return c.open(server.url()) &&
               c.requestSync(QStringLiteral("register"),
                             {{QStringLiteral("username"), name},
                              {QStringLiteral("password"), QStringLiteral("bench-pass")}})
                       .value(QLatin1String("type"))
                       .toString() == QLatin1String("auth_ok");
    };
    Client owner;
    if (!signUp(owner, QStringLiteral("owner")))
        return 1;
    const qint64 room =
        qint64(payloadOf(owner.requestSync(QStringLiteral("create_room"),
                                           {{QStringLiteral("name"), QStringLiteral("bench")}}))
                   .value(QLatin1String("room"))
                   .toObject()
                   .value(QLatin1String("id"))
                   .toDouble());

    // One upload, one download.
    QElapsedTimer timer;
    timer.start();
    qint64 fileId = 0;
    {
        QEventLoop loop;
        upload(owner, room, bytes, [&](qint64 id) {
            fileId = id;
            loop.quit();
        });
        loop.exec();
    }
    const double upSeconds = timer.nsecsElapsed() / 1e9;
    if (!fileId)
        return 1;
    std::printf("upload   %lld bytes: %.2f s, %.1f MB/s; server VmHWM %lld KiB\n", size, upSeconds,
                size / upSeconds / 1e6, peakRssKiB(server.pid()));

    timer.restart();
    QByteArray received;
    {
        QEventLoop loop;
        owner.onChunk = [&](QByteArrayView data) {
            received.append(data);
            if (received.size() >= size)
                loop.quit();
        };
        owner.request(QStringLiteral("fetch_file"), {{QStringLiteral("fileId"), fileId}},
                      [](const QJsonObject&) {});
        loop.exec();
    }
    const double downSeconds = timer.nsecsElapsed() / 1e9;
    std::printf("download %lld bytes: %.2f s, %.1f MB/s (identical: %s); server VmHWM %lld KiB\n", size,
                downSeconds, size / downSeconds / 1e6, received == bytes ? "yes" : "NO",
                peakRssKiB(server.pid()));

    // Several uploads at once, each user on a connection of its own.
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < parallel; ++i) {
        clients.push_back(std::make_unique<Client>());
        if (!signUp(*clients.back(), QStringLiteral("u%1").arg(i)))
            return 1;
    }
    // Each uploads to a room of its own (membership is not what is measured).
    timer.restart();
    int left = parallel;
    QEventLoop all;
    for (auto& c : clients) {
        const qint64 own =
            qint64(payloadOf(c->requestSync(QStringLiteral("create_room"),
                                            {{QStringLiteral("name"), QStringLiteral("mine")}}))
                       .value(QLatin1String("room"))
                       .toObject()
                       .value(QLatin1String("id"))
                       .toDouble());
        upload(*c, own, bytes, [&](qint64 id) {
            if (!id)
                std::fprintf(stderr, "an upload failed\n");
            if (--left == 0)
                all.quit();
        });
    }
    // Meanwhile the owner chats: send_message every 20 ms, ack latency.
    QList<double> acks;
    QTimer chat;
    int sent = 0;
    QObject::connect(&chat, &QTimer::timeout, [&] {
        auto at = std::make_shared<QElapsedTimer>();
        at->start();
        owner.request(QStringLiteral("send_message"),
                      {{QStringLiteral("roomId"), room},
                       {QStringLiteral("content"), QStringLiteral("ping")},
                       {QStringLiteral("tempId"), QStringLiteral("c%1").arg(++sent)}},
                      [&acks, at](const QJsonObject&) { acks.append(at->nsecsElapsed() / 1e6); });
    });
    chat.start(20);
    all.exec();
    chat.stop();
    const double parallelSeconds = timer.nsecsElapsed() / 1e9;
    std::sort(acks.begin(), acks.end());
    if (!acks.isEmpty())
        std::printf("chat during the uploads: %lld acks, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                    qint64(acks.size()), acks.at(acks.size() / 2),
                    acks.at(qMin(acks.size() - 1, acks.size() * 99 / 100)), acks.last());
    std::printf("%d uploads at once: %.2f s, %.1f MB/s together; server VmHWM %lld KiB\n", parallel,
                parallelSeconds, parallel * size / parallelSeconds / 1e6, peakRssKiB(server.pid()));
    server.stop();
    return 0;
}
