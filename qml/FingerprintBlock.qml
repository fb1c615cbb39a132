import QtQuick

// A certificate fingerprint in a monospaced box, selectable for copying.
Rectangle {
    id: block

    property alias text: label.text
    property color textColor: Theme.text

    implicitHeight: label.implicitHeight + 16
    implicitWidth: label.implicitWidth + 24
    radius: Theme.radius
    color: Theme.sidebar
    border.color: Theme.border

    TextEdit {
        id: label
        anchors.centerIn: parent
        readOnly: true
        selectByMouse: true
        textFormat: TextEdit.PlainText
        font.family: "monospace"
        font.pixelSize: Theme.fontSize
        color: block.textColor
        selectionColor: Theme.selected
        selectedTextColor: Theme.text
    }
}
