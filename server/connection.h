#pragma once

#include "protocol/envelope.h"
#include "protocol/ids.h"

#include "ws/ws_frame.h"
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>

namespace confab::server {

struct ServerConfig;
class Metrics;
namespace ws {
class WsSocket;
}

// One client's WebSocket and its session state. Owns the socket; enforces the
// per-socket limits (frame/message size, authentication deadline, unsent bytes)
// so that one misbehaving client never affects the others.
//
// Its requests are paced (docs/networking.md, "Flow control"): at most
// maxRequestsInFlight of them wait for the store at once, and none while
// the handshake's token is being checked. A frame that arrives meanwhile is
// held, and the socket is not read until it could run, so a client that
// pipelines thousands of requests holds a few of them here and the rest in
// its own TCP buffers, in order.
class Connection : public QObject {
    Q_OBJECT
public:
    // `metrics` (may be null) counts the errors sent.
    Connection(ws::WsSocket* socket, const ServerConfig& config, Metrics* metrics, QObject* parent = nullptr);
    ~Connection() override;

    // Queues one complete WebSocket frame (Hub::frame), shared with every
    // other recipient. A socket whose queue exceeds its cap (maxUnsentBytes,
    // before sign-in preAuthMaxUnsentBytes) is aborted (it stopped reading);
    // returns false then, as for a connection that is closing.
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

    // Store jobs started for this connection's requests (Hub::db counts
    // them) and not completed yet. Message inserts are counted apart, with
    // kInsertsPerRequest times the room: the writer stores the inserts
    // queued together in one transaction (group commit), so each costs the
    // others far less than a job of its own, and a pipelining sender needs
    // many in flight to fill the batches.
    static constexpr int kInsertsPerRequest = 8;
    void requestStarted(bool insert = false) { ++(insert ? m_insertsInFlight : m_inFlight); }
    void requestFinished(bool insert = false);
    int requestsInFlight() const { return m_inFlight + m_insertsInFlight; }
    // No frame is handled until every job in flight now has completed: the
    // handshake's token check, so that requests sent right behind it run
    // signed in, in order.
    void waitForRequestsInFlight() { m_waitForIdle = requestsInFlight() > 0; }
    // A frame is held, or the socket is not read, until a request finishes.
    bool isWaiting() const;

signals:
    void textReceived(confab::server::Connection* connection, const QString& frame);
    void binaryReceived(confab::server::Connection* connection, const QByteArray& bytes);
    void authDeadlinePassed(confab::server::Connection* connection);
    void closed(confab::server::Connection* connection);

private:
    struct Frame {
        QString text;
        bool binary = false;
        QByteArray bytes; // a binary frame's payload (a file chunk)
    };
    bool isBusy() const
    {
        return m_inFlight >= m_maxInFlight || m_insertsInFlight >= kInsertsPerRequest * m_maxInFlight ||
               (m_waitForIdle && requestsInFlight() > 0);
    }
    // Once busy, frames are taken again when half the requests have
    // finished: a pipelining client is read in batches, not one request per
    // wake-up (each pause and resumption costs system calls).
    bool mayResume() const
    {
        return m_inFlight <= m_maxInFlight / 2 &&
               m_insertsInFlight <= kInsertsPerRequest * m_maxInFlight / 2 &&
               !(m_waitForIdle && requestsInFlight() > 0);
    }
    void onFrame(Frame frame);
    void deliver(const Frame& frame);
    void resume();
    void setUnsignedLimits();

    ws::WsSocket* m_socket;
    Metrics* m_metrics;
    QTimer m_authDeadline;
    QString m_peer;
    qint64 m_maxUnsentBytes;
    qint64 m_maxFrameBytes;      // before sign-in (--max-frame-bytes)
    qint64 m_signedInFrameBytes; // signed in: room for the largest set_avatar
    qint64 m_preAuthMaxUnsentBytes;
    double m_preAuthFrameRate;
    double m_preAuthFrameBurst;
    int m_maxInFlight;
    int m_inFlight = 0;
    int m_insertsInFlight = 0;
    std::deque<Frame> m_held; // arrived while busy (one, as the socket is held): runs first when one finishes
    bool m_waitForIdle = false;
    bool m_resumePosted = false;
    Id m_userId = 0;
    QByteArray m_tokenHash;
    QSet<Id> m_typingRooms;
    int m_pendingRoomChecks = 0;
    quint64 m_serial;
    bool m_closing = false; // nothing more is sent
    bool m_closedEmitted = false;
};

} // namespace confab::server
