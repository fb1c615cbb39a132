#include "ws/ws_socket.h"

#include "base/logging.h"
#include "base/token_bucket.h"

#include <QSocketNotifier>
#include <QStringDecoder>
#include <QTimer>

#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace confab::server::ws {
namespace {
constexpr int kHandshakeDeadlineMs = 10'000; // a peer that never finishes its request
constexpr int kCloseGraceMs = 3'000;         // for the peer's close frame or EOF
constexpr int kMaxIovecs = 64;
constexpr qsizetype kReadChunk = 64 * 1024;
constexpr int kReadsPerWakeUp = 4; // then let other sockets have their turn
} // namespace

IoCounters& ioCounters()
{
    static IoCounters counters;
    return counters;
}

void FlushQueue::schedule(WsSocket* socket)
{
    if (m_dirty.empty())
        QMetaObject::invokeMethod(this, &FlushQueue::flushAll, Qt::QueuedConnection);
    m_dirty.push_back(socket);
}

void FlushQueue::cancel(WsSocket* socket)
{
    std::replace(m_dirty.begin(), m_dirty.end(), socket, static_cast<WsSocket*>(nullptr));
}

void FlushQueue::flushAll()
{
    std::vector<WsSocket*> dirty;
    dirty.swap(m_dirty);
    for (WsSocket* socket : dirty) {
        if (!socket)
            continue;
        socket->m_flushScheduled = false;
        socket->flushNow();
    }
}

WsSocket::WsSocket(int fd, const QHostAddress& peer, qint64 maxMessageBytes, FlushQueue& flushQueue,
                   QObject* parent, ssl_st* tls)
    : QObject(parent)
    , m_fd(fd)
    , m_peer(peer)
    , m_flushQueue(flushQueue)
    , m_parser(maxMessageBytes)
    , m_tls(tls)
{
    m_readNotifier = new QSocketNotifier(qintptr(fd), QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &WsSocket::onReadable);
    startTimer(kHandshakeDeadlineMs);
}

WsSocket::~WsSocket()
{
    if (m_flushScheduled)
        m_flushQueue.cancel(this);
    if (m_fd >= 0) {
        delete m_readNotifier; // before the descriptor goes away
        delete m_writeNotifier;
        closeTls();
        ::close(m_fd);
    }
}

void WsSocket::startTimer(int ms)
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this] {
            if (m_state == State::Handshaking)
                qCDebug(lcNet) << "handshake deadline passed for" << m_peer.toString();
            finish();
        });
    }
    m_timer->start(ms);
}

void WsSocket::sendFrame(const QByteArray& frame)
{
    if (m_state == State::Open)
        enqueue(frame);
}

void WsSocket::enqueue(const QByteArray& frame)
{
    if (m_fd < 0 || frame.isEmpty())
        return;
    m_out.push_back(frame);
    m_unsent += frame.size();
    if (!m_flushScheduled && !m_writeNotifier) {
        m_flushScheduled = true;
        m_flushQueue.schedule(this);
    }
    queueGrew();
}

void WsSocket::flushNow()
{
    if (m_tls)
        return flushTls();
    while (m_outHead < m_out.size() && m_fd >= 0) {
        iovec iov[kMaxIovecs];
        int count = 0;
        for (size_t i = m_outHead; i < m_out.size() && count < kMaxIovecs; ++i, ++count) {
            const qsizetype skip = count == 0 ? m_outOffset : 0;
            iov[count].iov_base = const_cast<char*>(m_out[i].constData()) + skip;
            iov[count].iov_len = size_t(m_out[i].size() - skip);
        }
        msghdr message{};
        message.msg_iov = iov;
        message.msg_iovlen = size_t(count);
        const ssize_t written = ::sendmsg(m_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return waitForWritable();
            qCDebug(lcNet) << "write to" << m_peer.toString() << "failed:" << strerror(errno);
            finish();
            return;
        }
        m_unsent -= written;
        if (m_notifyWrites)
            emit wrote(); // receivers connect queued: the queue is mid-walk here
        ioCounters().sendCalls.fetch_add(1, std::memory_order_relaxed);
        if (m_pause & PausedByOutput)
            queueShrank();
        qsizetype left = qsizetype(written);
        quint64 frames = 0;
        while (left > 0) {
            const qsizetype rest = m_out[m_outHead].size() - m_outOffset;
            if (left < rest) {
                m_outOffset += left;
                break;
            }
            left -= rest;
            m_out[m_outHead++] = QByteArray(); // drop our reference now
            m_outOffset = 0;
            ++frames;
        }
        ioCounters().framesWritten.fetch_add(frames, std::memory_order_relaxed);
    }
    compactQueue();
    if (m_writeNotifier) {
        delete m_writeNotifier; // idle connections carry no write notifier
        m_writeNotifier = nullptr;
    }
    if (queueEmpty() && m_shutdownWhenFlushed && !m_draining)
        startDraining();
}

