#pragma once

#include "desktop_notifier.h"
#include "protocol/ids.h"

#include <QHash>
#include <QObject>

#include <optional>

namespace confab::client {

// The user's notifications, one per room: a new message in a room that
// already shows one replaces it ("Team (3 new)") instead of stacking up.
// Clicking one reports the room and the message it showed; reading the room
// closes it. What deserves a notification is NotificationRule's call.
class NotificationCenter : public QObject {
    Q_OBJECT
public:
    struct Shown {
        QString title;
        QString body;
        bool desktop = false; // false: the window shows it (it is active, or no notification service)
    };

    explicit NotificationCenter(DesktopNotifier* notifier, QObject* parent = nullptr);

    bool soundEnabled() const { return m_sound; }
    void setSoundEnabled(bool on) { m_sound = on; }
    // Active: the user is looking at the app, so the window shows what
    // comes in and the desktop is not told.
    void setWindowActive(bool active) { m_windowActive = active; }

    // `roomName` is the group's name, or the other member's for a DM.
    Shown show(Id roomId, Id messageId, const QString& roomName, bool isDm, const QString& sender,
               const QString& text, bool mention);
    void clearRoom(Id roomId);     // read: its notification goes
    void clearAll();               // signed out
    int countFor(Id roomId) const; // messages the room's notification stands for

signals:
    void activated(confab::Id roomId, confab::Id messageId);

private:
    struct Group {
        uint id = 0;          // the desktop's id, once its reply came
        bool waiting = false; // the first Notify is on its way: no id to replace yet
        int count = 0;
        Id messageId = 0;                                    // the newest one shown
        std::optional<DesktopNotifier::Notification> queued; // newer content while waiting
    };
    void send(Id roomId, DesktopNotifier::Notification n);

    DesktopNotifier* const m_notifier;
    QHash<Id, Group> m_groups;
    bool m_sound = true;
    bool m_windowActive = false;
};

} // namespace confab::client
