import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// The open room's details, sliding in from the right (the header's title or
// "Info", the room menu): name and topic (edited in place by the owner and
// admins), the members with their roles and presence, adding people, each
// member's actions, leaving. Only what my role allows is shown (the rights
// are GroupController's). In a DM: the other person, nothing to manage.
Drawer {
    id: panel
    objectName: "groupInfoPanel"

    required property GroupController groups
    required property RoomsController rooms

    edge: Qt.RightEdge
    width: Math.min(380, parent ? parent.width : 380)
    height: parent ? parent.height : 0
    background: Rectangle {
        color: Theme.surface
        Rectangle { width: 1; height: parent.height; color: Theme.border }
    }

    onOpened: panel.groups.clearError()
    onClosed: { adding = false; editingName = false; editingTopic = false }
    property bool adding: false
    property bool editingName: false
    property bool editingTopic: false

    function saveName() {
        panel.groups.updateRoom(panel.groups.roomId, {name: nameField.text})
        panel.editingName = false
    }
    function saveTopic() {
        panel.groups.updateRoom(panel.groups.roomId, {topic: topicField.text})
        panel.editingTopic = false
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 10

        RowLayout {
            Layout.fillWidth: true
            Text {
                Layout.fillWidth: true
                text: panel.groups.isDm ? qsTr("Conversation info") : qsTr("Group info")
                textFormat: Text.PlainText
                font.pixelSize: Theme.titleFontSize
                font.bold: true
                color: Theme.text
            }
            FlatButton {
                text: "\u2715"
                Accessible.name: qsTr("Close")
                onClicked: panel.close()
            }
        }

        // Name: a line of text, or a field while the owner or an admin edits it.
        RowLayout {
            Layout.fillWidth: true
            visible: !panel.editingName
            EmojiText {
                objectName: "panelName"
                Layout.fillWidth: true
                text: panel.groups.name
                font.pixelSize: Theme.titleFontSize
                font.bold: true
                color: Theme.text
            }
            FlatButton {
                objectName: "editName"
                visible: panel.groups.canEdit
                text: qsTr("Rename")
                onClicked: { nameField.text = panel.groups.name; panel.editingName = true; nameField.forceActiveFocus() }
            }
        }
        ThemedField {
            id: nameField
            objectName: "nameField"
            visible: panel.editingName
            Layout.fillWidth: true
            maximumLength: 100
            onAccepted: panel.saveName()
            Keys.onEscapePressed: panel.editingName = false
        }

        // Topic: plain text (someone's input), edited in place like the name.
        RowLayout {
            Layout.fillWidth: true
            visible: !panel.groups.isDm && !panel.editingTopic
            Text {
                objectName: "panelTopic"
                Layout.fillWidth: true
                text: panel.groups.topic !== "" ? panel.groups.topic
                                                : panel.groups.canEdit ? qsTr("Add a topic") : qsTr("No topic")
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                maximumLineCount: 4
                elide: Text.ElideRight
                color: panel.groups.topic !== "" ? Theme.text : Theme.faintText
            }
            FlatButton {
                objectName: "editTopic"
                visible: panel.groups.canEdit
                text: qsTr("Edit")
                onClicked: { topicField.text = panel.groups.topic; panel.editingTopic = true; topicField.forceActiveFocus() }
            }
        }
        ThemedField {
            id: topicField
            objectName: "topicField"
            visible: panel.editingTopic
            Layout.fillWidth: true
            maximumLength: 250
            placeholderText: qsTr("What this group is about")
            onAccepted: panel.saveTopic()
            Keys.onEscapePressed: panel.editingTopic = false
        }
        // Who can find the group: a switch for those who may change it, a
        // line for the others.
        ThemedSwitch {
            objectName: "publicSwitch"
            visible: !panel.groups.isDm && panel.groups.canEdit
            Layout.fillWidth: true
            checked: panel.groups.isPublic
            text: qsTr("Public — anyone on the server can find and join")
            onToggled: panel.groups.updateRoom(panel.groups.roomId, {isPublic: checked})
        }
        Text {
            visible: !panel.groups.isDm && !panel.groups.canEdit
            Layout.fillWidth: true
            text: panel.groups.isPublic ? qsTr("Public group: anyone on the server can find and join it")
                                        : qsTr("Private group: members add people")
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            font.pixelSize: Theme.smallFontSize
            color: Theme.subtleText
        }

        Notice {
            objectName: "panelError"
            Layout.fillWidth: true
            error: true
            text: panel.groups.errorMessage
            onClosed: panel.groups.clearError()
        }

        RowLayout {
            Layout.fillWidth: true
            Text {
                Layout.fillWidth: true
                text: panel.groups.isDm ? qsTr("People")
                                        : panel.groups.memberCount === 1 ? qsTr("1 member")
                                                                          : qsTr("%1 members").arg(panel.groups.memberCount)
                textFormat: Text.PlainText
                font.bold: true
                color: Theme.subtleText
            }
            FlatButton {
                objectName: "addPeopleButton"
                visible: panel.groups.canAdd && !panel.adding
                text: qsTr("+ Add people")
                onClicked: { panel.adding = true; addPeople.start() }
            }
        }
        GroupAddPeople {
            id: addPeople
            visible: panel.adding
            Layout.fillWidth: true
            groups: panel.groups
            rooms: panel.rooms
            onDone: panel.adding = false
        }

        ListView {
            id: memberList
            objectName: "memberList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: panel.groups.members
            ScrollBar.vertical: ScrollBar {}
            delegate: GroupMemberDelegate {
                width: memberList.width
                groups: panel.groups
                onTransferRequested: (userId, name) => { confirm.ask("transfer", userId, name) }
                onRemoveRequested: (userId, name) => { confirm.ask("remove", userId, name) }
            }
        }

        FlatButton {
            objectName: "leaveGroupButton"
            visible: panel.groups.canLeave
            Layout.fillWidth: true
            text: qsTr("Leave group…")
            textColor: Theme.danger
            onClicked: confirm.ask("leave", 0, "")
        }
    }

    // One confirmation for the three changes that cannot be taken back by me alone.
    ThemedDialog {
        id: confirm
        objectName: "groupConfirm"
        property string action: ""
        property double userId: 0
        property string name: ""
        function ask(what, id, who) {
            action = what
            userId = id
            name = who
            open()
        }
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(420, parent ? parent.width - 32 : 420)
        // The text's width from the dialog's own, not from availableWidth:
        // that made the popup's implicitHeight depend on itself (a binding loop).
        contentWidth: width - leftPadding - rightPadding
        modal: true
        title: action === "transfer" ? qsTr("Transfer ownership")
             : action === "remove" ? qsTr("Remove from group") : qsTr("Leave group")
        standardButtons: Dialog.Cancel | Dialog.Ok
        Text {
            width: confirm.contentWidth
            wrapMode: Text.Wrap
            textFormat: Text.PlainText // names are someone's input
            color: Theme.text
            text: confirm.action === "transfer"
                  ? qsTr("Make %1 the owner of “%2”? You will become an admin.").arg(confirm.name).arg(panel.groups.name)
                  : confirm.action === "remove"
                    ? qsTr("Remove %1 from “%2”?").arg(confirm.name).arg(panel.groups.name)
                    : qsTr("Leave “%1”? You will stop receiving its messages.").arg(panel.groups.name)
        }
        onAccepted: {
            const room = panel.groups.roomId
            if (action === "transfer")
                panel.groups.transferOwnership(room, userId)
            else if (action === "remove")
                panel.groups.removeMember(room, userId)
            else {
                panel.groups.leave(room)
                panel.close()
            }
        }
    }
}
