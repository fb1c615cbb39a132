// WsSocket's flow control: one cap on everything queued for the socket,
// reading paused while the queue is above its high-water mark, the peer's
// frame rate, the owner's hold, and pongs coalesced. Nothing here runs per
// frame written; per frame read it is a counter and, while a frame rate
// applies, a token bucket (docs/networking.md, "Flow control").

#include "ws/ws_socket.h"

#include "base/logging.h"
#include "base/token_bucket.h"

#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTimer>

namespace confab::server::ws {
namespace {
// Frames delivered per read turn before other sockets get theirs: a peer
// that pipelines thousands of small frames (each answered at once: a pong,
// an error) does not hold the network thread for a whole 256 KiB read.
constexpr int kFramesPerTurn = 64;

qint64 monotonicMs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer started;
        started.start();
        return started;
    }();
    return clock.elapsed();
}
} // namespace

void WsSocket::setMaxQueuedBytes(qint64 bytes)
{
    m_maxQueued = qMax<qint64>(bytes, 0);
    m_highWater = m_maxQueued > 0 ? qMin(m_maxQueued / 2, kHighWaterBytes) : kHighWaterBytes;
    // A lower cap takes effect with the next frame queued; the marks now.
    if (m_unsent > m_highWater)
        pauseInput(PausedByOutput);
    else if ((m_pause & PausedByOutput) && m_unsent <= lowWater())
        unpauseInput(PausedByOutput);
}

void WsSocket::setFrameRate(double perSecond, double burst)
{
    if (perSecond <= 0) {
        m_frameBucket.reset();
        if (m_rateTimer)
            m_rateTimer->stop();
        unpauseInput(PausedByRate);
        return;
    }
    m_frameBucket = std::make_unique<TokenBucket>(perSecond, burst, monotonicMs());
}

void WsSocket::holdInput()
{
    pauseInput(PausedByOwner);
}

void WsSocket::releaseInput()
{
    unpauseInput(PausedByOwner);
}

// After each frame the parser delivers: the frame rate and the turn are
// counted after the frame, so that the frame which empties the bucket is
// handled and the next one waits (in the parser, or in the kernel).
void WsSocket::deliverFrame(Opcode opcode, QByteArray payload)
{
    handleFrame(opcode, std::move(payload));
    if (m_fd < 0 || m_draining)
        return;
    if (m_frameBucket) {
        const qint64 now = monotonicMs();
        m_frameBucket->consume(now);
        if (const qint64 wait = m_frameBucket->msUntilAvailable(now); wait > 0) {
            pauseInput(PausedByRate);
            if (!m_rateTimer) {
                m_rateTimer = new QTimer(this);
                m_rateTimer->setSingleShot(true);
                connect(m_rateTimer, &QTimer::timeout, this, [this] { unpauseInput(PausedByRate); });
            }
            m_rateTimer->start(int(qMin<qint64>(wait, 60'000)));
        }
    }
    if (++m_framesThisTurn >= kFramesPerTurn && !(m_pause & PausedForTurn)) {
        pauseInput(PausedForTurn);
        QMetaObject::invokeMethod(
            this, [this] { unpauseInput(PausedForTurn); }, Qt::QueuedConnection);
    }
}

// RFC 6455 §5.5.3: a pong may answer only the most recent ping. So a queued
// pong that has not started to leave is replaced, and a peer that sends
// pings and never reads holds one pong here, not one per ping.
void WsSocket::queuePong(const QByteArray& payload)
{
    QByteArray pong = encodeFrame(Opcode::Pong, payload);
    const bool replaceable = m_pongAt != kNoPong && m_pongAt < m_out.size() &&
                             (m_pongAt > m_outHead || (m_pongAt == m_outHead && m_outOffset == 0));
    if (replaceable) {
        m_unsent += pong.size() - m_out[m_pongAt].size();
        m_out[m_pongAt] = std::move(pong);
        ioCounters().pongsCoalesced.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_pongAt = m_out.size();
    enqueue(pong);
}

void WsSocket::queueGrew()
{
    if (m_maxQueued > 0 && m_unsent > m_maxQueued)
        return overflow();
    if (m_unsent > m_highWater && !(m_pause & PausedByOutput))
        pauseInput(PausedByOutput);
}

void WsSocket::queueShrank()
{
    if (m_unsent <= lowWater())
        unpauseInput(PausedByOutput);
}

void WsSocket::overflow()
{
    qCWarning(lcNet).nospace() << "closing " << m_peer.toString() << ": " << m_unsent
                               << " bytes queued, over its cap of " << m_maxQueued << " (it stopped reading)";
    ioCounters().queueOverflows.fetch_add(1, std::memory_order_relaxed);
    m_overflowed = true;
    finish(); // a polite close would queue behind the backlog
}

void WsSocket::pauseInput(quint8 reason)
{
    if (m_pause & reason)
        return;
    switch (reason) {
    case PausedByOwner:
        ioCounters().ownerPauses.fetch_add(1, std::memory_order_relaxed);
        break;
    case PausedByRate:
        ioCounters().ratePauses.fetch_add(1, std::memory_order_relaxed);
        break;
    case PausedByOutput:
        ioCounters().outputPauses.fetch_add(1, std::memory_order_relaxed);
        break;
    default:
        break;
    }
    m_pause |= reason;
    m_parser.pause(); // frames after the current one stay unparsed
    if (m_readNotifier && !m_draining)
        m_readNotifier->setEnabled(false);
}

void WsSocket::unpauseInput(quint8 reason)
{
    if (!(m_pause & reason))
        return;
    m_pause &= quint8(~reason);
    if (m_pause || m_fd < 0 || m_continuePosted)
        return;
    // Never from inside the caller (a completion, a write, a frame): the
    // frames held may start requests of their own.
    m_continuePosted = true;
    QMetaObject::invokeMethod(this, &WsSocket::continueInput, Qt::QueuedConnection);
}

void WsSocket::continueInput()
{
    m_continuePosted = false;
    if (m_fd < 0 || m_pause || m_draining)
        return;
    m_parser.resume();
    m_framesThisTurn = 0;
    if (m_parser.hasUnparsedInput() && (m_state == State::Open || m_state == State::Closing)) {
        handleBytes({}); // what an earlier read left unparsed
        if (m_fd < 0 || m_pause || m_draining)
            return;
    }
    m_readNotifier->setEnabled(true);
    onReadable(); // what the kernel, or OpenSSL, already holds
}

} // namespace confab::server::ws
