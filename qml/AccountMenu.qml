import QtQuick
import QtQuick.Controls
import Confab.Client
import Confab.Ui // AvatarPicker, a C++ type of this module

// The menu beside my name: my status (available, away, do not disturb —
// which also keeps notifications quiet) and status text, my profile and
// password, read receipts, notification preferences (sound, keeping the app
// in the tray), new conversations, signing out.
Menu {
    id: menu

    required property AccountController account
    required property AttentionController attention
    required property ProfileController profile
    // My picture (issue 15); without it the avatar entries are not offered.
    property AvatarController avatars: null
    // Explicit, so that a menu follows a switch of Theme while it exists.
    palette.window: Theme.surface
    palette.windowText: Theme.text
    palette.text: Theme.text
    palette.buttonText: Theme.text
    palette.mid: Theme.border
    palette.dark: Theme.subtleText
    palette.light: Theme.hover
    palette.midlight: Theme.hover

    // Cropped to the centred square and scaled to 256×256 off the GUI thread.
    readonly property AvatarPicker picker: AvatarPicker {
        onChosen: (file) => menu.avatars.setAvatarFromFile(file)
    }

    signal newDmRequested()
    signal newGroupRequested()
    signal profileDialogRequested(string mode)

    function setStatus(status) {
        if (status !== menu.profile.status)
            menu.profile.setStatus(status, menu.profile.statusText)
    }

    MenuItem {
        objectName: "statusAvailable"
        checkable: true
        checked: menu.profile.status === ProfileController.Available
        text: "\u{1F7E2}  " + qsTr("Available")
        onTriggered: {
            // A click toggles `checked` and ends its binding: bind it again.
            checked = Qt.binding(() => menu.profile.status === ProfileController.Available)
            menu.setStatus(ProfileController.Available)
        }
    }
    MenuItem {
        objectName: "statusAway"
        checkable: true
        checked: menu.profile.status === ProfileController.Away
        text: "\u{1F7E1}  " + qsTr("Away")
        onTriggered: {
            // A click toggles `checked` and ends its binding: bind it again.
            checked = Qt.binding(() => menu.profile.status === ProfileController.Away)
            menu.setStatus(ProfileController.Away)
        }
    }
    MenuItem {
        objectName: "statusDnd"
        checkable: true
        checked: menu.profile.status === ProfileController.Dnd
        text: "\u26D4  " + qsTr("Do not disturb")
        onTriggered: {
            // A click toggles `checked` and ends its binding: bind it again.
            checked = Qt.binding(() => menu.profile.status === ProfileController.Dnd)
            menu.setStatus(ProfileController.Dnd)
        }
    }
    MenuItem {
        objectName: "statusTextItem"
        text: menu.profile.statusText === "" ? qsTr("Set a status message…")
                                             : qsTr("Status: %1").arg(menu.profile.statusText)
        onTriggered: menu.profileDialogRequested("status")
    }
    MenuSeparator {}
    MenuItem { text: qsTr("Edit profile…"); onTriggered: menu.profileDialogRequested("name") }
    MenuItem {
        objectName: "setAvatarItem"
        visible: menu.avatars !== null
        height: visible ? implicitHeight : 0
        enabled: menu.avatars !== null && !menu.avatars.busy
        text: menu.avatars && menu.avatars.busy ? qsTr("Setting avatar…") : qsTr("Set avatar…")
        onTriggered: menu.picker.open()
    }
    MenuItem {
        objectName: "removeAvatarItem"
        visible: menu.avatars !== null && menu.avatars.hasAvatar
        height: visible ? implicitHeight : 0
        enabled: menu.avatars !== null && !menu.avatars.busy
        text: qsTr("Remove avatar")
        onTriggered: menu.avatars.removeAvatar()
    }
    MenuItem { text: qsTr("Change password…"); onTriggered: menu.profileDialogRequested("password") }
    MenuItem {
        objectName: "receiptsToggle"
        visible: menu.profile.receiptsAllowed
        height: visible ? implicitHeight : 0
        checkable: true
        checked: menu.profile.sendReceipts
        text: qsTr("Send read receipts")
        onToggled: menu.profile.setSendReceipts(checked)
    }
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
    MenuItem { text: qsTr("New direct message…"); onTriggered: menu.newDmRequested() }
    MenuItem { text: qsTr("New group…"); onTriggered: menu.newGroupRequested() }
    MenuSeparator {}
    MenuItem { text: qsTr("Sign out"); onTriggered: menu.account.signOut() }
}
