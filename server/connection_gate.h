#pragma once

#include "ws/ws_handshake.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>

#include <array>

namespace confab::server {

struct ServerConfig;

// The client's address for limits and logs: the socket's peer, unless that
// is a trusted proxy; then the right-most X-Forwarded-For entry that is not
// itself a trusted proxy (entries further left were written by the client
// and prove nothing).
QString clientAddress(const QHostAddress& peer, const ws::HandshakeRequest& request,
                      const QList<QHostAddress>& trustedProxies);

// Who may open a WebSocket (issue 12), decided on the valid upgrade request
// before it is answered, so that a refused client costs no Connection:
// - an Origin header that --allowed-origins does not list: 403 (a web page
//   driving the server from a visitor's browser);
// - a client address that already holds --max-connections-per-address
//   connections: 429 with Retry-After; and before that, as soon as TCP
//   accepts it, a connection from a peer that has as many handshakes under
//   way is closed unread (one that never finishes its handshakes would
//   otherwise hold a descriptor per connection for the 10 s handshake
//   deadline, unbounded); trusted proxies carry many clients and are exempt
//   there, their clients are counted at the upgrade. So one address holds
//   at most twice the cap in descriptors;
// - --max-unauthenticated-connections connections open and not signed in,
//   all addresses together: 503 with Retry-After.
// It counts the open connections per client address (a hash that holds only
// addresses with connections open). Network thread only.
class ConnectionGate {
public:
    enum class Refusal { Origin, Address, Unauthenticated };

    explicit ConnectionGate(const ServerConfig& config);

    // The HTTP response that refuses the handshake, or empty to admit it.
    // `unauthenticated`: connections open now that have not signed in.
    QByteArray check(const ws::HandshakeRequest& request, const QHostAddress& peer, int unauthenticated);
    // A TCP connection accepted from `peer`, before its handshake: false to
    // close it at once. Each true is followed by one handshakeEnded(peer).
    bool admitPeer(const QHostAddress& peer);
    void handshakeEnded(const QHostAddress& peer);
    // An admitted connection from `address` (clientAddress()) opened / closed.
    void opened(const QString& address);
    void closed(const QString& address);

    int openFrom(const QString& address) const { return m_open.value(address); }
    int addressCount() const { return int(m_open.size() + m_handshaking.size()); }
    int handshakingFrom(const QString& address) const { return m_handshaking.value(address); }
    quint64 refused(Refusal why) const { return m_refused[size_t(why)]; }

    static constexpr int kRetryAfterSeconds = 10;

private:
    QList<QByteArray> m_allowedOrigins;
    QList<QHostAddress> m_trustedProxies;
    int m_maxPerAddress;
    int m_maxUnauthenticated;
    QHash<QString, int> m_open;
    QHash<QString, int> m_handshaking; // by TCP peer, trusted proxies not counted
    std::array<quint64, 3> m_refused{};
};

} // namespace confab::server
