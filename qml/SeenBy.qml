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
        // Five fixed slots rather than a Repeater: cheaper, and the row never
        // builds delegates of its own inside the list's delegate.
        component Slot: Avatar {
            required property int slot
            readonly property var reader: slot < seen.readers.length ? seen.readers[slot] : null
            visible: !seen.dm && reader !== null
            width: 18
            height: 18
            name: reader ? reader.name : ""
            colorKey: reader ? reader.userId : 0
            userId: reader ? reader.userId : 0
            border.width: 1
            border.color: Theme.window
        }
        Slot { slot: 0 }
        Slot { slot: 1 }
        Slot { slot: 2 }
        Slot { slot: 3 }
        Slot { slot: 4 }
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