void WsSocket::waitForWritable()
{
    ioCounters().writeWaits.fetch_add(1, std::memory_order_relaxed);
    if (!m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &WsSocket::onWritable);
    }
    m_writeNotifier->setEnabled(true);
}

void WsSocket::compactQueue()
{
    if (m_outHead == m_out.size()) {
        m_out.clear(); // keeps the capacity for the next burst
        m_outHead = 0;
        m_pongAt = kNoPong;
        if (m_out.capacity() > 256)
            std::vector<QByteArray>().swap(m_out); // a slow reader's backlog: give it back
    } else if (m_outHead > 64 && m_outHead * 2 > m_out.size()) {
        m_out.erase(m_out.begin(), m_out.begin() + qsizetype(m_outHead));
        if (m_pongAt != kNoPong)
            m_pongAt = m_pongAt >= m_outHead ? m_pongAt - m_outHead : kNoPong;
        m_outHead = 0;
    }
}

void WsSocket::onWritable()
{
    m_writeNotifier->setEnabled(false);
    if (m_tls && (!m_tlsReady || m_tlsReadWantsWrite)) {
        m_tlsReadWantsWrite = false;
        onReadableTls(); // the handshake or a read was waiting for this
        if (m_fd < 0)
            return;
    }
    flushNow();
}

void WsSocket::onReadable()
{
    if (m_pause && !m_draining) {
        m_readNotifier->setEnabled(false); // what is unread stays in the kernel: TCP slows the peer
        return;
    }
    m_framesThisTurn = 0;
    if (m_tls && !m_draining)
        return onReadableTls();
    char buffer[kReadChunk];
    for (int round = 0; round < kReadsPerWakeUp && m_fd >= 0; ++round) {
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) {
            if (!m_draining)
                handleBytes(QByteArrayView(buffer, got));
            if (got < qsizetype(sizeof buffer) || (m_pause && !m_draining))
                return;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        finish(); // EOF or a reset: the peer is gone
        return;
    }
}

void WsSocket::handleBytes(QByteArrayView bytes)
{
    if (m_state == State::Handshaking)
        return handleHandshake(bytes);
    if (m_state != State::Open && m_state != State::Closing)
        return;
    auto error = m_parser.feed(
        bytes, [this](Opcode opcode, QByteArray payload) { deliverFrame(opcode, std::move(payload)); });
    if (error)
        fail(error->code, error->reason);
}

void WsSocket::handleHandshake(QByteArrayView bytes)
{
    m_handshakeBuffer.append(bytes);
    HandshakeOutcome outcome = parseHandshake(m_handshakeBuffer);
    switch (outcome.state) {
    case HandshakeOutcome::State::Incomplete:
        return;
    case HandshakeOutcome::State::Refused:
        return refuseHandshake(outcome.response);
    case HandshakeOutcome::State::Accepted:
        break;
    }
    if (m_admission && *m_admission) {
        if (const QByteArray refusal = (*m_admission)(outcome.request, m_peer); !refusal.isEmpty())
            return refuseHandshake(refusal);
    }
    const QByteArray rest = m_handshakeBuffer.mid(outcome.consumed);
    m_handshakeBuffer = QByteArray();
    m_request = std::move(outcome.request);
    m_timer->stop();
    m_state = State::Open;
    enqueue(outcome.response); // raw HTTP, ahead of every frame
    if (m_fd < 0)
        return; // over the cap (finish() deleted it: nobody knows it yet)
    m_opened = true;
    emit opened();
    if (!rest.isEmpty() && m_fd >= 0)
        handleBytes(rest); // a client may pipeline its first frames
}

