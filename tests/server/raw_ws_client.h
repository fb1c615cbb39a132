#pragma once

// A WebSocket client on a plain non-blocking socket, for what QWebSocket will
// not do: send without ever reading, and write a handshake and the frames
// behind it in one system call. Server frames are parsed with the server's
// own FrameParser (ws::FrameParser::Peer::Server).

#include "ws/ws_frame.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QUrl>

#include <functional>

namespace confab::test {

class RawWsClient {
public:
    RawWsClient();
    ~RawWsClient();
    RawWsClient(const RawWsClient&) = delete;
    RawWsClient& operator=(const RawWsClient&) = delete;

    // The HTTP upgrade request for `target` ("/", "/?token=..."), with extra
    // header lines ("Authorization: Bearer ...\r\n").
    static QByteArray upgrade(const QString& target, const QByteArray& extraHeaders = {});
    // A masked client frame: a JSON request, or any opcode.
    static QByteArray request(const QString& type, const QJsonObject& payload, const QString& id = {});
    static QByteArray frame(server::ws::Opcode opcode, QByteArrayView payload);

    bool connectTo(const QUrl& url);
    // Writes every byte (waiting for the kernel as needed, events processed
    // meanwhile); false on error or timeout.
    bool writeAll(QByteArrayView bytes, int timeoutMs = 10000);
    // Writes what the kernel takes now: bytes written, 0 when it takes none,
    // -1 when the connection is gone.
    qint64 writeSome(QByteArrayView bytes);
    // Reads and parses until `done()` or the timeout (events processed
    // meanwhile); false on timeout.
    bool readUntil(const std::function<bool()>& done, int timeoutMs = 10000);
    bool isClosed() const { return m_closed; }
    void close();

    QByteArray responseHead; // the HTTP response, up to its blank line
    // Text frames as JSON objects, in arrival order; other frames counted.
    QList<QJsonObject> messages;
    int pongs = 0;
    int otherFrames = 0;

private:
    void parse(QByteArrayView bytes);

    int m_fd = -1;
    bool m_closed = false;
    QByteArray m_head;
    server::ws::FrameParser m_parser;
};

// VmRSS of a process in KiB (0 when it cannot be read).
qint64 residentKiB(qint64 pid);

} // namespace confab::test
