#pragma once

#include "account_controller.h"
#include "discovery/discovery_browser.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

// The Confab servers on the LAN, for the login page. Every text is untrusted
// network input (QML shows it with Text.PlainText), and so is every claim:
// anyone on the LAN can announce any name. So a row is one announcement as
// a whole — (name, address, port, TLS, fingerprint) — updated in place only
// when exactly that is seen again, removed on its goodbye (from its own
// address, for its port) or when its TTL runs out. An announcement never replaces another
// one: a second server under a known name is a second row, and rows that
// disagree about TLS or the certificate carry a warning (`warning`,
// `suspicious`), as does a row that contradicts what the user trusted before
// (a pinned certificate for its address, or for its name). docs/discovery.md.
class DiscoveredServersModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    // Where the user's pins are read from (the profile's settings).
    Q_PROPERTY(confab::client::AccountController* account READ account WRITE setAccount NOTIFY accountChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        HostRole, // the address to connect to, e.g. "192.168.1.10"
        PortRole,
        UrlRole, // ws://host:port/ or wss://…, as text for the server field
        TlsRole,
        FingerprintRole, // "AB:CD:…" (SHA-256), empty without TLS
        LastSeenRole,    // QDateTime of the latest announcement or answer
        WarningRole,     // why this one may not be the server it claims to be; "" when nothing is off
        SuspiciousRole,  // bool: WarningRole is not empty
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
    AccountController* account() const { return m_account; }
    void setAccount(AccountController* account);
    // Pins to check announcements against (not owned; nullptr: none).
    void setPinStore(CertificatePinStore* pins);
    // Looks at the pins again (the user may have trusted a certificate since).
    Q_INVOKABLE void recheck();

    // What the browser reports (public for tests that feed it directly).
    void onServerSeen(const confab::client::DiscoveredServer& server);
    // Removes the rows of `name` at `from` (and on `port`, unless 0).
    void onServerGone(const QString& name, const QHostAddress& from, quint16 port = 0);

signals:
    void activeChanged();
    void countChanged();
    void errorTextChanged();
    void accountChanged();

private:
    struct Entry {
        DiscoveredServer server;
        QDateTime lastSeen;
        QDeadlineTimer expires;
        QString warning;
    };
    void removeRow(int row);
    void removeExpired();
    void scheduleExpiry();
    int indexOf(const DiscoveredServer& server) const;
    QString warningFor(const Entry& entry) const;
    void rememberTrustedNames();
    void refreshWarnings();

    DiscoveryBrowser m_browser;
    QList<Entry> m_entries;
    QTimer m_expiryTimer;
    QString m_errorText;
    QPointer<AccountController> m_account;
    CertificatePinStore* m_pins = nullptr;
    bool m_full = false; // the row limit was hit (logged once)
};

} // namespace confab::client
