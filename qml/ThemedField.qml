import QtQuick
import QtQuick.Controls

// A text field in the theme's colours (light and dark).
TextField {
    id: field

    color: Theme.text
    placeholderTextColor: Theme.faintText
    selectionColor: Theme.accent
    selectedTextColor: Theme.accentText
    leftPadding: 10
    rightPadding: 10
    topPadding: 7
    bottomPadding: 7
    background: Rectangle {
        implicitHeight: 34
        radius: Theme.radius
        color: Theme.surface
        border.width: field.activeFocus ? 2 : 1
        border.color: field.activeFocus ? Theme.accent : Theme.border
    }
}
