import QtQuick

// A pill with a count ("3", "99+"), or with a prefix ("@2").
Rectangle {
    id: badge

    property int count: 0
    property string prefix: ""

    visible: count > 0
    implicitHeight: 18
    implicitWidth: Math.max(implicitHeight, label.implicitWidth + 10)
    radius: height / 2
    color: Theme.unreadBadge

    Text {
        id: label
        anchors.centerIn: parent
        text: badge.prefix + (badge.count > 99 ? "99+" : badge.count)
        textFormat: Text.PlainText
        color: Theme.accentText
        font.pixelSize: 11
        font.bold: true
    }
}
