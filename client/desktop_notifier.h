#pragma once

#include <QObject>
#include <QString>

namespace confab::client {

// Desktop notifications through the freedesktop Notifications D-Bus service
// (KDE, GNOME, most Linux desktops). Returns false when no service is there;
// the app then shows an in-window banner instead.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(QObject* parent = nullptr);
    bool isAvailable() const;
    bool notify(const QString& title, const QString& body);
};

} // namespace confab::client
