import QtQuick
import QtQuick.Controls

// A tooltip whose text is never interpreted: the style's own ToolTip shows
// its text as AutoText, and tooltips here carry people's names.
ToolTip {
    id: tip

    delay: 400
    contentItem: Text {
        text: tip.text
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        color: Theme.text
        font.pixelSize: Theme.smallFontSize
    }
    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: 4
    }
}
