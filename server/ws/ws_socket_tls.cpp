// WsSocket over TLS: the handshake, reads and writes through an OpenSSL
// session on the same non-blocking descriptor. The plain path branches here
// once per read or flush (`if (m_tls)`); nothing else in it changes.

#include "ws/ws_socket.h"

#include "base/logging.h"

#include <QSocketNotifier>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace confab::server::ws {
namespace {
// Frames are gathered into chunks of this size for one SSL_write each: small
// frames share TLS records instead of costing a record (and its MAC and
// header) apiece.
constexpr qsizetype kTlsChunkBytes = 64 * 1024;
// A frame this large is written from its own bytes rather than copied.
constexpr qsizetype kTlsOwnChunkBytes = 16 * 1024;
constexpr qsizetype kTlsReadChunk = 16 * 1024 + 256; // one record's plaintext
constexpr int kTlsReadsPerWakeUp = 16;

QByteArray tlsErrorText()
{
    QByteArray text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (text.isEmpty())
            text = buffer;
    }
    return text.isEmpty() ? QByteArray("connection closed or reset") : text;
}
} // namespace

void WsSocket::onReadableTls()
{
    if (!m_tlsReady && !continueTlsHandshake())
        return;
    char buffer[kTlsReadChunk];
    for (int round = 0; round < kTlsReadsPerWakeUp; ++round) {
        if (m_fd < 0 || m_draining)
            return;
        ERR_clear_error();
        const int got = SSL_read(m_tls, buffer, int(sizeof buffer));
        if (got > 0) {
            handleBytes(QByteArrayView(buffer, got));
            if (m_pause)
                return; // records OpenSSL holds wait too: continueInput() reads them
            continue;
        }
        switch (SSL_get_error(m_tls, got)) {
        case SSL_ERROR_WANT_READ:
            if (m_tlsWriteWantsRead) { // a write waited for the peer: it may go on now
                m_tlsWriteWantsRead = false;
                flushNow();
            }
            return;
        case SSL_ERROR_WANT_WRITE:
            m_tlsReadWantsWrite = true;
            return waitForWritable();
        default: // close_notify, a reset, or a broken record
            qCDebug(lcNet) << "TLS read from" << m_peer.toString() << "ended:" << tlsErrorText();
            return finish();
        }
    }
    // Records already decrypted or buffered inside OpenSSL do not wake the
    // read notifier again: come back for them after other sockets had a turn.
    if (m_fd >= 0 && !m_draining && SSL_has_pending(m_tls))
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_fd >= 0)
                    onReadable();
            },
            Qt::QueuedConnection);
}

bool WsSocket::continueTlsHandshake()
{
    ERR_clear_error();
    const int done = SSL_do_handshake(m_tls);
    if (done == 1) {
        m_tlsReady = true;
        ioCounters().tlsHandshakes.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    switch (SSL_get_error(m_tls, done)) {
    case SSL_ERROR_WANT_READ:
        return false; // the read notifier brings the rest (the handshake deadline bounds it)
    case SSL_ERROR_WANT_WRITE:
        waitForWritable();
        return false;
    default: // plain HTTP, garbage, no common protocol or cipher, or the peer left
        ioCounters().tlsHandshakeFailures.fetch_add(1, std::memory_order_relaxed);
        qCDebug(lcNet) << "TLS handshake with" << m_peer.toString() << "failed:" << tlsErrorText();
        finish();
        return false;
    }
}

void WsSocket::flushTls()
{
    if (!m_tlsReady)
        return; // nothing is queued before the handshake; the handshake flushes itself
    while (m_fd >= 0) {
        if (m_tlsChunkOffset == m_tlsChunk.size() && !takeTlsChunk())
            break;
        ERR_clear_error();
        const int wrote = SSL_write(m_tls, m_tlsChunk.constData() + m_tlsChunkOffset,
                                    int(m_tlsChunk.size() - m_tlsChunkOffset));
        if (wrote > 0) {
            m_tlsChunkOffset += wrote;
            m_unsent -= wrote;
            if (m_notifyWrites)
                emit this->wrote(); // receivers connect queued: the queue is mid-walk here
            ioCounters().sendCalls.fetch_add(1, std::memory_order_relaxed);
            if (m_pause & PausedByOutput)
                queueShrank();
            if (m_tlsChunkOffset == m_tlsChunk.size())
                ioCounters().framesWritten.fetch_add(m_tlsChunkFrames, std::memory_order_relaxed);
            continue;
        }
        switch (SSL_get_error(m_tls, wrote)) {
        case SSL_ERROR_WANT_WRITE:
            return waitForWritable(); // retried with the same remaining bytes
        case SSL_ERROR_WANT_READ:
            m_tlsWriteWantsRead = true;
            return;
        default:
            qCDebug(lcNet) << "TLS write to" << m_peer.toString() << "failed:" << tlsErrorText();
            return finish();
        }
    }
    if (m_fd < 0)
        return;
    m_tlsChunk = QByteArray(); // an idle connection keeps no chunk
    m_tlsChunkOffset = 0;
    compactQueue();
    if (m_writeNotifier) {
        delete m_writeNotifier;
        m_writeNotifier = nullptr;
    }
    if (queueEmpty() && m_shutdownWhenFlushed && !m_draining)
        startDraining();
}

// The next chunk from the queue: one large frame as it is (shared, not
// copied), or as many whole frames as fit in kTlsChunkBytes, copied together.
bool WsSocket::takeTlsChunk()
{
    if (m_outHead == m_out.size())
        return false;
    m_tlsChunkOffset = 0;
    QByteArray& head = m_out[m_outHead];
    if (head.size() >= kTlsOwnChunkBytes || m_outHead + 1 == m_out.size()) {
        m_tlsChunk = std::move(head);
        head = QByteArray();
        ++m_outHead;
        m_tlsChunkFrames = 1;
        return true;
    }
    qsizetype size = 0;
    size_t end = m_outHead;
    while (end < m_out.size() && size + m_out[end].size() <= kTlsChunkBytes)
        size += m_out[end++].size();
    QByteArray chunk;
    chunk.reserve(size);
    for (size_t i = m_outHead; i < end; ++i) {
        chunk.append(m_out[i]);
        m_out[i] = QByteArray(); // drop our reference now
    }
    m_tlsChunkFrames = quint64(end - m_outHead);
    m_outHead = end;
    m_tlsChunk = std::move(chunk);
    return true;
}

void WsSocket::closeTls()
{
    if (!m_tls)
        return;
    SSL_free(m_tls);
    m_tls = nullptr;
    m_tlsChunk = QByteArray();
    m_tlsChunkOffset = 0;
    ERR_clear_error();
}

} // namespace confab::server::ws
