#pragma once

// The server's end of one WebSocket, directly on a non-blocking TCP socket.
//
// Why not QWebSocket: it converts every outgoing QString to UTF-8 and frames
// and copies it per recipient, and costs ~22 KB per connection. Here an event
// is framed once (ws::encodeFrame) and each recipient's queue holds a
// reference to the same bytes; queued frames are written with one sendmsg()
// per socket per event-loop pass (FlushQueue), so a burst of events to a
// connection coalesces into one system call.
//
// With TLS (an SSL session from tls::TlsContext), the same socket runs the
// TLS handshake first, then the same framing and queue; a flush gathers
// queued frames into chunks of up to 64 KiB, each one SSL_write, so that
// small frames share records (ws_socket_tls.cpp).

#include "ws/ws_frame.h"
#include "ws/ws_handshake.h"

#include <QHostAddress>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class QSocketNotifier;
class QTimer;
struct ssl_st;

namespace confab::server::ws {

class WsSocket;

// Decides, once an upgrade request is valid and before it is answered,
// whether the connection is admitted: an empty result admits it, anything
// else is the HTTP response (refusalResponse()) sent instead of the 101.
using Admission = std::function<QByteArray(const HandshakeRequest& request, const QHostAddress& peer)>;

// Process-wide write counters (relaxed atomics, for /metrics): frames per
// system call is what write coalescing buys.
struct IoCounters {
    std::atomic<quint64> sendCalls{0};
    std::atomic<quint64> framesWritten{0};
    std::atomic<quint64> writeWaits{0};           // the kernel's buffer was full: waiting to write again
    std::atomic<quint64> tlsHandshakes{0};        // completed
    std::atomic<quint64> tlsHandshakeFailures{0}; // refused or broken (not timed out)
};
IoCounters& ioCounters();

// Sockets with queued frames, written out together once the current batch of
// events has been handled (one posted call per batch, not per frame).
class FlushQueue : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    void schedule(WsSocket* socket);
    void cancel(WsSocket* socket);
    void flushAll();

private:
    std::vector<WsSocket*> m_dirty;
};

class WsSocket : public QObject {
    Q_OBJECT
public:
    enum class State { Handshaking, Open, Closing, Closed };

    // Takes ownership of `fd` (non-blocking, connected) and of `tls`, a
    // server-side SSL session on `fd`, when the connection is TLS.
    WsSocket(int fd, const QHostAddress& peer, qint64 maxMessageBytes, FlushQueue& flushQueue,
             QObject* parent = nullptr, ssl_st* tls = nullptr);
    ~WsSocket() override;

    State state() const { return m_state; }
    const HandshakeRequest& request() const { return m_request; }
    void releaseRequest() { m_request = HandshakeRequest(); }
    QHostAddress peerAddress() const { return m_peer; }

    // Queues a frame made by ws::encodeFrame; the bytes are shared, not copied.
    void sendFrame(const QByteArray& frame);
    void sendText(const QString& text) { sendFrame(encodeFrame(Opcode::Text, text.toUtf8())); }
    // Bytes queued and not yet accepted by the kernel.
    qint64 bytesToWrite() const { return m_unsent; }

    // Starts the closing handshake: a close frame, then the TCP connection is
    // closed once the peer answers (or after a grace period).
    void close(quint16 code, const QString& reason);
    // Drops the TCP connection now; queued data is discarded.
    void abort();

    // Writes what is queued, as far as the kernel takes it (FlushQueue).
    void flushNow();
    // Consulted for the handshake (issue 12); must outlive the handshake.
    void setAdmission(const Admission* admission) { m_admission = admission; }

signals:
    void opened(); // the handshake was accepted
    void textMessageReceived(const QString& text);
    void binaryMessageReceived(const QByteArray& bytes);
    void disconnected(); // once, when the TCP connection is gone

private:
    void onReadable();
    void onWritable();
    void enqueue(const QByteArray& bytes); // whatever the state: handshake replies, close frames
    bool queueEmpty() const { return m_outHead == m_out.size() && m_tlsChunkOffset == m_tlsChunk.size(); }
    void waitForWritable();
    void compactQueue();
    void handleBytes(QByteArrayView bytes);
    void handleHandshake(QByteArrayView bytes);
    void refuseHandshake(const QByteArray& response);
    void handleFrame(Opcode opcode, QByteArray payload);
    void fail(quint16 code, const QByteArray& reason);
    void sendClose(quint16 code, QByteArrayView reason);
    void shutdownWhenFlushed();
    void startDraining();
    void startTimer(int ms);
    void finish();
    // TLS (ws_socket_tls.cpp)
    void onReadableTls();
    bool continueTlsHandshake();
    void flushTls();
    bool takeTlsChunk();
    void closeTls();

    int m_fd;
    State m_state = State::Handshaking;
    QHostAddress m_peer;
    FlushQueue& m_flushQueue;
    FrameParser m_parser;
    HandshakeRequest m_request;
    QByteArray m_handshakeBuffer;
    QSocketNotifier* m_readNotifier = nullptr;
    QSocketNotifier* m_writeNotifier = nullptr; // only while the kernel buffer is full
    QTimer* m_timer = nullptr;                  // handshake deadline, then closing grace
    const Admission* m_admission = nullptr;
    // Queued frames from m_outHead on. A vector, not a deque: it keeps its
    // capacity when drained, so a busy socket allocates nothing per frame.
    std::vector<QByteArray> m_out;
    size_t m_outHead = 0;
    qsizetype m_outOffset = 0; // into m_out[m_outHead]
    qint64 m_unsent = 0;
    bool m_opened = false; // emitted opened(): from then on disconnected() ends it
    bool m_flushScheduled = false;
    bool m_closeSent = false;
    bool m_shutdownWhenFlushed = false;
    bool m_draining = false; // write side shut; reading until the peer's EOF
    // TLS only: the session, and the chunk SSL_write is writing (gathered
    // frames, or one large frame shared with the queue), written up to
    // m_tlsChunkOffset. A retried SSL_write gets the same remaining bytes.
    ssl_st* m_tls = nullptr;
    QByteArray m_tlsChunk;
    qsizetype m_tlsChunkOffset = 0;
    quint64 m_tlsChunkFrames = 0;
    bool m_tlsReady = false;          // the TLS handshake is done
    bool m_tlsReadWantsWrite = false; // SSL_read waits for the socket to be writable
    bool m_tlsWriteWantsRead = false; // SSL_write waits for the socket to be readable

    friend class FlushQueue;
};

} // namespace confab::server::ws
