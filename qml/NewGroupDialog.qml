import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Create a group: a name, an optional topic, whether anyone on the server may
// find and join it (public), and the members, picked from a user search.
ThemedDialog {
    id: dialog

    required property RoomsController rooms
    // userId -> "Display Name (@username)": the handle always, since people
    // being picked are not told apart by a room yet and names may look alike.
    property var picked: ({})
    readonly property int pickedCount: Object.keys(picked).length

    function toggle(userId, name) {
        const next = Object.assign({}, picked)
        if (next[userId] !== undefined)
            delete next[userId]
        else
            next[userId] = name
        picked = next
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(440, parent.width - 32)
    height: Math.min(600, parent.height - 64)
    modal: true
    title: qsTr("New group")
    standardButtons: Dialog.Cancel | Dialog.Ok

    onOpened: {
        nameField.text = ""
        topicField.text = ""
        publicSwitch.checked = false
        searchField.text = ""
        picked = {}
        dialog.rooms.searchUsers("")
        nameField.forceActiveFocus()
    }
    onAccepted: {
        const ids = Object.keys(picked).map(Number)
        dialog.rooms.createGroup(nameField.text, ids, topicField.text, publicSwitch.checked)
    }
    Component.onCompleted: standardButton(Dialog.Ok).text = qsTr("Create")

    Binding {
        target: dialog.standardButton(Dialog.Ok)
        property: "enabled"
        value: nameField.text.trim() !== ""
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        ThemedField {
            id: nameField
            objectName: "groupNameField"
            Layout.fillWidth: true
            placeholderText: qsTr("Group name, e.g. 设计评审")
            maximumLength: 100
        }
        ThemedField {
            id: topicField
            objectName: "groupTopicField"
            Layout.fillWidth: true
            placeholderText: qsTr("Topic (optional): what the group is for")
            maximumLength: 500
        }
        ThemedSwitch {
            id: publicSwitch
            objectName: "groupPublicSwitch"
            Layout.fillWidth: true
            text: qsTr("Public — anyone on the server can find and join")
        }
        Text {
            objectName: "pickedMembers"
            Layout.fillWidth: true
            text: dialog.pickedCount === 0 ? qsTr("Add members (optional):")
                                           : qsTr("Members: %1").arg(Object.values(dialog.picked).join(", "))
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
            color: Theme.subtleText
        }
        ThemedField {
            id: searchField
            Layout.fillWidth: true
            placeholderText: qsTr("Search people by name")
            onTextChanged: dialog.rooms.searchUsers(text)
        }
        ListView {
            id: list
            objectName: "groupCandidates"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: dialog.rooms.userResults
            ScrollBar.vertical: ScrollBar {}
            delegate: UserPickerDelegate {
                width: list.width
                checkable: true
                checked: dialog.picked[userId] !== undefined
                onClicked: dialog.toggle(userId, displayName !== "" && displayName !== username
                                                 ? displayName + " (@" + username + ")" : "@" + username)
            }
        }
    }
}
