#pragma once

#include "protocol/result.h"

#include <QHostAddress>
#include <QList>
#include <QNetworkInterface>
#include <QObject>
#include <QTimer>
#include <QUdpSocket>
#include <QUrl>

namespace confab::client {

// One server as a DNS-SD response describes it. Everything here came from
// the network unchecked by anyone: show it as plain text, and trust a
// certificate only after the user confirmed its fingerprint.
struct DiscoveredServer {
    QString name; // the instance name (control characters removed)
    QHostAddress address;
    quint16 port = 0;
    bool tls = false;
    QString fingerprint; // TXT fp=, only with tls (empty if malformed)
    QString path = QStringLiteral("/");
    int ttlSeconds = 0;

    // ws://address:port/path, or wss:// with TLS.
    QUrl url() const;
};

// Browses for _confab._tcp.local with multicast DNS (RFC 6762 continuous
// querying): a PTR query at start, again after 1, 2, 4, ... seconds up to
// every 30 s, on every interface that is up and multicast-capable (and on
// loopback, for a server on this machine). Listens on port 5353 beside any
// other responder (address sharing), so it also hears announcements and
// goodbyes. Parsing is strict and malformed packets are dropped. docs/discovery.md.
class DiscoveryBrowser : public QObject {
    Q_OBJECT
public:
    struct Transport {
        QHostAddress group = QHostAddress(QStringLiteral("224.0.0.251"));
        quint16 port = 5353;
        int firstIntervalMs = 1000;
        int maxIntervalMs = 30'000;
    };
    explicit DiscoveryBrowser(Transport transport, QObject* parent = nullptr);
    explicit DiscoveryBrowser(QObject* parent = nullptr)
        : DiscoveryBrowser(Transport{}, parent)
    {}

    // Binds and starts querying; an error when no socket could be bound.
    Result<void> start();
    void stop();
    bool isRunning() const { return m_running; }
    // Sends a query now and restarts the backoff (e.g. the login page reappeared).
    void queryNow();

signals:
    // An announcement or an answer: the server exists for ttlSeconds more.
    void serverSeen(const confab::client::DiscoveredServer& server);
    // A goodbye (TTL 0): the named server at `from` (the packet's sender)
    // stopped, on `port` when the goodbye's SRV record says (0: it does not).
    // A goodbye names no address, so `from` is what tells which of several
    // servers by that name it was.
    void serverGone(const QString& name, const QHostAddress& from, quint16 port);

private:
    void sendQuery();
    void joinNewInterfaces();
    void onReadyRead();
    bool fromJoinedLink(const QHostAddress& sender) const;

    Transport m_transport;
    QUdpSocket m_socket;
    QTimer m_queryTimer;
    int m_intervalMs = 0;
    bool m_running = false;
    // Without port 5353 (another program holds it exclusively) queries come
    // from an ephemeral port and answers are legacy unicast ones, 10 s TTLs.
    bool m_legacy = false;
    QList<QNetworkInterface> m_joined;
};

} // namespace confab::client

Q_DECLARE_METATYPE(confab::client::DiscoveredServer)
