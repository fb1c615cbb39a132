#include "connection_gate.h"

#include "base/logging.h"
#include "server_config.h"

#include <algorithm>

namespace confab::server {
namespace {

bool isTrusted(const QHostAddress& address, const QList<QHostAddress>& proxies)
{
    return std::any_of(proxies.cbegin(), proxies.cend(), [&](const QHostAddress& proxy) {
        return proxy.isEqual(address, QHostAddress::ConvertV4MappedToIPv4);
    });
}

QByteArray retryLater(QByteArrayView status, QByteArrayView body)
{
    return ws::refusalResponse(
        status, body, "Retry-After: " + QByteArray::number(ConnectionGate::kRetryAfterSeconds) + "\r\n");
}

} // namespace

QString clientAddress(const QHostAddress& peer, const ws::HandshakeRequest& request,
                      const QList<QHostAddress>& trustedProxies)
{
    if (!isTrusted(peer, trustedProxies))
        return peer.toString();
    const QList<QByteArray> hops = request.rawHeader("X-Forwarded-For").split(',');
    for (auto hop = hops.crbegin(); hop != hops.crend(); ++hop) {
        QHostAddress address;
        if (!address.setAddress(QString::fromLatin1(hop->trimmed())))
            break; // garbage: do not trust anything left of it
        if (!isTrusted(address, trustedProxies))
            return address.toString();
    }
    return peer.toString();
}

ConnectionGate::ConnectionGate(const ServerConfig& config)
    : m_trustedProxies(config.trustedProxies)
    , m_maxPerAddress(config.maxConnectionsPerAddress)
    , m_maxUnauthenticated(config.maxUnauthenticatedConnections)
{
    for (const QString& origin : config.allowedOrigins)
        m_allowedOrigins.append(ws::normalizedOrigin(origin.toLatin1()));
}

QByteArray ConnectionGate::check(const ws::HandshakeRequest& request, const QHostAddress& peer,
                                 int unauthenticated)
{
    if (QByteArray refusal = ws::refuseForeignOrigin(request, m_allowedOrigins); !refusal.isEmpty()) {
        ++m_refused[size_t(Refusal::Origin)];
        qCDebug(lcNet) << "refused a handshake from" << peer.toString() << "with Origin"
                       << request.rawHeader("Origin");
        return refusal;
    }
    if (m_maxPerAddress > 0) {
        const QString address = clientAddress(peer, request, m_trustedProxies);
        if (m_open.value(address) >= m_maxPerAddress) {
            ++m_refused[size_t(Refusal::Address)];
            qCDebug(lcNet) << "refused a handshake from" << address << ": it has" << m_maxPerAddress
                           << "connections open";
            return retryLater("429 Too Many Requests",
                              "too many connections from your address (--max-connections-per-address)\n");
        }
    }
    if (m_maxUnauthenticated > 0 && unauthenticated >= m_maxUnauthenticated) {
        ++m_refused[size_t(Refusal::Unauthenticated)];
        qCDebug(lcNet) << "refused a handshake from" << peer.toString() << ":" << unauthenticated
                       << "connections are waiting to authenticate";
        return retryLater("503 Service Unavailable",
                          "too many connections waiting to sign in (--max-unauthenticated-connections)\n");
    }
    return {};
}

bool ConnectionGate::admitPeer(const QHostAddress& peer)
{
    if (m_maxPerAddress <= 0 || isTrusted(peer, m_trustedProxies))
        return true;
    const QString address = peer.toString();
    int& handshaking = m_handshaking[address]; // 0 when new: never refused then
    if (handshaking >= m_maxPerAddress) {
        ++m_refused[size_t(Refusal::Address)];
        qCDebug(lcNet) << "closed a connection from" << address << "at once: it has" << m_maxPerAddress
                       << "handshakes under way";
        return false;
    }
    ++handshaking;
    return true;
}

void ConnectionGate::handshakeEnded(const QHostAddress& peer)
{
    const auto it = m_handshaking.find(peer.toString());
    if (it != m_handshaking.end() && --*it <= 0)
        m_handshaking.erase(it);
}

void ConnectionGate::opened(const QString& address)
{
    ++m_open[address];
}

void ConnectionGate::closed(const QString& address)
{
    const auto it = m_open.find(address);
    if (it == m_open.end())
        return;
    if (--*it <= 0)
        m_open.erase(it); // only addresses with connections open stay
}

} // namespace confab::server
