#pragma once

#include "discovery/dns_sd.h"
#include "protocol/result.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkInterface>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUdpSocket>

#include <memory>
#include <vector>

namespace confab::server {

// Announces the chat server on the local network with DNS-SD over multicast
// DNS (RFC 6762/6763) as _confab._tcp.local, without avahi-daemon: a small
// responder on its own UDP socket (bound with address sharing, so it lives
// beside avahi-daemon on port 5353). It answers PTR queries for the service
// type and for _services._dns-sd._udp.local with SRV/TXT/A as additional
// records, announces itself three times at start (1 s apart) and says goodbye
// (TTL 0) on stop(). IPv4 only. Runs on the thread that owns it (the server's
// network thread) and never blocks. docs/discovery.md.
class DiscoveryAnnouncer : public QObject {
    Q_OBJECT
public:
    // What is announced. The TXT record says v=1, tls=0|1, fp=<fingerprint>
    // (with TLS) and path=/.
    struct Info {
        QString name; // the instance name shown to users (--server-name)
        quint16 port = 0;
        bool tls = false;
        QString fingerprint; // SHA-256 of the certificate, "AB:CD:..."; only with tls
    };
    // Where mDNS lives; tests move it to another port so they cannot meet a
    // real responder on the machine.
    struct Transport {
        QHostAddress group = QHostAddress(QStringLiteral("224.0.0.251"));
        quint16 port = discovery::kMdnsPort;
        int announcements = 3;
        int announceIntervalMs = 1000;
        int rescanIntervalMs = 30'000; // how often interfaces are looked at again
    };

    // `listenAddress` is the chat listener's: it decides where to announce.
    // Any address: every interface that is up, running and multicast-capable
    // (loopback excluded), each with its own IPv4 address in the A record.
    // A loopback address: the loopback interface only (only this machine can
    // connect, so only this machine hears of it). Another address: the
    // interface that has it. An IPv6-only address: nowhere.
    DiscoveryAnnouncer(Info info, QHostAddress listenAddress, Transport transport, QObject* parent = nullptr);
    DiscoveryAnnouncer(Info info, QHostAddress listenAddress, QObject* parent = nullptr)
        : DiscoveryAnnouncer(std::move(info), std::move(listenAddress), Transport{}, parent)
    {}
    ~DiscoveryAnnouncer() override;

    // Binds, joins the group on each chosen interface and starts announcing.
    // Finding no interface is not an error: it is logged, and interfaces are
    // looked at again every rescanIntervalMs (30 s; --discovery-rescan-ms), as
    // for interfaces and addresses that change later. Failing to bind the
    // socket is an error.
    Result<void> start();
    // Goodbye packets on every interface, then silence. Idempotent.
    void stop();

    // The interfaces announced on (names), for logs and tests.
    QStringList interfaceNames() const;
    const discovery::ServiceInstance& instance() const { return m_instance; }

    // The TXT strings for `info`, in order.
    static QList<QByteArray> txtFor(const Info& info);
    // "Confab on <hostname>": the default instance name.
    static QString defaultName();

private:
    struct Link;
    struct Candidate {
        QNetworkInterface iface;
        QHostAddress address;
        int prefixLength = 32;
    };
    QList<Candidate> chooseInterfaces() const;
    void updateInterfaces();
    void onReadyRead();
    void handleQuery(const discovery::DnsMessage& query, const QHostAddress& sender, quint16 senderPort,
                     int interfaceIndex);
    void announceAll(bool goodbye);
    void flushPending(Link& link);
    void send(Link& link, const discovery::DnsMessage& message, const QHostAddress& to, quint16 port);
    Link* linkFor(int interfaceIndex, const QHostAddress& sender);

    Info m_info;
    QHostAddress m_listenAddress;
    Transport m_transport;
    discovery::ServiceInstance m_instance;
    QUdpSocket m_socket;
    QElapsedTimer m_clock; // for the one-multicast-per-second rule
    QTimer m_announceTimer;
    QTimer m_rescanTimer;
    std::vector<std::unique_ptr<Link>> m_links;
    int m_announcementsSent = 0;
    bool m_running = false;
};

} // namespace confab::server
