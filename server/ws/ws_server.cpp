#include "ws/ws_server.h"

#include "base/logging.h"

#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace confab::server::ws {
namespace {
// The kernel caps it at net.core.somaxconn (4096 on Debian 12).
constexpr int kListenBacklog = 4096;

QHostAddress peerOf(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        return {};
    QHostAddress peer(reinterpret_cast<const sockaddr*>(&address));
    // The server listens on IPv4 and IPv6: report ::ffff:a.b.c.d as a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : peer;
}
} // namespace

WsServer::WsServer(qint64 maxMessageBytes, QObject* parent)
    : QTcpServer(parent)
    , m_maxMessageBytes(maxMessageBytes)
{
    setListenBacklogSize(kListenBacklog);
}

QUrl WsServer::serverUrl() const
{
    QUrl url;
    url.setScheme(m_tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(serverAddress().toString());
    url.setPort(serverPort());
    return url;
}

void WsServer::incomingConnection(qintptr descriptor)
{
    const int fd = int(descriptor);
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        qCWarning(lcNet) << "cannot make an accepted socket non-blocking:" << strerror(errno);
        ::close(fd);
        return;
    }
    const QHostAddress peer = peerOf(fd);
    if (m_accept && !m_accept(peer)) {
        ::close(fd);
        return;
    }
    // Frames are already coalesced per event-loop pass; Nagle would only add delay.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ssl_st* session = nullptr;
    if (m_tls && !(session = m_tls->newSession(fd))) {
        qCWarning(lcNet) << "cannot start a TLS session (out of memory?)";
        ::close(fd);
        if (m_handshakeEnded)
            m_handshakeEnded(peer);
        return;
    }
    auto* socket = new WsSocket(fd, peer, m_maxMessageBytes, m_flushQueue, this, session);
    socket->setMaxQueuedBytes(m_maxQueuedBytes);
    socket->setFrameRate(m_frameRate, m_frameBurst);
    socket->setAdmission(&m_admission);
    if (m_handshakeEnded) {
        // Once: when it opens, or when it goes without opening.
        auto ended = std::make_shared<bool>(false);
        const auto end = [this, peer, ended] {
            if (!std::exchange(*ended, true))
                m_handshakeEnded(peer);
        };
        connect(socket, &WsSocket::opened, this, end);
        connect(socket, &QObject::destroyed, this, end);
    }
    connect(socket, &WsSocket::opened, this, [this, socket] { emit socketOpened(socket); });
}

} // namespace confab::server::ws
