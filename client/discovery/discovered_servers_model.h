#pragma once

#include "discovery/discovery_browser.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

// The Confab servers on the LAN, for the login page: one row per announced
// instance name, updated in place when it is seen again, removed on its
// goodbye or when its records' TTL runs out. Browsing runs while `active`
// (the login page sets it while visible). Every text is untrusted network
// input: QML shows it with Text.PlainText.
class DiscoveredServersModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        HostRole, // the address to connect to, e.g. "192.168.1.10"
        PortRole,
        UrlRole, // ws://host:port/ or wss://…, as text for the server field
        TlsRole,
        FingerprintRole, // "AB:CD:…" (SHA-256), empty without TLS
        LastSeenRole,    // QDateTime of the latest announcement or answer
    };
    Q_ENUM(Role)

    explicit DiscoveredServersModel(QObject* parent = nullptr);
    // Tests browse on their own port.
    DiscoveredServersModel(DiscoveryBrowser::Transport transport, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool isActive() const { return m_browser.isRunning(); }
    void setActive(bool active);
    QString errorText() const { return m_errorText; }

    // What the browser reports (public for tests that feed it directly).
    void onServerSeen(const confab::client::DiscoveredServer& server);
    void onServerGone(const QString& name);

signals:
    void activeChanged();
    void countChanged();
    void errorTextChanged();

private:
    struct Entry {
        DiscoveredServer server;
        QDateTime lastSeen;
        QDeadlineTimer expires;
    };
    void removeExpired();
    void scheduleExpiry();
    int indexOf(const QString& name) const;

    DiscoveryBrowser m_browser;
    QList<Entry> m_entries;
    QTimer m_expiryTimer;
    QString m_errorText;
};

} // namespace confab::client
