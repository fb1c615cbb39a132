#pragma once

#include <QIcon>
#include <QMenu>
#include <QObject>
#include <QPointer>
#include <QSystemTrayIcon>

class QWindow;

namespace confab::client {
class AttentionController;
}

namespace confab::ui {

// The icon in the system tray (on Linux desktops Qt speaks the
// StatusNotifierItem protocol when a watcher is there, else the XEmbed
// tray): the unread total on the icon and in its tooltip (muted rooms left
// out), a click brings the window back, the menu shows it or quits. Tells
// AttentionController whether a tray is there, which makes closing the
// window hide it instead (when the user keeps that setting on).
class Tray : public QObject {
    Q_OBJECT
public:
    Tray(client::AttentionController* attention, QWindow* window, QObject* parent = nullptr);

    bool isVisible() const { return m_icon.isVisible(); }
    QString toolTip() const { return m_icon.toolTip(); }
    // What the desktop shows: for tests and screenshots (no tray offscreen).
    QIcon icon() const { return m_icon.icon(); }
    QMenu* menu() { return &m_menu; }

    // "" for none, "1".."99", "99+": what fits on a small icon.
    static QString badgeText(int count);
    static QString toolTipFor(int count);
    // `base` with the count in a red disc in its top-right corner.
    static QIcon badgedIcon(const QIcon& base, int count);

private:
    void update();
    void showWindow();

    client::AttentionController* const m_attention;
    QPointer<QWindow> m_window;
    QSystemTrayIcon m_icon;
    QMenu m_menu;
    QIcon m_base;
};

} // namespace confab::ui
