import QtQuick
import QtQuick.Controls
import Confab.Client

// The open room's menu: how much it may notify me (all messages, mentions
// only, nothing), and leaving a group. The level is stored on the server
// (set_room_settings) and follows me to my other devices.
Menu {
    id: menu

    required property AttentionController attention
    required property double roomId
    required property bool isDm
    // The room's level now (AttentionController.Level), from the room list.
    property int level: AttentionController.All
    // Explicit, so that a menu follows a switch of Theme while it exists.
    palette.window: Theme.surface
    palette.windowText: Theme.text
    palette.text: Theme.text
    palette.buttonText: Theme.text
    palette.mid: Theme.border
    palette.dark: Theme.subtleText
    palette.light: Theme.hover
    palette.midlight: Theme.hover

    signal leaveRequested()
    signal infoRequested()

    function choose(level) {
        if (level !== menu.level)
            menu.attention.setRoomLevel(menu.roomId, level)
    }

    MenuItem {
        objectName: "roomInfo"
        text: menu.isDm ? qsTr("Conversation info") : qsTr("Group info")
        onTriggered: menu.infoRequested()
    }
    MenuSeparator {}
    MenuItem {
        enabled: false
        text: qsTr("Notify me about")
    }
    MenuItem {
        objectName: "levelAll"
        checkable: true
        checked: menu.level === AttentionController.All
        text: qsTr("All messages")
        onTriggered: {
            // A click toggles `checked` and ends its binding: bind it again.
            checked = Qt.binding(() => menu.level === AttentionController.All)
            menu.choose(AttentionController.All)
        }
    }
    MenuItem {
        objectName: "levelMentions"
        checkable: true
        checked: menu.level === AttentionController.Mentions
        text: qsTr("Mentions only")
        onTriggered: {
            // A click toggles `checked` and ends its binding: bind it again.
            checked = Qt.binding(() => menu.level === AttentionController.Mentions)
            menu.choose(AttentionController.Mentions)
        }
    }
    MenuItem {
        objectName: "levelNothing"
        checkable: true
        checked: menu.level === AttentionController.Nothing
        text: qsTr("Nothing (mute)")
        onTriggered: {
            // A click toggles `checked` and ends its binding: bind it again.
            checked = Qt.binding(() => menu.level === AttentionController.Nothing)
            menu.choose(AttentionController.Nothing)
        }
    }
    MenuSeparator {
        visible: !menu.isDm
        height: visible ? implicitHeight : 0
    }
    MenuItem {
        objectName: "leaveGroup"
        visible: !menu.isDm
        height: visible ? implicitHeight : 0
        text: qsTr("Leave group")
        onTriggered: menu.leaveRequested()
    }
}
