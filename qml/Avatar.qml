import QtQuick

// A round avatar with the name's first letter, in a colour derived from the
// user id; optionally a presence dot in the corner.
Rectangle {
    id: avatar

    property string name: ""
    property double colorKey: 0
    property bool showPresence: false
    property bool online: false
    property bool group: false

    implicitWidth: 36
    implicitHeight: 36
    radius: group ? Theme.radius + 2 : width / 2
    color: Theme.avatarColor(colorKey)

    Text {
        anchors.centerIn: parent
        // The first user-perceived character (a surrogate pair stays whole).
        text: avatar.group ? "#" : String.fromCodePoint(avatar.name.codePointAt(0) || 63).toUpperCase()
        textFormat: Text.PlainText
        color: "#ffffff"
        font.pixelSize: Math.round(avatar.height * 0.45)
        font.bold: true
    }

    Rectangle {
        visible: avatar.showPresence
        width: Math.max(10, Math.round(avatar.width * 0.32))
        height: width
        radius: width / 2
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: -1
        color: avatar.online ? Theme.online : Theme.offline
        border.width: 2
        border.color: Theme.sidebar
    }
}
