import QtQuick
import QtQuick.Layouts

// The compact quote above a reply: who wrote the original and its first
// line, or that the original was deleted. Clicking it jumps to the original.
Rectangle {
    id: quote
    objectName: "replyQuote"

    property var preview: ({}) // MessageListModel's replyPreview
    readonly property bool deleted: preview.deleted === true
    signal activated(double messageId)

    implicitHeight: line.implicitHeight + 8
    implicitWidth: line.implicitWidth + 18
    radius: 4
    color: quoteHover.hovered ? Theme.hover : "transparent"

    Rectangle {
        width: 3
        height: parent.height
        radius: 1.5
        color: Theme.border
    }
    RowLayout {
        id: line
        x: 10
        y: 4
        width: parent.width - 14
        spacing: 6
        Text {
            objectName: "quoteSender"
            visible: !quote.deleted
            text: quote.preview.senderName || ""
            textFormat: Text.PlainText
            font.bold: true
            font.pixelSize: Theme.smallFontSize
            color: Theme.subtleText
        }
        Text {
            objectName: "quoteText"
            Layout.fillWidth: true
            text: quote.deleted ? qsTr("Reply to a deleted message") : (quote.preview.text || "")
            textFormat: Text.PlainText
            elide: Text.ElideRight
            maximumLineCount: 1
            font.pixelSize: Theme.smallFontSize
            font.italic: quote.deleted
            color: quote.deleted ? Theme.faintText : Theme.subtleText
        }
    }
    HoverHandler {
        id: quoteHover
        cursorShape: Qt.PointingHandCursor
    }
    TapHandler {
        onTapped: quote.activated(quote.preview.messageId)
    }
}
