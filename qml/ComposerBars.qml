import QtQuick

// What the composer is doing besides writing a new message: editing one
// (Enter saves, Esc cancels) or replying to one. Each bar has its own cancel.
Column {
    id: bars

    property bool editing: false
    property bool replying: false
    property var replyPreview: ({}) // {senderName, text}
    signal cancelEditRequested()
    signal cancelReplyRequested()

    Rectangle {
        objectName: "editingBar"
        visible: bars.editing
        width: parent.width
        height: visible ? 28 : 0
        color: "transparent"
        Rectangle { width: 3; height: parent.height - 6; y: 3; color: Theme.editingBar }
        Text {
            x: 10
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("Editing message · Enter to save, Esc to cancel")
            font.pixelSize: Theme.smallFontSize
            font.bold: true
            color: Theme.subtleText
        }
        FlatButton {
            objectName: "cancelEdit"
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("Cancel")
            font.pixelSize: Theme.smallFontSize
            onClicked: bars.cancelEditRequested()
        }
    }
    Rectangle {
        objectName: "replyBar"
        visible: bars.replying && !bars.editing
        width: parent.width
        height: visible ? 28 : 0
        color: "transparent"
        Rectangle { width: 3; height: parent.height - 6; y: 3; color: Theme.accent }
        Text {
            x: 10
            width: parent.width - 60
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("Replying to %1: %2").arg(bars.replyPreview.senderName || "").arg(bars.replyPreview.text || "")
            textFormat: Text.PlainText
            elide: Text.ElideRight
            font.pixelSize: Theme.smallFontSize
            color: Theme.subtleText
        }
        FlatButton {
            objectName: "cancelReply"
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            text: "\u2715"
            font.pixelSize: Theme.smallFontSize
            onClicked: bars.cancelReplyRequested()
        }
    }
}
