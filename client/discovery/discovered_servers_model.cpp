#include "discovery/discovered_servers_model.h"

#include "account_controller.h"
#include "certificate_trust.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcClientDiscovery)

namespace confab::client {

namespace {

// Anyone on the LAN can announce any number of names: the list stays short.
constexpr int kMaxRows = 64;

bool sameAnnouncement(const DiscoveredServer& a, const DiscoveredServer& b)
{
    return a.name == b.name && a.address == b.address && a.port == b.port && a.tls == b.tls &&
           a.fingerprint == b.fingerprint && a.path == b.path;
}

} // namespace

DiscoveredServersModel::DiscoveredServersModel(QObject* parent)
    : DiscoveredServersModel(DiscoveryBrowser::Transport{}, parent)
{}

DiscoveredServersModel::DiscoveredServersModel(DiscoveryBrowser::Transport transport, QObject* parent)
    : QAbstractListModel(parent)
    , m_browser(std::move(transport))
{
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &DiscoveredServersModel::removeExpired);
    connect(&m_browser, &DiscoveryBrowser::serverSeen, this, &DiscoveredServersModel::onServerSeen);
    connect(&m_browser, &DiscoveryBrowser::serverGone, this, &DiscoveredServersModel::onServerGone);
}

int DiscoveredServersModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant DiscoveredServersModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return e.server.name;
    case HostRole:
        return e.server.address.toString();
    case PortRole:
        return int(e.server.port);
    case UrlRole:
        return e.server.url().toString();
    case TlsRole:
        return e.server.tls;
    case FingerprintRole:
        return e.server.fingerprint;
    case LastSeenRole:
        return e.lastSeen;
    case WarningRole:
        return e.warning;
    case SuspiciousRole:
        return !e.warning.isEmpty();
    default:
        return {};
    }
}

QHash<int, QByteArray> DiscoveredServersModel::roleNames() const
{
    return {{NameRole, "name"},         {HostRole, "host"},       {PortRole, "port"},
            {UrlRole, "url"},           {TlsRole, "tls"},         {FingerprintRole, "fingerprint"},
            {LastSeenRole, "lastSeen"}, {WarningRole, "warning"}, {SuspiciousRole, "suspicious"}};
}

void DiscoveredServersModel::setActive(bool active)
{
    if (active == isActive())
        return;
    if (active) {
        auto started = m_browser.start();
        const QString error = started ? QString() : started.error().message;
        if (error != m_errorText) {
            m_errorText = error;
            emit errorTextChanged();
        }
        recheck();
    } else {
        m_browser.stop();
    }
    emit activeChanged();
}

void DiscoveredServersModel::setAccount(AccountController* account)
{
    if (account == m_account)
        return;
    m_account = account;
    setPinStore(account ? account->pinStore() : nullptr);
    emit accountChanged();
}

void DiscoveredServersModel::setPinStore(CertificatePinStore* pins)
{
    m_pins = pins;
    recheck();
}

void DiscoveredServersModel::recheck()
{
    refreshWarnings();
}

int DiscoveredServersModel::indexOf(const DiscoveredServer& server) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (sameAnnouncement(m_entries.at(i).server, server))
            return int(i);
    }
    return -1;
}

void DiscoveredServersModel::onServerSeen(const DiscoveredServer& server)
{
    if (server.ttlSeconds <= 0)
        return onServerGone(server.name, server.address, server.port);
    const int row = indexOf(server);
    Entry entry{
        server, QDateTime::currentDateTimeUtc(), QDeadlineTimer(qint64(server.ttlSeconds) * 1000), {}};
    if (row >= 0) {
        entry.warning = m_entries.at(row).warning;
        m_entries[row] = entry;
        emit dataChanged(index(row), index(row));
    } else {
        if (m_entries.size() >= kMaxRows) {
            if (!std::exchange(m_full, true))
                qCWarning(lcClientDiscovery) << "discovery: more than" << kMaxRows
                                             << "servers announced; ignoring the rest until some go";
            return;
        }
        m_full = false;
        beginInsertRows({}, int(m_entries.size()), int(m_entries.size()));
        m_entries.append(entry);
        endInsertRows();
        emit countChanged();
    }
    refreshWarnings();
    scheduleExpiry();
}

