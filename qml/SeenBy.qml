import QtQuick
import QtQuick.Layouts

// Who has read up to a message (MessageListModel's seenBy: [{userId, name}]).
// In a DM a quiet "Seen" under my message; in a group up to five small
// avatars, then "+N"; hovering lists every name. Names are people's input:
// plain text only.
Item {
    id: seen

    required property var readers
    required property bool dm
    readonly property int shownAvatars: 5
    readonly property string names: readers.map(r => r.name).join(", ")

    implicitWidth: dm ? seenText.implicitWidth : avatars.implicitWidth
    implicitHeight: dm ? seenText.implicitHeight : avatars.implicitHeight

    Text {
        id: seenText
        objectName: "seenText"
        visible: seen.dm
        text: qsTr("Seen")
        font.pixelSize: Theme.smallFontSize - 1
        color: Theme.faintText
    }

    Row {
        id: avatars
        objectName: "seenAvatars"
        visible: !seen.dm
        spacing: -3 // a little overlap, as a stack
        Repeater {
            model: seen.dm ? [] : seen.readers.slice(0, seen.shownAvatars)
            Avatar {
                required property var modelData
                width: 18
                height: 18
                name: modelData.name
                colorKey: modelData.userId
                border.width: 1
                border.color: Theme.window
            }
        }
        Text {
            objectName: "seenMore"
            visible: seen.readers.length > seen.shownAvatars
            leftPadding: 6
            anchors.verticalCenter: parent.verticalCenter
            text: "+" + (seen.readers.length - seen.shownAvatars)
            textFormat: Text.PlainText
            font.pixelSize: Theme.smallFontSize - 1
            color: Theme.subtleText
        }
    }

    HoverHandler { id: hover }
    PlainToolTip {
        visible: hover.hovered
        text: qsTr("Seen by %1").arg(seen.names)
    }
}
