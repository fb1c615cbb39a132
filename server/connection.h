#pragma once

#include "protocol/envelope.h"
#include "protocol/ids.h"

#include "ws/ws_frame.h"
#include <QObject>
#include <QSet>
#include <QTimer>

namespace confab::server {

struct ServerConfig;
class Metrics;
namespace ws {
class WsSocket;
}

// One client's WebSocket and its session state. Owns the socket; enforces the
// per-socket limits (frame/message size, authentication deadline, unsent bytes)
// so that one misbehaving client never affects the others.
class Connection : public QObject {
    Q_OBJECT
public:
    // `metrics` (may be null) counts the errors sent.
    Connection(ws::WsSocket* socket, const ServerConfig& config, Metrics* metrics, QObject* parent = nullptr);
    ~Connection() override;

    // Queues one complete WebSocket frame (Hub::frame), shared with every
    // other recipient. A socket whose unsent data exceeds the cap is aborted
    // (it stopped reading); returns false then, as for a connection that is
    // closing.
    bool sendFrame(const QByteArray& frame);
    void send(const Envelope& envelope);
    void sendError(const Error& error, const QJsonValue& id);
    // A close frame with `code` (ws::close_code), then the closing handshake.
    void close(quint16 code, const QString& reason);

    bool isAuthenticated() const { return m_userId != 0; }
    Id userId() const { return m_userId; }
    const QByteArray& tokenHash() const { return m_tokenHash; }
    void setAuthenticated(Id userId, const QByteArray& tokenHash);
    void clearAuthentication();

    QString peerAddress() const { return m_peer; }
    ws::WsSocket* socket() const { return m_socket; }
    quint64 serial() const { return m_serial; }

    // Rooms in which this connection last said it is typing (so that a close
    // can tell the others it stopped).
    QSet<Id>& typingRooms() { return m_typingRooms; }
    // Room-scoped requests waiting for a membership check in the store
    // (cluster mode); later ones wait behind them to keep their order.
    int pendingRoomChecks() const { return m_pendingRoomChecks; }
    void setPendingRoomChecks(int n) { m_pendingRoomChecks = n; }

signals:
    void textReceived(confab::server::Connection* connection, const QString& frame);
    void binaryReceived(confab::server::Connection* connection);
    void authDeadlinePassed(confab::server::Connection* connection);
    void closed(confab::server::Connection* connection);

private:
    ws::WsSocket* m_socket;
    Metrics* m_metrics;
    QTimer m_authDeadline;
    QString m_peer;
    qint64 m_maxUnsentBytes;
    Id m_userId = 0;
    QByteArray m_tokenHash;
    QSet<Id> m_typingRooms;
    int m_pendingRoomChecks = 0;
    quint64 m_serial;
    bool m_closing = false; // nothing more is sent
    bool m_closedEmitted = false;
};

} // namespace confab::server
