#pragma once

#include <QObject>
#include <QString>
#include <QVariantMap>

#include <functional>

namespace confab::client {

// Desktop notifications through the freedesktop Notifications D-Bus service
// (KDE, GNOME, most Linux desktops). Returns false when no service is there;
// the app then shows an in-window banner instead. Virtual so that tests
// can stand in for the desktop without a bus.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    struct Notification {
        QString title;
        QString body;           // plain text; escaped for servers that read markup
        uint replacesId = 0;    // the notification this one replaces (0: a new one)
        bool clickable = false; // offers the "default" action (a click on it)
        bool sound = true;      // the server's "new message" sound, or none
    };

    explicit DesktopNotifier(QObject* parent = nullptr);
    virtual ~DesktopNotifier() = default;
    virtual bool isAvailable() const;
    bool notify(const QString& title, const QString& body);
    // Sends `n`; `onId` gets the server's id for it (0 when it failed), which
    // later replaces it, closes it, and names it in activated()/closed().
    // Never blocks: the id comes with the reply.
    virtual bool notify(const Notification& n, std::function<void(uint id)> onId);
    virtual void close(uint id);

signals:
    void activated(uint id); // the user clicked the notification
    void closed(uint id);    // expired, dismissed or closed

private slots:
    void onActionInvoked(uint id, const QString& actionKey);
    void onNotificationClosed(uint id, uint reason);

private:
    bool m_listening = false;
};

} // namespace confab::client
