#include "discovery/discovery_browser.h"

#include "discovery/dns_sd.h"

#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QVariant>
#include <QtEndian>

Q_LOGGING_CATEGORY(lcClientDiscovery, "confab.client.discovery")

namespace confab::client {

using namespace confab::discovery;

namespace {

// An untrusted name for display: no control characters (a newline would
// fake a second row), nothing beyond one label's 63 bytes.
QString displayName(const QByteArray& label)
{
    QString name = QString::fromUtf8(label);
    name.removeIf([](QChar c) {
        return c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
               c == QChar::ParagraphSeparator;
    });
    return name.trimmed();
}

// The TXT fp= value if it looks like a SHA-256 fingerprint: 32 hex bytes
// joined by colons. Anything else is dropped rather than shown.
QString fingerprintFrom(const QByteArray& value)
{
    const QByteArray upper = value.toUpper();
    const QList<QByteArray> parts = upper.split(':');
    if (parts.size() != 32)
        return {};
    for (const QByteArray& part : parts) {
        if (part.size() != 2 || !std::all_of(part.cbegin(), part.cend(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
            }))
            return {};
    }
    return QString::fromLatin1(upper);
}

// A path= value that is a plain absolute path, else "/".
QString pathFrom(const QByteArray& value)
{
    if (!value.startsWith('/') || value.size() > 200)
        return QStringLiteral("/");
    for (char c : value) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                             QByteArray("/-._~").contains(c);
        if (!allowed)
            return QStringLiteral("/");
    }
    return QString::fromLatin1(value);
}

// The port in a goodbye's SRV record for the instance; 0 when there is none.
quint16 goodbyePort(const DnsMessage& message, const QByteArray& instanceLabel)
{
    const DnsName instance = confabServiceType().prepended(instanceLabel);
    const QList<DnsRecord> records = message.allRecords();
    for (const DnsRecord& r : records) {
        if (r.type == quint16(DnsType::SRV) && r.name == instance)
            return r.port;
    }
    return 0;
}

bool usable(const QNetworkInterface& iface)
{
    const auto flags = iface.flags();
    if (!flags.testFlag(QNetworkInterface::IsUp))
        return false;
    if (flags.testFlag(QNetworkInterface::IsLoopBack))
        return true; // servers listening on 127.0.0.1 announce there
    return flags.testFlag(QNetworkInterface::IsRunning) && flags.testFlag(QNetworkInterface::CanMulticast);
}

bool hasIpv4(const QNetworkInterface& iface)
{
    const auto entries = iface.addressEntries();
    return std::any_of(entries.cbegin(), entries.cend(), [](const QNetworkAddressEntry& e) {
        return e.ip().protocol() == QAbstractSocket::IPv4Protocol;
    });
}

} // namespace

QUrl DiscoveredServer::url() const
{
    QUrl url;
    url.setScheme(tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(address.toString());
    url.setPort(port);
    url.setPath(path);
    return url;
}

DiscoveryBrowser::DiscoveryBrowser(Transport transport, QObject* parent)
    : QObject(parent)
    , m_transport(std::move(transport))
{
    qRegisterMetaType<DiscoveredServer>();
    m_queryTimer.setSingleShot(true);
    connect(&m_queryTimer, &QTimer::timeout, this, &DiscoveryBrowser::sendQuery);
    connect(&m_socket, &QUdpSocket::readyRead, this, &DiscoveryBrowser::onReadyRead);
}

Result<void> DiscoveryBrowser::start()
{
    if (m_running)
        return {};
    m_legacy = false;
    if (!m_socket.bind(QHostAddress::AnyIPv4, m_transport.port,
                       QAbstractSocket::ShareAddress | QAbstractSocket::ReuseAddressHint)) {
        qCInfo(lcClientDiscovery) << "discovery: port" << m_transport.port << "is taken ("
                                  << m_socket.errorString() << "), asking with unicast replies";
        m_socket.close();
        m_legacy = true;
        if (!m_socket.bind(QHostAddress::AnyIPv4, 0))
            return makeError(
                ErrorCode::Internal,
                QStringLiteral("discovery: cannot bind a UDP socket: %1").arg(m_socket.errorString()));
    }
    m_socket.setSocketOption(QAbstractSocket::MulticastTtlOption, QVariant(255));
    m_socket.setSocketOption(QAbstractSocket::MulticastLoopbackOption, QVariant(1));
    m_running = true;
    m_joined.clear();
    queryNow();
    return {};
}

void DiscoveryBrowser::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_queryTimer.stop();
    m_socket.close();
    m_joined.clear();
}

