#pragma once

#include "tls/tls_context.h"
#include "ws/ws_socket.h"

#include <QTcpServer>
#include <QUrl>

#include <memory>

namespace confab::server::ws {

// Accepts TCP connections and turns them into WsSockets. QTcpServer's accept
// loop takes every connection the kernel has queued per wake-up (there is no
// pending list to fill: incomingConnection() takes the descriptor), and the
// listen backlog is raised from Qt's 50 so that bursts of handshakes are not
// refused by the kernel.
class WsServer : public QTcpServer {
    Q_OBJECT
public:
    explicit WsServer(qint64 maxMessageBytes, QObject* parent = nullptr);

    // Every connection accepted from now on starts with a TLS handshake
    // (nullptr: plain WebSocket again).
    void setTls(std::shared_ptr<tls::TlsContext> context) { m_tls = std::move(context); }
    bool usesTls() const { return m_tls != nullptr; }

    // ws://address:port of the listening socket (wss:// with TLS).
    QUrl serverUrl() const;

    // Asked about every valid handshake before it is answered (issue 12:
    // Origin and connection caps); none admits everyone.
    void setAdmission(Admission admission) { m_admission = std::move(admission); }
    // Asked about every accepted TCP connection before anything is read from
    // it: false closes it at once (issue 12: connections per address that
    // never finish their handshake). `ended` is told once when an admitted
    // connection's handshake is over, accepted or not.
    using AcceptFilter = std::function<bool(const QHostAddress& peer)>;
    void setAcceptFilter(AcceptFilter accept, std::function<void(const QHostAddress& peer)> ended)
    {
        m_accept = std::move(accept);
        m_handshakeEnded = std::move(ended);
    }
    // What every socket accepted from now on starts with: the cap on its
    // queue and the peer's frame rate (WsSocket::setMaxQueuedBytes,
    // setFrameRate), i.e. the budget of a connection not signed in yet.
    void setSocketLimits(qint64 maxQueuedBytes, double frameRate, double frameBurst)
    {
        m_maxQueuedBytes = maxQueuedBytes;
        m_frameRate = frameRate;
        m_frameBurst = frameBurst;
    }

signals:
    // The handshake was accepted; the receiver takes ownership (setParent).
    void socketOpened(confab::server::ws::WsSocket* socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    qint64 m_maxMessageBytes;
    FlushQueue m_flushQueue;
    std::shared_ptr<tls::TlsContext> m_tls;
    Admission m_admission; // sockets in their handshake point at it: they are our children
    AcceptFilter m_accept;
    std::function<void(const QHostAddress&)> m_handshakeEnded;
    qint64 m_maxQueuedBytes = 0;
    double m_frameRate = 0;
    double m_frameBurst = 0;
};

} // namespace confab::server::ws
