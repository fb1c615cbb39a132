import QtQuick

// "New messages": the line above the first message that was unread when the
// room was opened.
Item {
    id: divider
    implicitHeight: 28

    Rectangle {
        anchors.verticalCenter: parent.verticalCenter
        x: 16
        width: parent.width - 32
        height: 1
        color: Theme.newMessagesLine
    }
    Rectangle {
        anchors.right: parent.right
        anchors.rightMargin: 24
        anchors.verticalCenter: parent.verticalCenter
        width: label.implicitWidth + 16
        height: 20
        radius: 10
        color: Theme.window
        border.color: Theme.newMessagesLine
        Text {
            id: label
            anchors.centerIn: parent
            text: qsTr("New messages")
            textFormat: Text.PlainText
            font.pixelSize: Theme.smallFontSize
            font.bold: true
            color: Theme.newMessagesLine
        }
    }
}
