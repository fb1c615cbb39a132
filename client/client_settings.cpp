#include "client_settings.h"

#include "server_address.h"

#include <QDir>
#include <QStandardPaths>

namespace confab::client {

namespace {

const QString kServerKey = QStringLiteral("server");
const QString kUsernameKey = QStringLiteral("username");
const QString kPinsGroup = QStringLiteral("certificatePins/");
const QString kNamesGroup = QStringLiteral("announcedNames/");
const QString kEmojiUseKey = QStringLiteral("emojiUse");
const QString kSoundKey = QStringLiteral("notifications/sound");
const QString kCloseToTrayKey = QStringLiteral("window/closeToTray");

QString nameKey(const QString& name)
{
    return kNamesGroup + QString::fromLatin1(name.toUtf8().toHex());
}

// Profile names become file names: keep [A-Za-z0-9_-], replace the rest.
QString sanitizedProfile(const QString& profile)
{
    QString name;
    name.reserve(profile.size());
    for (const QChar c : profile) {
        const bool keep = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                          (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                          (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
                          c == QLatin1Char('-');
        name.append(keep ? c : QLatin1Char('_'));
    }
    return name.isEmpty() ? QStringLiteral("default") : name;
}

} // namespace

QHash<QString, int> ClientSettings::emojiUse() const
{
    // Stored as one list ["😀", "3", ...]: emoji make poor QSettings keys.
    const QStringList flat = m_settings->value(kEmojiUseKey).toStringList();
    QHash<QString, int> use;
    for (int i = 0; i + 1 < flat.size(); i += 2)
        use.insert(flat.at(i), flat.at(i + 1).toInt());
    return use;
}

void ClientSettings::setEmojiUse(const QHash<QString, int>& use)
{
    QStringList flat;
    for (auto it = use.cbegin(); it != use.cend(); ++it)
        flat << it.key() << QString::number(it.value());
    m_settings->setValue(kEmojiUseKey, flat);
}

bool ClientSettings::notificationSound() const
{
    return m_settings->value(kSoundKey, true).toBool();
}

void ClientSettings::setNotificationSound(bool on)
{
    m_settings->setValue(kSoundKey, on);
    m_settings->sync();
}

bool ClientSettings::closeToTray() const
{
    return m_settings->value(kCloseToTrayKey, true).toBool();
}

void ClientSettings::setCloseToTray(bool on)
{
    m_settings->setValue(kCloseToTrayKey, on);
    m_settings->sync();
}

ClientSettings::ClientSettings(const QString& profile)
{
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/confab");
    QDir().mkpath(dir);
    m_settings = std::make_unique<QSettings>(
        dir + QLatin1Char('/') + sanitizedProfile(profile) + QStringLiteral(".ini"), QSettings::IniFormat);
}

QUrl ClientSettings::lastServer() const
{
    const QUrl url(m_settings->value(kServerKey).toString(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return QUrl(QStringLiteral("ws://127.0.0.1:7860"));
    return url;
}

void ClientSettings::setLastServer(const QUrl& url)
{
    // Never user info or a query: they could carry a password or a token.
    m_settings->setValue(kServerKey, url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery).toString());
    m_settings->sync();
}

QString ClientSettings::lastUsername() const
{
    return m_settings->value(kUsernameKey).toString();
}

void ClientSettings::setLastUsername(const QString& username)
{
    m_settings->setValue(kUsernameKey, username);
    m_settings->sync();
}

QString ClientSettings::fileName() const
{
    return m_settings->fileName();
}

QString ClientSettings::pinnedFingerprint(const QUrl& server) const
{
    return normalizedFingerprint(m_settings->value(kPinsGroup + serverAuthority(server)).toString());
}

void ClientSettings::setPinnedFingerprint(const QUrl& server, const QString& fingerprint)
{
    m_settings->setValue(kPinsGroup + serverAuthority(server), normalizedFingerprint(fingerprint));
    m_settings->sync();
}

void ClientSettings::forgetPinnedFingerprint(const QUrl& server)
{
    m_settings->remove(kPinsGroup + serverAuthority(server));
    m_settings->sync();
}

QString ClientSettings::fingerprintForServerName(const QString& name) const
{
    return normalizedFingerprint(m_settings->value(nameKey(name)).toString());
}

void ClientSettings::setFingerprintForServerName(const QString& name, const QString& fingerprint)
{
    const QString normalized = normalizedFingerprint(fingerprint);
    if (normalized.isEmpty())
        m_settings->remove(nameKey(name));
    else
        m_settings->setValue(nameKey(name), normalized);
    m_settings->sync();
}

} // namespace confab::client
