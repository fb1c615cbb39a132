#include "discovery/discovered_servers_model.h"

namespace confab::client {

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
    default:
        return {};
    }
}

QHash<int, QByteArray> DiscoveredServersModel::roleNames() const
{
    return {{NameRole, "name"},        {HostRole, "host"}, {PortRole, "port"},
            {UrlRole, "url"},          {TlsRole, "tls"},   {FingerprintRole, "fingerprint"},
            {LastSeenRole, "lastSeen"}};
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
    } else {
        m_browser.stop();
    }
    emit activeChanged();
}

int DiscoveredServersModel::indexOf(const QString& name) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).server.name == name)
            return int(i);
    }
    return -1;
}

void DiscoveredServersModel::onServerSeen(const DiscoveredServer& server)
{
    if (server.ttlSeconds <= 0)
        return onServerGone(server.name);
    Entry entry{server, QDateTime::currentDateTimeUtc(), QDeadlineTimer(qint64(server.ttlSeconds) * 1000)};
    const int row = indexOf(server.name);
    if (row >= 0) {
        m_entries[row] = entry;
        emit dataChanged(index(row), index(row));
    } else {
        beginInsertRows({}, int(m_entries.size()), int(m_entries.size()));
        m_entries.append(entry);
        endInsertRows();
        emit countChanged();
    }
    scheduleExpiry();
}

void DiscoveredServersModel::onServerGone(const QString& name)
{
    const int row = indexOf(name);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    emit countChanged();
    scheduleExpiry();
}

void DiscoveredServersModel::removeExpired()
{
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        if (m_entries.at(row).expires.hasExpired())
            onServerGone(m_entries.at(row).server.name);
    }
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

} // namespace confab::client
