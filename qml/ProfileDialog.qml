import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Status text and display name, or a new password: what the account menu's
// "Set status…", "Edit profile…" and "Change password…" open (`mode`).
ThemedDialog {
    id: dialog

    required property ProfileController profile
    property string mode: "status" // "status", "name" or "password"
    property string message: ""

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(420, parent ? parent.width - 32 : 420)
    modal: true
    title: mode === "status" ? qsTr("Set a status")
         : mode === "name" ? qsTr("Edit profile") : qsTr("Change password")
    standardButtons: Dialog.Cancel | Dialog.Ok

    function openFor(which) {
        mode = which
        message = ""
        statusField.text = profile.statusText
        nameField.text = profile.displayName
        oldField.text = ""
        newField.text = ""
        open()
    }

    onAccepted: {
        if (mode === "status")
            profile.setStatus(profile.status, statusField.text)
        else if (mode === "name")
            profile.setDisplayName(nameField.text)
        else
            profile.changePassword(oldField.text, newField.text)
    }

    ColumnLayout {
        width: parent.width
        spacing: 8
        ThemedField {
            id: statusField
            objectName: "statusTextField"
            visible: dialog.mode === "status"
            Layout.fillWidth: true
            placeholderText: qsTr("What are you up to? (e.g. In a meeting)")
            maximumLength: 100
        }
        ThemedField {
            id: nameField
            objectName: "displayNameField"
            visible: dialog.mode === "name"
            Layout.fillWidth: true
            placeholderText: qsTr("Display name")
            maximumLength: 64
        }
        ThemedField {
            id: oldField
            visible: dialog.mode === "password"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: qsTr("Current password")
        }
        ThemedField {
            id: newField
            visible: dialog.mode === "password"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: qsTr("New password")
        }
    }
}