void DiscoveredServersModel::onServerGone(const QString& name, const QHostAddress& from, quint16 port)
{
    bool removed = false;
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        const DiscoveredServer& s = m_entries.at(row).server;
        if (s.name == name && s.address == from && (port == 0 || s.port == port)) {
            removeRow(row);
            removed = true;
        }
    }
    if (removed) {
        refreshWarnings();
        scheduleExpiry();
    }
}

void DiscoveredServersModel::removeRow(int row)
{
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    emit countChanged();
}

void DiscoveredServersModel::removeExpired()
{
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        if (m_entries.at(row).expires.hasExpired())
            removeRow(row);
    }
    refreshWarnings();
    scheduleExpiry();
}

void DiscoveredServersModel::scheduleExpiry()
{
    if (m_entries.isEmpty()) {
        m_expiryTimer.stop();
        return;
    }
    qint64 soonest = std::numeric_limits<qint64>::max();
    for (const Entry& e : std::as_const(m_entries))
        soonest = qMin(soonest, e.expires.remainingTime());
    m_expiryTimer.start(int(qBound(qint64(0), soonest, qint64(24 * 3600 * 1000))) + 1);
}

// A server that announces the certificate the user pinned for its address
// has shown who owns its name: from now on that name is expected with that
// certificate, whatever address claims it.
void DiscoveredServersModel::rememberTrustedNames()
{
    if (!m_pins)
        return;
    for (const Entry& e : std::as_const(m_entries)) {
        const DiscoveredServer& s = e.server;
        if (!s.tls || s.fingerprint.isEmpty() || m_pins->pinnedFingerprint(s.url()) != s.fingerprint)
            continue;
        if (m_pins->fingerprintForServerName(s.name) != s.fingerprint)
            m_pins->setFingerprintForServerName(s.name, s.fingerprint);
    }
}

QString DiscoveredServersModel::warningFor(const Entry& entry) const
{
    const DiscoveredServer& s = entry.server;
    if (m_pins) {
        const QString forName = m_pins->fingerprintForServerName(s.name);
        if (!forName.isEmpty()) {
            if (!s.tls)
                return tr("Not encrypted (ws://), but you trusted “%1” with a TLS certificate before. It may "
                          "be "
                          "an impostor: your password would be sent in clear.")
                    .arg(s.name);
            if (s.fingerprint != forName)
                return tr("Its certificate is not the one you trusted for “%1” before. It may be an "
                          "impostor.")
                    .arg(s.name);
            return {}; // the very server the user trusted under this name
        }
        const QString forAddress = m_pins->pinnedFingerprint(s.url());
        if (!forAddress.isEmpty()) {
            if (!s.tls)
                return tr("Not encrypted (ws://), but you trusted a TLS certificate at this address before. "
                          "Your password would be sent in clear.");
            if (s.fingerprint == forAddress)
                return {};
            if (!s.fingerprint.isEmpty())
                return tr("It announces another certificate than the one you trusted at this address.");
        }
    }
    // Other servers announcing the same name right now.
    bool otherWithTls = false;
    bool otherCertificate = false;
    bool other = false;
    for (const Entry& e : m_entries) {
        if (&e == &entry || e.server.name != s.name)
            continue;
        other = true;
        otherWithTls = otherWithTls || e.server.tls;
        otherCertificate = otherCertificate || (e.server.tls && e.server.fingerprint != s.fingerprint);
    }
    if (!s.tls && otherWithTls)
        return tr("Not encrypted (ws://), while another server announces “%1” with TLS. It may be an "
                  "impostor: "
                  "your password would be sent in clear.")
            .arg(s.name);
    if (s.tls && otherCertificate)
        return tr("Another server announces “%1” with a different certificate. Compare the fingerprint with "
                  "the one your administrator gave you.")
            .arg(s.name);
    if (!s.tls && other && !otherWithTls)
        return tr("Another server on the network announces the same name. Check the address with your "
                  "administrator.");
    return {};
}

void DiscoveredServersModel::refreshWarnings()
{
    rememberTrustedNames();
    for (int row = 0; row < m_entries.size(); ++row) {
        const QString warning = warningFor(m_entries.at(row));
        if (warning == m_entries.at(row).warning)
            continue;
        m_entries[row].warning = warning;
        emit dataChanged(index(row), index(row), {WarningRole, SuspiciousRole});
    }
}

} // namespace confab::client