void WsSocket::refuseHandshake(const QByteArray& response)
{
    qCDebug(lcNet) << "refused a handshake from" << m_peer.toString() << ":"
                   << response.left(response.indexOf('\r'));
    m_state = State::Closing;
    m_handshakeBuffer = QByteArray();
    enqueue(response);
    shutdownWhenFlushed();
}

void WsSocket::handleFrame(Opcode opcode, QByteArray payload)
{
    if (m_fd < 0 || m_shutdownWhenFlushed)
        return; // failed or finished by an earlier frame of this read
    switch (opcode) {
    case Opcode::Text: {
        if (m_state != State::Open)
            return; // data after our close frame is discarded (RFC 6455 §5.5.1)
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = decoder.decode(payload);
        if (decoder.hasError())
            return fail(close_code::InvalidPayload, "text frame is not valid UTF-8");
        emit textMessageReceived(text);
        return;
    }
    case Opcode::Binary:
        if (m_state == State::Open)
            emit binaryMessageReceived(payload);
        return;
    case Opcode::Ping:
        if (m_state == State::Open)
            queuePong(payload);
        return;
    case Opcode::Pong:
        return;
    case Opcode::Close: {
        const std::optional<CloseInfo> info = parseClosePayload(payload);
        if (!info)
            return fail(close_code::ProtocolError, "malformed close frame");
        if (!m_closeSent) // echo the code, as the RFC asks
            sendClose(info->code == close_code::NoStatus ? close_code::Normal : info->code, {});
        shutdownWhenFlushed();
        return;
    }
    case Opcode::Continuation:
        return; // the parser never delivers one
    }
}

void WsSocket::fail(quint16 code, const QByteArray& reason)
{
    qCDebug(lcNet) << "closing" << m_peer.toString() << "with" << code << ":" << reason;
    if (!m_closeSent)
        sendClose(code, reason);
    shutdownWhenFlushed();
}

void WsSocket::sendClose(quint16 code, QByteArrayView reason)
{
    enqueue(encodeClose(code, reason));
    if (m_state == State::Open)
        m_state = State::Closing;
    m_closeSent = true;
}

void WsSocket::close(quint16 code, const QString& reason)
{
    if (m_fd < 0 || m_closeSent)
        return;
    if (m_state == State::Handshaking) {
        finish();
        return;
    }
    sendClose(code, reason.toUtf8());
    startTimer(kCloseGraceMs); // the peer's answer may never come
}

void WsSocket::shutdownWhenFlushed()
{
    if (m_state == State::Open)
        m_state = State::Closing;
    m_shutdownWhenFlushed = true;
    if (queueEmpty())
        startDraining();
    else if (!m_flushScheduled && !m_writeNotifier) {
        m_flushScheduled = true;
        m_flushQueue.schedule(this);
    }
}

// Closing with unread input would make the kernel send a reset, which can
// destroy our close frame before the peer reads it: so the write side is
// shut first, and input is read and dropped until the peer's EOF.
void WsSocket::startDraining()
{
    if (m_draining || m_fd < 0)
        return;
    m_draining = true;
    m_readNotifier->setEnabled(true); // drained whatever paused it: nothing is parsed any more
    if (m_tls && m_tlsReady)
        SSL_shutdown(m_tls); // close_notify, best effort: the socket is about to be shut anyway
    ::shutdown(m_fd, SHUT_WR);
    startTimer(kCloseGraceMs);
}

void WsSocket::abort()
{
    finish();
}

void WsSocket::finish()
{
    if (m_fd < 0)
        return;
    if (m_flushScheduled) {
        m_flushQueue.cancel(this);
        m_flushScheduled = false;
    }
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_timer)
        m_timer->stop();
    if (m_rateTimer)
        m_rateTimer->stop();
    closeTls();
    ::close(m_fd);
    m_fd = -1;
    std::vector<QByteArray>().swap(m_out); // the memory goes back now, not with the object
    m_outHead = 0;
    m_outOffset = 0;
    m_pongAt = kNoPong;
    m_unsent = 0;
    // Not cleared: finish() may run inside the parser's own loop (a frame's
    // reply went over the cap). Paused, it parses nothing more; its bytes go
    // with the socket.
    m_parser.pause();
    m_state = State::Closed;
    if (m_opened)
        emit disconnected();
    else
        deleteLater(); // nobody else knows this socket yet
}

} // namespace confab::server::ws
