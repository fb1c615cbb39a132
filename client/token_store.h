#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

namespace confab::client {

// The session token in the OS keychain (QtKeychain: Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows), one entry per profile
// and server. Never the password, and never a plain-text fallback: without a
// working keychain the session is simply not remembered (unavailable()).
// Jobs are asynchronous; results arrive as signals.
class TokenStore : public QObject {
    Q_OBJECT
public:
    explicit TokenStore(const QString& profile, QObject* parent = nullptr);

    // The keychain service name ("Confab"; tests may use their own).
    void setServiceName(const QString& name) { m_service = name; }

    void load(const QUrl& server);                                     // -> loaded() or notFound() or unavailable()
    void save(const QUrl& server, const QString& username, const QString& token); // -> saved() or unavailable()
    void remove(const QUrl& server);                                   // -> removed() (also when there was none)

    QString entryKey(const QUrl& server) const; // "profile/<profile>/<server>"

signals:
    void loaded(const QUrl& server, const QString& username, const QString& token);
    void notFound(const QUrl& server);
    void saved(const QUrl& server);
    void removed(const QUrl& server);
    // The keychain cannot be used (no Secret Service, locked, denied): a
    // message for the user, e.g. "Your login cannot be remembered: ...".
    void unavailable(const QString& message);

private:
    QString m_profile;
    QString m_service = QStringLiteral("Confab");
};

} // namespace confab::client
