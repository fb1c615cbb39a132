import QtQuick
import Confab.Client

// A round avatar: the person's picture when they have one (issue 15), else
// the name's first letter in a colour derived from the user id; optionally a
// presence dot in the corner. Pass `userId` for a person (the picture and
// the colour follow the user wherever they appear); `colorKey` alone still
// works for callers without one, and groups show "#".
Rectangle {
    id: avatar

    property string name: ""
    property double colorKey: 0
    property bool showPresence: false
    property bool online: false
    property bool group: false
    // The person shown: their picture (AvatarRegistry), and their colour.
    property double userId: 0
    // A picture by id, when the caller knows it rather than the user.
    property string avatarId: ""

    // Re-read whenever a picture arrives or someone changes theirs.
    readonly property string pictureSource: {
        AvatarRegistry.revision
        if (avatar.group)
            return ""
        if (avatar.avatarId !== "")
            return AvatarRegistry.sourceForId(avatar.avatarId)
        return avatar.userId > 0 ? AvatarRegistry.source(avatar.userId) : ""
    }

    implicitWidth: 36
    implicitHeight: 36
    radius: group ? Theme.radius + 2 : width / 2
    color: picture.visible ? "transparent" : Theme.avatarColor(!group && userId > 0 ? userId : colorKey)

    Image {
        id: picture
        objectName: "avatarPicture"
        anchors.fill: parent
        source: avatar.pictureSource
        // The provider draws it round at this size, off the GUI thread.
        sourceSize: Qt.size(Math.ceil(avatar.width * 2), Math.ceil(avatar.height * 2))
        asynchronous: true
        smooth: true
        visible: source !== "" && status === Image.Ready
    }

    Text {
        visible: !picture.visible
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
