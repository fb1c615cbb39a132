import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// "Browse groups": the server's public groups, searched by name as one types
// (debounced), each with its topic and size, and Join — or Open for a group
// I am in already. Joining opens the group and closes the dialog.
ThemedDialog {
    id: dialog
    objectName: "browseGroupsDialog"

    required property RoomsController rooms

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(480, parent.width - 32)
    height: Math.min(560, parent.height - 64)
    modal: true
    title: qsTr("Browse groups")
    standardButtons: Dialog.Close

    function choose(roomId) {
        dialog.rooms.joinRoom(roomId)
        dialog.close()
    }

    onOpened: {
        searchField.text = ""
        dialog.rooms.listPublicRooms("")
        searchField.forceActiveFocus()
    }

    Timer {
        id: debounce
        interval: 250
        onTriggered: dialog.rooms.listPublicRooms(searchField.text)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        ThemedField {
            id: searchField
            objectName: "browseSearchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search groups by name")
            onTextChanged: debounce.restart()
        }
        Text {
            objectName: "browseEmpty"
            visible: list.count === 0
            Layout.fillWidth: true
            Layout.topMargin: 16
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: dialog.rooms.publicRooms.loading ? qsTr("Searching…")
                  : searchField.text.trim() !== "" ? qsTr("No open group is called that.")
                  : qsTr("This server has no open groups yet. Make one public when you create it.")
            color: Theme.subtleText
        }
        ListView {
            id: list
            objectName: "publicGroupsList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: dialog.rooms.publicRooms
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: row
                required property double roomId
                required property string name
                required property string topic
                required property int memberCount
                required property bool joined
                width: list.width
                implicitHeight: rowLayout.implicitHeight + 16
                radius: Theme.radius
                color: rowHover.hovered ? Theme.hover : "transparent"
                HoverHandler { id: rowHover }
                RowLayout {
                    id: rowLayout
                    x: 8
                    y: 8
                    width: parent.width - 16
                    spacing: 10
                    Avatar {
                        Layout.alignment: Qt.AlignTop
                        implicitWidth: 32
                        implicitHeight: 32
                        name: row.name
                        colorKey: row.roomId
                        group: true
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 1
                        Text {
                            Layout.fillWidth: true
                            text: row.name
                            textFormat: Text.PlainText
                            elide: Text.ElideRight
                            font.bold: true
                            color: Theme.text
                        }
                        Text {
                            Layout.fillWidth: true
                            visible: row.topic !== ""
                            text: row.topic
                            textFormat: Text.PlainText
                            wrapMode: Text.Wrap
                            maximumLineCount: 2
                            elide: Text.ElideRight
                            font.pixelSize: Theme.smallFontSize
                            color: Theme.subtleText
                        }
                        Text {
                            text: row.memberCount === 1 ? qsTr("1 member") : qsTr("%1 members").arg(row.memberCount)
                            font.pixelSize: Theme.smallFontSize
                            color: Theme.faintText
                        }
                    }
                    FlatButton {
                        objectName: row.joined ? "openGroupButton" : "joinGroupButton"
                        primary: !row.joined
                        text: row.joined ? qsTr("Open") : qsTr("Join")
                        onClicked: dialog.choose(row.roomId)
                    }
                }
            }
        }
    }
}
