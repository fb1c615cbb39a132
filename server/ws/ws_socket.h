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

namespace confab::server {
class TokenBucket;
}

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
    // Flow control (counted on transitions only, never per frame).
    std::atomic<quint64> queueOverflows{0}; // sockets aborted: their queue went over its cap
    std::atomic<quint64> outputPauses{0};   // reading paused: the socket's queue above its high-water mark
    std::atomic<quint64> ratePauses{0};     // reading paused: the peer's frame rate (before sign-in)
    std::atomic<quint64> ownerPauses{0};    // reading paused: the connection's requests wait
    std::atomic<quint64> pongsCoalesced{0}; // pings answered by a pong already queued (RFC 6455 §5.5.3)
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

    // Flow control (ws_socket_flow.cpp, docs/networking.md "Flow control").
    //
    // One cap on every byte queued for this socket: frames, pongs, close
    // frames and the handshake's reply alike (0: no cap). A socket whose
    // queue goes over it is aborted (the peer stopped reading). Long before
    // that, while more than half of the cap (at most kHighWaterBytes) is
    // queued, the socket is not read: a peer that sends and never reads is
    // slowed down by TCP instead of growing our memory.
    void setMaxQueuedBytes(qint64 bytes);
    // The incoming frame and message size limit (FrameParser::setMaxMessageBytes).
    void setMaxMessageBytes(qint64 bytes) { m_parser.setMaxMessageBytes(bytes); }
    qint64 maxMessageBytes() const { return m_parser.maxMessageBytes(); }
    qint64 maxQueuedBytes() const { return m_maxQueued; }
    static constexpr qint64 kHighWaterBytes = 256 * 1024;
    // Frames the peer may send per second, `burst` at once, control frames
    // included (0: unlimited). Past it the socket is not read until the
    // bucket has refilled: frames wait in the peer's TCP buffers.
    void setFrameRate(double perSecond, double burst);
    // The owner's backpressure: no frame (not even a ping) is delivered
    // between holdInput() and releaseInput(); what was read stays unparsed.
    void holdInput();
    void releaseInput();
    bool isInputHeld() const { return m_pause & PausedByOwner; }
    bool isReadingPaused() const { return m_pause != 0; }
    // Files (issue 16): while on, wrote() is emitted after each write that
    // shrank the queue, so a download can queue its next chunk only when
    // less than one waits (off by default: most sockets never need it).
    void setWriteNotifications(bool on) { m_notifyWrites = on; }
    // The socket was aborted because its queue went over the cap.
    bool overflowed() const { return m_overflowed; }

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
    void wrote();        // setWriteNotifications(true) only

private:
    enum Pause : quint8 { PausedByOwner = 1, PausedByRate = 2, PausedByOutput = 4, PausedForTurn = 8 };

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
    // Flow control (ws_socket_flow.cpp)
    void deliverFrame(Opcode opcode, QByteArray payload); // the parser's sink
    void queuePong(const QByteArray& payload);
    void pauseInput(quint8 reason);
    void unpauseInput(quint8 reason);
    void continueInput();
    void queueGrew();   // after an enqueue: the cap and the high-water mark
    void queueShrank(); // after a write: below the low-water mark, read again
    void overflow();
    qint64 lowWater() const { return m_highWater / 2; }

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
    // Flow control.
    static constexpr size_t kNoPong = ~size_t(0);
    size_t m_pongAt = kNoPong; // a queued pong not yet being written: a newer ping replaces it
    qint64 m_maxQueued = 0;
    qint64 m_highWater = kHighWaterBytes;
    std::unique_ptr<TokenBucket> m_frameBucket; // only while the frame rate is limited
    QTimer* m_rateTimer = nullptr;              // made the first time the rate pauses reading
    quint8 m_pause = 0;                         // Pause bits; reading only at 0
    int m_framesThisTurn = 0;
    bool m_continuePosted = false;
    bool m_overflowed = false;
    bool m_notifyWrites = false;
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
