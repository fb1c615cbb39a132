#pragma once

// The load tool's end of one WebSocket, directly on a non-blocking TCP socket.
//
// Why not QWebSocket: it turns every received text frame into a QString
// (UTF-8 -> UTF-16, an allocation; about a core at 10^6 frames/s) and keeps
// heavy per-connection state. The tool only needs to scan a few ASCII keys in
// each frame, so this client hands payloads over as bytes and does nothing
// else: a TCP connect, the HTTP upgrade (RFC 6455 §4.1), frames parsed with
// the server's own ws::FrameParser, pings answered, close echoed.
//
// Not a QObject: a worker holds thousands of these, and each received frame
// is one virtual call into the Listener rather than a signal emission.

#include "ws/ws_frame.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QString>

class QSocketNotifier;

namespace confab::bench {

class RawWsClient {
public:
    // Called on the thread that opened the client. A listener may abort() the
    // client from inside any of these calls.
    class Listener {
    public:
        virtual void wsOpened(int id) = 0;
        // One complete text message; the bytes are valid during the call only.
        virtual void wsText(int id, QByteArrayView payload) = 0;
        // Once, when the connection is gone for a reason other than abort():
        // a failed connect or handshake (`why` says which, e.g. "HTTP 503
        // Service Unavailable"), the peer's close or EOF, a protocol error.
        virtual void wsClosed(int id, const QString& why) = 0;

    protected:
        ~Listener() = default;
    };

    enum class State { Idle, Connecting, Handshaking, Open, Closing, Closed };

    RawWsClient(Listener& listener, int id, qint64 maxMessageBytes = 8 * 1024 * 1024);
    ~RawWsClient();
    RawWsClient(const RawWsClient&) = delete;
    RawWsClient& operator=(const RawWsClient&) = delete;

    // Starts a non-blocking connect; `target` is the request target
    // ("/?token=..."), `hostHeader` the Host header ("127.0.0.1:8080").
    void open(const QHostAddress& address, quint16 port, const QByteArray& target,
              const QByteArray& hostHeader);

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }

    // Sends a complete frame that is already masked (ws::encodeMaskedFrame):
    // the caller may keep one per message shape and patch it. The bytes are
    // copied only if the kernel does not take them all at once.
    void sendFrame(QByteArrayView maskedFrame);

    // Closes the TCP connection now, without a close handshake and without
    // calling wsClosed().
    void abort();

private:
    void onWritable();
    void onReadable();
    void connected();
    void handleHandshake(QByteArrayView bytes);
    void handleFrames(QByteArrayView bytes);
    void handleFrame(server::ws::Opcode opcode, QByteArray payload);
    void sendControl(server::ws::Opcode opcode, QByteArrayView payload);
    void queue(QByteArrayView bytes);
    void flush();
    void fail(const QString& why);
    void release();

    Listener& m_listener;
    const int m_id;
    int m_fd = -1;
    State m_state = State::Idle;
    QSocketNotifier* m_readNotifier = nullptr;
    QSocketNotifier* m_writeNotifier = nullptr; // while connecting, or while the kernel buffer is full
    server::ws::FrameParser m_parser;
    QByteArray m_key;  // Sec-WebSocket-Key sent
    QByteArray m_head; // the server's response head, until it is complete
    QByteArray m_out;  // bytes the kernel has not taken yet
};

} // namespace confab::bench
