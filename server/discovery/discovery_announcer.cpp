#include "discovery/discovery_announcer.h"

#include <QHostInfo>
#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QTimer>
#include <QVariant>

// Debug lines (every packet ignored, each start-up announcement) only on request,
// as for the other server categories: QT_LOGGING_RULES="confab.server.discovery.debug=true".
Q_LOGGING_CATEGORY(lcDiscovery, "confab.server.discovery", QtInfoMsg)

namespace confab::server {

using namespace confab::discovery;

namespace {

// RFC 6762 section 6: a record is multicast at most once per second per
// interface, and shared answers wait 20-120 ms (answers of other responders
// to the same question then do not collide).
constexpr qint64 kMinMulticastIntervalMs = 1000;

QByteArray ipv4Bytes(const QHostAddress& address)
{
    const quint32 v4 = address.toIPv4Address();
    const char bytes[4] = {char(v4 >> 24), char(v4 >> 16), char(v4 >> 8), char(v4)};
    return QByteArray(bytes, 4);
}

bool multicastCapable(const QNetworkInterface& iface)
{
    const auto flags = iface.flags();
    return flags.testFlag(QNetworkInterface::IsUp) && flags.testFlag(QNetworkInterface::IsRunning) &&
           flags.testFlag(QNetworkInterface::CanMulticast) && !flags.testFlag(QNetworkInterface::IsLoopBack);
}

} // namespace

// One interface announced on, with its own address for the A record.
struct DiscoveryAnnouncer::Link {
    QNetworkInterface iface;
    QHostAddress address;
    int prefixLength = 32;
    qint64 lastMulticastMs = -kMinMulticastIntervalMs;
    // Questions waiting for the next allowed multicast response.
    QTimer responseTimer;
    DnsMessage pendingQuery;
};

DiscoveryAnnouncer::DiscoveryAnnouncer(Info info, QHostAddress listenAddress, Transport transport,
                                       QObject* parent)
    : QObject(parent)
    , m_info(std::move(info))
    , m_listenAddress(std::move(listenAddress))
    , m_transport(std::move(transport))
{
    if (m_info.name.trimmed().isEmpty())
        m_info.name = defaultName();
    m_instance.instanceLabel = instanceLabelFrom(m_info.name);
    // Not the machine's own <hostname>.local, which avahi-daemon may own with
    // other addresses: a name of our own, unique per port on this host.
    m_instance.hostLabel =
        hostLabelFrom(QHostInfo::localHostName()).left(40) + "-confab-" + QByteArray::number(m_info.port);
    m_instance.port = m_info.port;
    m_instance.txt = txtFor(m_info);
    m_clock.start();
    connect(&m_socket, &QUdpSocket::readyRead, this, &DiscoveryAnnouncer::onReadyRead);
    m_announceTimer.setSingleShot(true);
    connect(&m_announceTimer, &QTimer::timeout, this, [this] { announceAll(false); });
    connect(&m_rescanTimer, &QTimer::timeout, this, &DiscoveryAnnouncer::updateInterfaces);
}

DiscoveryAnnouncer::~DiscoveryAnnouncer()
{
    stop();
}

QList<QByteArray> DiscoveryAnnouncer::txtFor(const Info& info)
{
    QList<QByteArray> txt = {"v=1", info.tls ? "tls=1" : "tls=0"};
    if (info.tls && !info.fingerprint.isEmpty())
        txt.append("fp=" + info.fingerprint.toLatin1());
    txt.append("path=/");
    return txt;
}

QString DiscoveryAnnouncer::defaultName()
{
    return QStringLiteral("Confab on %1").arg(QHostInfo::localHostName());
}

QStringList DiscoveryAnnouncer::interfaceNames() const
{
    QStringList names;
    for (const auto& link : m_links)
        names.append(link->iface.name());
    return names;
}

QList<DiscoveryAnnouncer::Candidate> DiscoveryAnnouncer::chooseInterfaces() const
{
    QList<Candidate> chosen;
    const bool anyAddress = m_listenAddress == QHostAddress::Any ||
                            m_listenAddress == QHostAddress::AnyIPv4 ||
                            m_listenAddress == QHostAddress::AnyIPv6;
    const bool loopback =
        m_listenAddress.isLoopback() && m_listenAddress.protocol() == QAbstractSocket::IPv4Protocol;
    const QList<QNetworkInterface> all = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface& iface : all) {
        const auto flags = iface.flags();
        const bool usable = loopback ? flags.testFlag(QNetworkInterface::IsLoopBack) &&
                                           flags.testFlag(QNetworkInterface::IsUp)
                                     : multicastCapable(iface);
        if (!usable)
            continue;
        for (const QNetworkAddressEntry& entry : iface.addressEntries()) {
            if (entry.ip().protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            if (!anyAddress && entry.ip() != m_listenAddress)
                continue;
            chosen.append({iface, entry.ip(), entry.prefixLength() > 0 ? entry.prefixLength() : 32});
            break; // one address per interface
        }
    }
    return chosen;
}

Result<void> DiscoveryAnnouncer::start()
{
    if (m_running)
        return {};
    if (m_listenAddress.protocol() == QAbstractSocket::IPv6Protocol &&
        m_listenAddress != QHostAddress::AnyIPv6) {
        qCInfo(lcDiscovery) << "discovery: the server listens on" << m_listenAddress.toString()
                            << "only; IPv6 is not announced (IPv4 mDNS only)";
        return {};
    }
    if (!m_socket.bind(QHostAddress::AnyIPv4, m_transport.port,
                       QAbstractSocket::ShareAddress | QAbstractSocket::ReuseAddressHint)) {
        return makeError(ErrorCode::Internal, QStringLiteral("discovery: cannot bind UDP port %1: %2")
                                                  .arg(m_transport.port)
                                                  .arg(m_socket.errorString()));
    }
    // RFC 6762 section 11: mDNS packets are sent with IP TTL 255. Looped
    // back, they reach clients on this machine.
    m_socket.setSocketOption(QAbstractSocket::MulticastTtlOption, QVariant(255));
    m_socket.setSocketOption(QAbstractSocket::MulticastLoopbackOption, QVariant(1));
    m_running = true;
    updateInterfaces();
    if (m_links.empty())
        qCInfo(lcDiscovery) << "discovery: no multicast-capable interface carries"
                            << m_listenAddress.toString() << "yet; looking again every"
                            << m_transport.rescanIntervalMs << "ms";
    m_rescanTimer.start(m_transport.rescanIntervalMs);
    return {};
}

// Interfaces come and go (a cable, Wi-Fi, DHCP): new ones are joined and
// announced on, vanished ones or changed addresses get a goodbye.
void DiscoveryAnnouncer::updateInterfaces()
{
    if (!m_running)
        return;
    const QList<Candidate> wanted = chooseInterfaces();
    const auto same = [](const Candidate& c, const Link& link) {
        return c.iface.index() == link.iface.index() && c.address == link.address;
    };
    for (auto it = m_links.begin(); it != m_links.end();) {
        Link& link = **it;
        if (std::any_of(wanted.cbegin(), wanted.cend(), [&](const Candidate& c) { return same(c, link); })) {
            ++it;
            continue;
        }
        qCInfo(lcDiscovery) << "discovery: no longer announcing on" << link.iface.name();
        send(link, announcement(m_instance, ipv4Bytes(link.address), true), m_transport.group,
             m_transport.port);
        m_socket.leaveMulticastGroup(m_transport.group, link.iface);
        it = m_links.erase(it);
    }
    bool added = false;
    for (const Candidate& c : wanted) {
        if (std::any_of(m_links.cbegin(), m_links.cend(), [&](const auto& link) { return same(c, *link); }))
            continue;
        if (!m_socket.joinMulticastGroup(m_transport.group, c.iface)) {
            qCWarning(lcDiscovery) << "discovery: cannot join" << m_transport.group.toString() << "on"
                                   << c.iface.name() << m_socket.errorString();
            continue;
        }
        auto link = std::make_unique<Link>();
        link->iface = c.iface;
        link->address = c.address;
        link->prefixLength = c.prefixLength;
        link->responseTimer.setSingleShot(true);
        Link* raw = link.get();
        connect(&link->responseTimer, &QTimer::timeout, this, [this, raw] { flushPending(*raw); });
        m_links.push_back(std::move(link));
        qCInfo(lcDiscovery).noquote()
            << "discovery: announcing" << QString::fromUtf8(m_instance.instanceLabel) << "on"
            << c.iface.name() << "as" << c.address.toString();
        added = true;
    }
    if (added) {
        m_announcementsSent = 0;
        announceAll(false);
    }
}

void DiscoveryAnnouncer::stop()
{
    if (!m_running)
        return;
    m_rescanTimer.stop();
    m_announceTimer.stop();
    announceAll(true);
    m_running = false;
    m_links.clear();
    m_socket.close();
}

void DiscoveryAnnouncer::announceAll(bool goodbye)
{
    for (auto& link : m_links) {
        send(*link, announcement(m_instance, ipv4Bytes(link->address), goodbye), m_transport.group,
             m_transport.port);
        link->lastMulticastMs = m_clock.elapsed();
    }
    if (goodbye)
        return;
    ++m_announcementsSent;
    // What a test (or an administrator) waits for to know the start-up
    // announcements are over (QT_LOGGING_RULES="confab.server.discovery.debug=true").
    qCDebug(lcDiscovery) << "discovery: announcement" << m_announcementsSent << "of"
                         << m_transport.announcements << "sent";
    if (m_announcementsSent < m_transport.announcements)
        m_announceTimer.start(m_transport.announceIntervalMs);
}

void DiscoveryAnnouncer::onReadyRead()
{
    while (m_socket.hasPendingDatagrams()) {
        // One byte more than the largest accepted packet: a larger one is cut
        // and then rejected by the parser, never buffered whole.
        const QNetworkDatagram datagram = m_socket.receiveDatagram(kMaxMessageBytes + 1);
        if (!m_running || !datagram.isValid())
            continue;
        auto message = parseDnsMessage(datagram.data());
        if (!message) {
            qCDebug(lcDiscovery) << "discovery: ignoring a packet from" << datagram.senderAddress().toString()
                                 << message.error().message;
            continue;
        }
        if (message->isResponse())
            continue; // answers of others (and our own, looped back)
        handleQuery(message.value(), datagram.senderAddress(), quint16(datagram.senderPort()),
                    datagram.interfaceIndex());
    }
}

DiscoveryAnnouncer::Link* DiscoveryAnnouncer::linkFor(int interfaceIndex, const QHostAddress& sender)
{
    // RFC 6762 section 11: only queries from this link are answered; a
    // spoofed off-link source could otherwise make us reflect traffic.
    for (auto& link : m_links) {
        if (interfaceIndex > 0 && link->iface.index() != interfaceIndex)
            continue;
        const QHostAddress ipv4 = QHostAddress(sender.toIPv4Address());
        if (ipv4.isInSubnet(link->address, link->prefixLength) || ipv4 == link->address)
            return link.get();
    }
    return nullptr;
}

void DiscoveryAnnouncer::handleQuery(const DnsMessage& query, const QHostAddress& sender, quint16 senderPort,
                                     int interfaceIndex)
{
    Link* link = linkFor(interfaceIndex, sender);
    if (!link)
        return;
    auto response = responseTo(query, m_instance, ipv4Bytes(link->address));
    if (!response)
        return;
    if (senderPort != m_transport.port) { // a legacy resolver: a plain DNS answer to it alone
        send(*link, legacyUnicastReply(*response, query), sender, senderPort);
        return;
    }
    const bool unicastWanted = std::any_of(query.questions.cbegin(), query.questions.cend(),
                                           [](const DnsQuestion& q) { return q.unicastResponse; });
    if (unicastWanted) {
        send(*link, *response, sender, senderPort);
        return;
    }
    link->pendingQuery.questions += query.questions;
    link->pendingQuery.answers += query.answers;
    if (link->responseTimer.isActive())
        return;
    const qint64 now = m_clock.elapsed();
    const qint64 jitter = 20 + QRandomGenerator::global()->bounded(101);
    const qint64 at = qMax(now + jitter, link->lastMulticastMs + kMinMulticastIntervalMs);
    link->responseTimer.start(int(at - now));
}

void DiscoveryAnnouncer::flushPending(Link& link)
{
    const DnsMessage query = std::exchange(link.pendingQuery, DnsMessage{});
    if (!m_running)
        return;
    if (auto response = responseTo(query, m_instance, ipv4Bytes(link.address))) {
        send(link, *response, m_transport.group, m_transport.port);
        link.lastMulticastMs = m_clock.elapsed();
    }
}

void DiscoveryAnnouncer::send(Link& link, const DnsMessage& message, const QHostAddress& to, quint16 port)
{
    auto encoded = encodeDnsMessage(message);
    if (!encoded) {
        qCWarning(lcDiscovery) << "discovery:" << encoded.error().message;
        return;
    }
    if (to.isMulticast())
        m_socket.setMulticastInterface(link.iface);
    if (m_socket.writeDatagram(encoded.value(), to, port) < 0)
        qCDebug(lcDiscovery) << "discovery: sending on" << link.iface.name()
                             << "failed:" << m_socket.errorString();
}

} // namespace confab::server
