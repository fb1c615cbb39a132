#pragma once

#include "certificate_trust.h"

#include <QHash>
#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>

namespace confab::client {

// Per-profile settings (INI in the platform's config location,
// "confab/<profile>.ini"): the last server and username, the pinned TLS
// certificate fingerprint of each server, and the fingerprint each LAN
// server name was trusted with (public data). Never secrets.
class ClientSettings : public CertificatePinStore {
public:
    explicit ClientSettings(const QString& profile);

    QUrl lastServer() const; // default ws://127.0.0.1:7860
    void setLastServer(const QUrl& url);
    QString lastUsername() const;
    void setLastUsername(const QString& username);
    QString fileName() const;
    // How often each emoji was picked (reactions and the composer), so the
    // picker offers the user's own favourites first.
    QHash<QString, int> emojiUse() const;
    void setEmojiUse(const QHash<QString, int>& use);
    // Notifications play the desktop's message sound (default on).
    bool notificationSound() const;
    void setNotificationSound(bool on);
    // Closing the window hides it to the tray, when there is one (default on).
    bool closeToTray() const;
    void setCloseToTray(bool on);

    // Pins, under [certificatePins] keyed "host:port" (serverAuthority()).
    QString pinnedFingerprint(const QUrl& server) const override;
    void setPinnedFingerprint(const QUrl& server, const QString& fingerprint) override;
    void forgetPinnedFingerprint(const QUrl& server) override;
    // Under [announcedNames], keyed by the hex of the name's UTF-8 (names
    // come from the network: no QSettings key syntax of theirs is trusted).
    QString fingerprintForServerName(const QString& name) const override;
    void setFingerprintForServerName(const QString& name, const QString& fingerprint) override;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace confab::client
