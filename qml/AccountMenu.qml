import QtQuick
import QtQuick.Controls
import Confab.Client

// The menu beside my name: new conversations, notification preferences
// (sound, keeping the app in the tray), signing out.
Menu {
    id: menu

    required property AccountController account
    required property AttentionController attention
    // Explicit, so that a menu follows a switch of Theme while it exists.
    palette.window: Theme.surface
    palette.windowText: Theme.text
    palette.text: Theme.text
    palette.buttonText: Theme.text
    palette.mid: Theme.border
    palette.dark: Theme.subtleText
    palette.light: Theme.hover
    palette.midlight: Theme.hover

    signal newDmRequested()
    signal newGroupRequested()

    MenuItem { text: qsTr("New direct message…"); onTriggered: menu.newDmRequested() }
    MenuItem { text: qsTr("New group…"); onTriggered: menu.newGroupRequested() }
    MenuSeparator {}
    MenuItem {
        objectName: "soundToggle"
        checkable: true
        checked: menu.attention.soundEnabled
        text: qsTr("Notification sound")
        onToggled: menu.attention.soundEnabled = checked
    }
    MenuItem {
        objectName: "closeToTrayToggle"
        visible: menu.attention.trayAvailable
        height: visible ? implicitHeight : 0
        checkable: true
        checked: menu.attention.closeToTray
        text: qsTr("Keep running in the tray when closed")
        onToggled: menu.attention.closeToTray = checked
    }
    MenuSeparator {}
    MenuItem { text: qsTr("Sign out"); onTriggered: menu.account.signOut() }
}
