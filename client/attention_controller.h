#pragma once

#include "protocol/attention.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// What asks for the user's attention, for the window and the tray:
// notifications (and their sound), the unread total (muted rooms left out),
// close-to-tray, and each room's notification level.
class AttentionController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.attention")
    Q_PROPERTY(bool soundEnabled READ soundEnabled WRITE setSoundEnabled NOTIFY soundEnabledChanged)
    Q_PROPERTY(bool closeToTray READ closeToTray WRITE setCloseToTray NOTIFY closeToTrayChanged)
    // Set by the application when a system tray shows its icon.
    Q_PROPERTY(bool trayAvailable READ trayAvailable WRITE setTrayAvailable NOTIFY trayAvailableChanged)
    // Unread messages in rooms that are not set to "nothing".
    Q_PROPERTY(int unreadTotal READ unreadTotal NOTIFY unreadTotalChanged)

public:
    // A room's notification level, for QML (the protocol's NotifyLevel).
    enum class Level { All, Mentions, Nothing };
    Q_ENUM(Level)

    explicit AttentionController(ClientCore* core);

    bool soundEnabled() const;
    void setSoundEnabled(bool on);
    bool closeToTray() const;
    void setCloseToTray(bool on);
    bool trayAvailable() const { return m_trayAvailable; }
    void setTrayAvailable(bool available);
    int unreadTotal() const;

    // The room's level, and setting it (synced to my other devices).
    Q_INVOKABLE confab::client::AttentionController::Level roomLevel(double roomId) const;
    Q_INVOKABLE void setRoomLevel(double roomId, confab::client::AttentionController::Level level);

    static NotifyLevel toProtocol(Level level);
    static Level fromProtocol(NotifyLevel level);

signals:
    void soundEnabledChanged();
    void closeToTrayChanged();
    void trayAvailableChanged();
    void unreadTotalChanged();
    // A notification went out (`desktop`) or should be shown in the window
    // (no notification service); the taskbar entry asks for attention.
    void notified(const QString& title, const QString& body, double roomId, double messageId, bool desktop);
    // A notification was clicked: the room is opening at its message; the
    // window should come to the front.
    void raiseRequested();
    // The tray menu's Quit: the window quits, asking first when messages
    // are unsent (Main.qml), as closing it does without a tray.
    void quitRequested();

private:
    ClientCore* const d;
    bool m_trayAvailable = false;
};

} // namespace confab::client
