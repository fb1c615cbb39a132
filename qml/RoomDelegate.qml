import QtQuick
import QtQuick.Layouts
import Confab.Client

// One room in the list: avatar (presence for DMs), name, time of the last
// activity, a one-line preview, and unread / mention badges. A muted room
// (notifications: nothing) is dimmed and its unread badge grey.
Rectangle {
    id: delegate

    required property ConversationController conversation
    required property int index
    required property double roomId
    required property string name
    required property bool isDm
    required property int unreadCount
    required property int mentionCount
    required property string lastMessageText
    required property string lastSenderName
    required property double lastActivity
    required property bool online
    required property double peerUserId // a DM's other member, else 0
    required property int memberCount
    required property int notifyLevel // AttentionController.Level
    required property bool muted
    required property int peerStatus // ProfileController.Status of a DM's other member
    required property string peerStatusText
    // A person's letter avatar has one colour everywhere (the sidebar, the
    // header, beside their messages): keyed by the user, a group's by the room.
    readonly property double avatarKey: isDm && peerUserId !== 0 ? peerUserId : roomId
    property string filter: ""
    readonly property bool current: roomId === conversation.roomId
    readonly property bool matches: filter === "" || name.toLowerCase().indexOf(filter.toLowerCase()) >= 0
    signal chosen(double roomId)

    visible: matches
    implicitHeight: matches ? 62 : 0
    color: current ? Theme.selected : (mouse.containsMouse ? Theme.hover : "transparent")

    onCurrentChanged: if (current) ListView.view.currentIndex = index
    Component.onCompleted: if (current) ListView.view.currentIndex = index

    function activityText(ms) {
        if (ms <= 0)
            return ""
        const when = new Date(ms)
        const now = new Date()
        if (when.toDateString() === now.toDateString())
            return when.toLocaleTimeString(Qt.locale(), "HH:mm")
        if (now.getTime() - when.getTime() < 6 * 24 * 3600 * 1000)
            return when.toLocaleDateString(Qt.locale(), "ddd")
        return when.toLocaleDateString(Qt.locale(), "d MMM")
    }

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 10
        opacity: delegate.muted ? 0.55 : 1

        Avatar {
            name: delegate.name
            colorKey: delegate.avatarKey
            userId: delegate.isDm ? delegate.avatarKey : 0 // a DM's key is the other person
            group: !delegate.isDm
            showPresence: delegate.isDm
            online: delegate.online
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                spacing: 6
                EmojiText {
                    objectName: "roomName"
                    Layout.fillWidth: true
                    text: delegate.name
                    font.bold: delegate.unreadCount > 0
                    color: Theme.text
                }
                Text {
                    text: delegate.activityText(delegate.lastActivity)
                    textFormat: Text.PlainText
                    font.pixelSize: Theme.smallFontSize - 1
                    color: delegate.unreadCount > 0 ? Theme.accent : Theme.faintText
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 4
                EmojiText {
                    Layout.fillWidth: true
                    text: delegate.lastMessageText === "" ? qsTr("No messages yet")
                          : (delegate.lastSenderName !== "" && !delegate.isDm
                             ? delegate.lastSenderName + ": " + delegate.lastMessageText
                             : delegate.lastMessageText)
                    font.pixelSize: Theme.smallFontSize + 1
                    color: delegate.unreadCount > 0 ? Theme.text : Theme.subtleText
                }
                Badge {
                    objectName: "mentionBadge"
                    count: delegate.mentionCount
                    prefix: "@"
                    color: Theme.mentionBadge
                }
                Text {
                    objectName: "mutedMark"
                    visible: delegate.muted
                    text: "\u{1F515}" // a bell with a stroke
                    textFormat: Text.PlainText
                    font.pixelSize: Theme.smallFontSize
                    color: Theme.faintText
                    Accessible.name: qsTr("Muted")
                }
                Badge {
                    objectName: "unreadBadge"
                    count: delegate.unreadCount
                    color: delegate.muted ? Theme.faintText : Theme.unreadBadge
                }
            }
        }
    }

    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        onClicked: delegate.chosen(delegate.roomId)
    }
}
