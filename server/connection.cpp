#include "connection.h"

#include "connection_gate.h"
#include "logging.h"
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
    , m_serial(g_nextSerial++)
{
    m_socket->setParent(this); // the frame size limit is the server's parser's (--max-frame-bytes)
    connect(m_socket, &ws::WsSocket::textMessageReceived, this,
            [this](const QString& frame) { emit textReceived(this, frame); });
    connect(m_socket, &ws::WsSocket::binaryMessageReceived, this, [this] { emit binaryReceived(this); });
    connect(m_socket, &ws::WsSocket::disconnected, this, [this] {
        m_closing = true;
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
    m_socket->sendFrame(frame);
    if (m_socket->bytesToWrite() > m_maxUnsentBytes) {
        qCWarning(lcNet) << "closing" << m_peer << "user" << m_userId << ": unsent data over"
                         << m_maxUnsentBytes << "bytes (client stopped reading)";
        m_closing = true;
        m_socket->abort(); // the peer is not reading; a polite close would queue behind the backlog
        return false;
    }
    return true;
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
}

void Connection::clearAuthentication()
{
    m_userId = 0;
    m_tokenHash.clear();
    m_typingRooms.clear();
    m_authDeadline.start();
}

} // namespace confab::server
