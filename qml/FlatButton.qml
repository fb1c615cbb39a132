import QtQuick
import QtQuick.Controls

// A compact button in the theme: flat by default, filled when `primary`.
Button {
    id: button

    property bool primary: false
    property color textColor: primary ? Theme.accentText : Theme.text

    flat: !primary
    leftPadding: 12
    rightPadding: 12
    topPadding: 6
    bottomPadding: 6
    font.pixelSize: Theme.fontSize

    contentItem: Text {
        text: button.text
        textFormat: Text.PlainText
        font: button.font
        color: button.enabled ? button.textColor : Theme.faintText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        implicitHeight: 32
        implicitWidth: 32
        radius: Theme.radius
        color: button.primary
               ? (button.enabled ? (button.down ? Qt.darker(Theme.accent, 1.15) : Theme.accent) : Theme.hover)
               : (button.down ? Theme.selected : (button.hovered ? Theme.hover : "transparent"))
        border.width: button.visualFocus ? 2 : 0
        border.color: Theme.accent
    }
}
