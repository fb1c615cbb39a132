import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// "Add people" in the group info panel: the people search of the other
// pickers (RoomsController.searchUsers, UserPickerDelegate), without those
// already in the group; picked people are added with one request.
ColumnLayout {
    id: picker

    required property GroupController groups
    required property RoomsController rooms
    property var picked: ({}) // userId -> display name
    readonly property int pickedCount: Object.keys(picked).length
    signal done()

    function start() {
        picked = {}
        searchField.text = ""
        rooms.searchUsers("")
        searchField.forceActiveFocus()
    }
    function toggle(userId, name) {
        const next = Object.assign({}, picked)
        if (next[userId] !== undefined)
            delete next[userId]
        else
            next[userId] = name
        picked = next
    }

    spacing: 6
    ThemedField {
        id: searchField
        objectName: "addPeopleSearch"
        Layout.fillWidth: true
        placeholderText: qsTr("Search people by name")
        onTextChanged: picker.rooms.searchUsers(text)
    }
    ListView {
        id: list
        objectName: "addPeopleCandidates"
        Layout.fillWidth: true
        Layout.preferredHeight: Math.min(contentHeight, 200)
        clip: true
        model: picker.rooms.userResults
        delegate: UserPickerDelegate {
            // Members already in: not offered (kept in the model, zero height).
            readonly property bool member: { picker.groups.memberCount; return picker.groups.isMember(userId) }
            width: list.width
            visible: !member
            height: member ? 0 : implicitHeight
            checkable: true
            checked: picker.picked[userId] !== undefined
            onClicked: picker.toggle(userId, displayName !== "" ? displayName : username)
        }
    }
    RowLayout {
        Layout.fillWidth: true
        Text {
            Layout.fillWidth: true
            text: picker.pickedCount === 0 ? qsTr("Pick people to add")
                                           : Object.values(picker.picked).join(", ")
            textFormat: Text.PlainText
            elide: Text.ElideRight
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
        }
        FlatButton {
            text: qsTr("Cancel")
            onClicked: picker.done()
        }
        FlatButton {
            objectName: "addPeopleConfirm"
            primary: true
            enabled: picker.pickedCount > 0
            text: picker.pickedCount > 1 ? qsTr("Add %1").arg(picker.pickedCount) : qsTr("Add")
            onClicked: {
                picker.groups.addMembers(picker.groups.roomId, Object.keys(picker.picked).map(Number))
                picker.done()
            }
        }
    }
}
