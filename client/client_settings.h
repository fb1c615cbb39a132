#pragma once

#include <QSettings>
#include <QString>
#include <QUrl>

#include <memory>

namespace confab::client {

// Per-profile settings (INI in the platform's config location,
// "confab/<profile>.ini"): the last server and username. Never secrets.
class ClientSettings {
public:
    explicit ClientSettings(const QString& profile);

    QUrl lastServer() const;  // default ws://127.0.0.1:7860
    void setLastServer(const QUrl& url);
    QString lastUsername() const;
    void setLastUsername(const QString& username);
    QString fileName() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace confab::client
