import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Message search over the open room or all rooms; results newest first,
// more pages on scrolling, a click jumps to the message.
Rectangle {
    id: pane

    required property SearchController search
    required property ConversationController conversation
    signal closeRequested()
    signal resultChosen(double roomId, double messageId)

    function focusQuery() {
        queryField.forceActiveFocus()
        queryField.selectAll()
    }
    property bool roomOnly: true
    readonly property bool searchingRoom: roomOnly && pane.conversation.roomId !== 0

    property string searchedFor: "" // what the results are for: their marks follow it, not the typing
    function runSearch() {
        pane.searchedFor = queryField.text.trim()
        pane.search.searchMessages(queryField.text, pane.searchingRoom)
    }

    color: Theme.window

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 12
            Text {
                Layout.fillWidth: true
                text: qsTr("Search messages")
                font.pixelSize: Theme.titleFontSize
                font.bold: true
                color: Theme.text
            }
            FlatButton {
                text: "\u2715"
                Accessible.name: qsTr("Close")
                onClicked: pane.closeRequested()
            }
        }
        ThemedField {
            id: queryField
            objectName: "searchField"
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            placeholderText: qsTr("Words, names, 中文…")
            onTextChanged: debounce.restart()
            onAccepted: { debounce.stop(); pane.runSearch() }
        }
        RowLayout {
            Layout.margins: 12
            Layout.topMargin: 8
            spacing: 4
            FlatButton {
                objectName: "thisRoomScope"
                enabled: pane.conversation.roomId !== 0
                primary: pane.searchingRoom
                text: qsTr("This room")
                onClicked: { pane.roomOnly = true; pane.runSearch() }
            }
            FlatButton {
                objectName: "allRoomsScope"
                primary: !pane.searchingRoom
                text: qsTr("All rooms")
                onClicked: { pane.roomOnly = false; pane.runSearch() }
            }
        }
        Rectangle { Layout.fillWidth: true; implicitHeight: 1; color: Theme.border }

        ListView {
            id: results
            objectName: "searchResults"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.search.results
            ScrollBar.vertical: ScrollBar {}
            delegate: ResultDelegate {
                width: results.width
                marked: pane.searchedFor
                onChosen: (roomId, messageId) => pane.resultChosen(roomId, messageId)
            }
            onAtYEndChanged: if (atYEnd && count > 0) pane.search.loadMore()
            Text {
                anchors.centerIn: parent
                width: parent.width - 48
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                visible: results.count === 0
                text: queryField.text.trim() === "" ? qsTr("Type to search.") : qsTr("No messages found.")
                color: Theme.faintText
            }
        }
    }

    Timer {
        id: debounce
        interval: 300
        onTriggered: pane.runSearch()
    }
}
