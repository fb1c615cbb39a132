import QtQuick
import QtQuick.Layouts
import Confab.Client

// A message in search results or in the mentions inbox: where, who, when,
// and up to three lines of its text with the search terms marked. Clicking
// jumps to it.
Rectangle {
    id: result

    required property double messageId
    required property double roomId
    required property string roomName
    required property string senderName
    required property string content
    required property string timeText
    property string marked: "" // the query whose matches are marked; "" marks nothing
    signal chosen(double roomId, double messageId)

    implicitHeight: column.implicitHeight + 16
    color: mouse.containsMouse ? Theme.hover : "transparent"

    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        cursorShape: Qt.PointingHandCursor
        onClicked: result.chosen(result.roomId, result.messageId)
    }

    ColumnLayout {
        id: column
        x: 16
        y: 8
        width: parent.width - 32
        spacing: 2
        RowLayout {
            Layout.fillWidth: true
            spacing: 6
            Text {
                Layout.fillWidth: true
                text: result.senderName + "  ·  " + result.roomName
                textFormat: Text.PlainText
                elide: Text.ElideRight
                font.pixelSize: Theme.smallFontSize
                font.bold: true
                color: Theme.subtleText
            }
            Text {
                text: result.timeText
                textFormat: Text.PlainText
                font.pixelSize: Theme.smallFontSize - 1
                color: Theme.faintText
            }
        }
        Text {
            objectName: "resultText"
            Layout.fillWidth: true
            // Escaped by SearchMarks: the only markup is its marks.
            text: SearchMarks.mark(result.content, result.marked, Theme.searchMark)
            textFormat: Text.StyledText
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
            color: Theme.text
        }
    }
    Rectangle {
        anchors.bottom: parent.bottom
        x: 16
        width: parent.width - 32
        height: 1
        color: Theme.border
    }
}
