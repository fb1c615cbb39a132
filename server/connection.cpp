#include "connection.h"

#include "base/logging.h"
#include "connection_gate.h"
#include "ops/metrics.h"
#include "server_config.h"
#include "ws/ws_socket.h"

namespace confab::server {
namespace {
quint64 g_nextSerial = 1;
} // namespace

Connection::Connection(ws::WsSocket* socket, const ServerConfig& config, Metrics* metrics, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_metrics(metrics)
    , m_peer(clientAddress(socket->peerAddress(), socket->request(), config.trustedProxies))
    , m_maxUnsentBytes(config.maxUnsentBytes)
    , m_maxFrameBytes(config.maxFrameBytes)
    , m_signedInFrameBytes(qMax(config.maxFrameBytes, limits::kSignedInFrameBytes))
    , m_preAuthMaxUnsentBytes(config.preAuthMaxUnsentBytes)
    , m_preAuthFrameRate(config.preAuthFrameRate)
    , m_preAuthFrameBurst(config.preAuthFrameBurst)
    , m_maxInFlight(qMax(config.maxRequestsInFlight, 1))
    , m_serial(g_nextSerial++)
{
    m_socket->setParent(this); // the frame size limit is the server's parser's (--max-frame-bytes)
    connect(m_socket, &ws::WsSocket::textMessageReceived, this, [this](const QString& frame) {
        onFrame(Frame{frame, false});
    });
    connect(m_socket, &ws::WsSocket::binaryMessageReceived, this, [this](const QByteArray& bytes) {
        onFrame(Frame{{}, true, bytes});
    });
    connect(m_socket, &ws::WsSocket::disconnected, this, [this] {
        m_closing = true;
        m_held.clear();
        if (m_socket->overflowed())
            qCWarning(lcNet) << "closed" << m_peer << "user" << m_userId << ": unsent data over its cap"
                             << "(client stopped reading)";
        if (!m_closedEmitted) {
            m_closedEmitted = true;
            m_authDeadline.stop();
            emit closed(this);
        }
    });

    m_authDeadline.setSingleShot(true);
    m_authDeadline.setInterval(config.authTimeoutMs);
    connect(&m_authDeadline, &QTimer::timeout, this, [this] {
        if (!isAuthenticated())
            emit authDeadlinePassed(this);
    });
    m_authDeadline.start();
}

Connection::~Connection() = default;

bool Connection::sendFrame(const QByteArray& frame)
{
    if (m_closing)
        return false;
    m_socket->sendFrame(frame); // over the socket's cap it aborts (disconnected: m_closing)
    return !m_closing;
}

bool Connection::isWaiting() const
{
    return !m_held.empty() || m_socket->isInputHeld();
}

// A frame from the socket: handled now, or held (and the socket with it)
// while the connection is busy. One frame is held at most: the socket
// delivers nothing more until it is released.
void Connection::onFrame(Frame frame)
{
    if (m_closing)
        return;
    if (isBusy() || !m_held.empty()) {
        m_held.push_back(std::move(frame));
        m_socket->holdInput();
        return;
    }
    deliver(frame);
    if (isBusy() && !m_closing)
        m_socket->holdInput();
}

void Connection::deliver(const Frame& frame)
{
    if (frame.binary)
        emit binaryReceived(this, frame.bytes);
    else
        emit textReceived(this, frame.text);
}

void Connection::requestFinished(bool insert)
{
    int& count = insert ? m_insertsInFlight : m_inFlight;
    if (count > 0)
        --count;
    if (requestsInFlight() == 0)
        m_waitForIdle = false;
    if (!mayResume() || m_closing || m_resumePosted || !isWaiting())
        return;
    // Not from inside the completion that called this: its reply first.
    m_resumePosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_resumePosted = false;
            resume();
        },
        Qt::QueuedConnection);
}

void Connection::resume()
{
    if (m_closing || !mayResume())
        return;
    while (!m_held.empty()) {
        const Frame frame = std::move(m_held.front());
        m_held.pop_front();
        deliver(frame);
        if (m_closing || isBusy())
            return; // the socket stays held
    }
    m_socket->releaseInput();
}

void Connection::send(const Envelope& envelope)
{
    sendFrame(ws::encodeFrame(ws::Opcode::Text, envelope.serialize()));
}

void Connection::sendError(const Error& error, const QJsonValue& id)
{
    if (m_metrics)
        m_metrics->countError(error.code);
    send(errorEnvelope(error, id));
}

void Connection::close(quint16 code, const QString& reason)
{
    if (m_closing || m_socket->state() == ws::WsSocket::State::Closed)
        return;
    m_closing = true;
    m_socket->close(code, reason);
}

void Connection::setAuthenticated(Id userId, const QByteArray& tokenHash)
{
    m_userId = userId;
    m_tokenHash = tokenHash;
    m_authDeadline.stop();
    // Signed in: the full budget, and requests are limited per type instead.
    m_socket->setMaxQueuedBytes(m_maxUnsentBytes);
    m_socket->setFrameRate(0, 0);
    // Room for a set_avatar with the largest avatar (limits.h); strangers
    // keep --max-frame-bytes. Counted against nothing new: a frame is
    // parsed from the socket's input buffer, which the unsent-bytes cap
    // and the in-flight request cap already bound per connection.
    m_socket->setMaxMessageBytes(m_signedInFrameBytes);
}

void Connection::clearAuthentication()
{
    m_userId = 0;
    m_tokenHash.clear();
    m_typingRooms.clear();
    m_authDeadline.start();
    setUnsignedLimits();
}

// The budget of a connection that is not signed in. After a sign-out,
// what is queued already (a history page, say) may still leave: the small
// cap counts from there.
void Connection::setUnsignedLimits()
{
    m_socket->setMaxQueuedBytes(m_socket->bytesToWrite() + m_preAuthMaxUnsentBytes);
    m_socket->setFrameRate(m_preAuthFrameRate, m_preAuthFrameBurst);
    m_socket->setMaxMessageBytes(m_maxFrameBytes);
}

} // namespace confab::server
