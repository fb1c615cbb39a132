import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Start a direct message: search users by name, click one.
ThemedDialog {
    id: dialog

    required property RoomsController rooms

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(420, parent.width - 32)
    height: Math.min(520, parent.height - 64)
    modal: true
    title: qsTr("New direct message")
    standardButtons: Dialog.Cancel

    onOpened: {
        searchField.text = ""
        dialog.rooms.searchUsers("")
        searchField.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        ThemedField {
            id: searchField
            objectName: "dmSearchField"
            Layout.fillWidth: true
            placeholderText: qsTr("Search people by name")
            onTextChanged: dialog.rooms.searchUsers(text)
        }
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: dialog.rooms.userResults
            ScrollBar.vertical: ScrollBar {}
            delegate: UserPickerDelegate {
                width: list.width
                onClicked: {
                    dialog.rooms.startDm(userId)
                    dialog.close()
                }
            }
            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("Nobody found.")
                color: Theme.faintText
            }
        }
    }
}