void DiscoveryBrowser::queryNow()
{
    if (!m_running)
        return;
    m_intervalMs = m_transport.firstIntervalMs;
    sendQuery();
}

void DiscoveryBrowser::joinNewInterfaces()
{
    if (m_legacy)
        return; // not listening on the group's port: nothing to join
    const QList<QNetworkInterface> all = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface& iface : all) {
        const bool joined = std::any_of(m_joined.cbegin(), m_joined.cend(), [&](const QNetworkInterface& j) {
            return j.index() == iface.index();
        });
        if (joined || !usable(iface) || !hasIpv4(iface))
            continue;
        if (m_socket.joinMulticastGroup(m_transport.group, iface))
            m_joined.append(iface);
        else
            qCDebug(lcClientDiscovery)
                << "discovery: cannot join on" << iface.name() << m_socket.errorString();
    }
}

void DiscoveryBrowser::sendQuery()
{
    if (!m_running)
        return;
    joinNewInterfaces(); // a network that came up since the last query
    const QByteArray query = encodeDnsMessage(browseQuery()).value();
    const QList<QNetworkInterface> targets = m_legacy ? QNetworkInterface::allInterfaces() : m_joined;
    for (const QNetworkInterface& iface : targets) {
        if (!usable(iface) || !hasIpv4(iface))
            continue;
        m_socket.setMulticastInterface(iface);
        if (m_socket.writeDatagram(query, m_transport.group, m_transport.port) < 0)
            qCDebug(lcClientDiscovery)
                << "discovery: query on" << iface.name() << "failed:" << m_socket.errorString();
    }
    // Legacy answers live 10 s: ask again before they run out.
    const int maxInterval = m_legacy ? qMin(m_transport.maxIntervalMs, 8000) : m_transport.maxIntervalMs;
    m_queryTimer.start(m_intervalMs);
    m_intervalMs = qMin(m_intervalMs * 2, maxInterval);
}

bool DiscoveryBrowser::fromJoinedLink(const QHostAddress& sender) const
{
    // RFC 6762 section 11: answers from beyond the local link are ignored.
    const QHostAddress ipv4(sender.toIPv4Address());
    const QList<QNetworkInterface> interfaces = m_legacy ? QNetworkInterface::allInterfaces() : m_joined;
    for (const QNetworkInterface& iface : interfaces) {
        for (const QNetworkAddressEntry& entry : iface.addressEntries()) {
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol &&
                (ipv4 == entry.ip() || ipv4.isInSubnet(entry.ip(), entry.prefixLength())))
                return true;
        }
    }
    return false;
}

void DiscoveryBrowser::onReadyRead()
{
    while (m_socket.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket.receiveDatagram(kMaxMessageBytes + 1);
        if (!m_running || !datagram.isValid() || !fromJoinedLink(datagram.senderAddress()))
            continue;
        auto message = parseDnsMessage(datagram.data());
        if (!message) {
            qCDebug(lcClientDiscovery) << "discovery: ignoring a packet from"
                                       << datagram.senderAddress().toString() << message.error().message;
            continue;
        }
        const QList<ServiceSighting> sightings = sightingsIn(message.value());
        for (const ServiceSighting& s : sightings) {
            const QString name = displayName(s.instanceLabel);
            if (name.isEmpty())
                continue;
            if (s.goodbye) {
                emit serverGone(name, QHostAddress(datagram.senderAddress().toIPv4Address()),
                                goodbyePort(message.value(), s.instanceLabel));
                continue;
            }
            DiscoveredServer server;
            server.name = name;
            server.address = QHostAddress(qFromBigEndian<quint32>(s.ipv4Address.constData()));
            server.port = s.port;
            server.tls = s.txt.value("tls") == "1";
            if (server.tls)
                server.fingerprint = fingerprintFrom(s.txt.value("fp"));
            server.path = pathFrom(s.txt.value("path", "/"));
            server.ttlSeconds = int(qMin<quint32>(s.ttl, 24 * 3600));
            emit serverSeen(server);
        }
    }
}

} // namespace confab::client
