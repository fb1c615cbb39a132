import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// The bar above the conversation: the room, who is in it and its topic,
// search, the mentions inbox and the room menu. The room's name (or "Info")
// opens the group info panel. In the narrow layout it also opens the room
// drawer.
Rectangle {
    id: header

    required property ConversationController conversation
    required property RoomsController rooms
    required property AttentionController attention
    property GroupController groups: null // the topic; null: none shown
    property bool narrow: false
    // The room list's delegate of the open room (name, isDm, online, memberCount), or null.
    property RoomDelegate room: null
    signal menuRequested()
    signal searchRequested()
    signal mentionsRequested()
    signal infoRequested()

    implicitHeight: 52
    color: Theme.window

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: header.narrow ? 4 : 16
        anchors.rightMargin: 8
        spacing: 6

        FlatButton {
            visible: header.narrow
            text: "\u2630"
            font.pixelSize: 18
            Accessible.name: qsTr("Rooms")
            onClicked: header.menuRequested()
        }
        Avatar {
            visible: header.conversation.roomId !== 0
            implicitWidth: 30
            implicitHeight: 30
            name: header.conversation.roomName
            colorKey: header.room ? header.room.avatarKey : header.conversation.roomId
            userId: header.conversation.isDm && header.room ? header.room.avatarKey : 0
            group: !header.conversation.isDm
            showPresence: header.conversation.isDm
            online: header.room ? header.room.online : false
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            EmojiText {
                objectName: "roomTitle"
                Layout.fillWidth: true
                text: header.conversation.roomName
                font.pixelSize: Theme.titleFontSize
                font.bold: true
                color: Theme.text
            }
            RowLayout { // who is in it, then the topic; the count is never elided away
                Layout.fillWidth: true
                visible: header.room !== null
                spacing: 0
                Text {
                    objectName: "roomSubtitle"
                    // Bounded by the header, not by this row: the row's width
                    // comes from its items' maximums, so "parent.width" held
                    // both at 0 whenever no topic (fillWidth) was shown.
                    Layout.maximumWidth: header.width
                    text: !header.room ? ""
                          : header.conversation.isDm
                            ? (header.room.online ? Theme.statusLabel(header.room.peerStatus) : qsTr("Offline"))
                              + (header.room.peerStatusText !== "" ? " · " + header.room.peerStatusText : "")
                            : header.room.memberCount === 1 ? qsTr("1 member")
                                                            : qsTr("%1 members").arg(header.room.memberCount)
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    font.pixelSize: Theme.smallFontSize
                    color: Theme.subtleText
                }
                Text {
                    objectName: "roomTopic"
                    Layout.fillWidth: true
                    visible: text !== ""
                    // Someone's input: plain text, one line (line breaks folded), elided.
                    text: header.groups && !header.conversation.isDm && header.groups.topic !== ""
                          ? "  ·  " + header.groups.topic.replace(/\s+/g, " ") : ""
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    maximumLineCount: 1
                    font.pixelSize: Theme.smallFontSize
                    color: Theme.subtleText
                }
            }
            TapHandler { onTapped: header.infoRequested() }
            HoverHandler { cursorShape: Qt.PointingHandCursor }
        }
        FlatButton {
            objectName: "infoButton"
            visible: header.conversation.roomId !== 0
            text: qsTr("Info")
            onClicked: header.infoRequested()
        }
        PinsButton { conversation: header.conversation }
        FlatButton {
            objectName: "searchButton"
            text: qsTr("Search")
            onClicked: header.searchRequested()
        }
        FlatButton {
            objectName: "mentionsButton"
            text: qsTr("@ Mentions")
            onClicked: header.mentionsRequested()
        }
        FlatButton {
            objectName: "roomMenuButton"
            visible: header.conversation.roomId !== 0
            text: "\u22ee"
            font.pixelSize: 18
            Accessible.name: qsTr("Room menu")
            onClicked: roomMenu.popup()
            RoomMenu {
                id: roomMenu
                objectName: "roomMenu"
                attention: header.attention
                roomId: header.conversation.roomId
                isDm: header.conversation.isDm
                level: header.room ? header.room.notifyLevel : AttentionController.All
                onLeaveRequested: leaveDialog.open()
                onInfoRequested: header.infoRequested()
            }
        }
    }

    Rectangle {
        anchors.bottom: parent.bottom
        width: parent.width
        height: 1
        color: Theme.border
    }

    ThemedDialog {
        id: leaveDialog
        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(420, parent.width - 32)
        modal: true
        title: qsTr("Leave group")
        standardButtons: Dialog.Cancel | Dialog.Ok
        Text {
            width: parent.width
            wrapMode: Text.Wrap
            // The name is someone's input: plain text only, never markup.
            textFormat: Text.PlainText
            text: qsTr("Leave “%1”? You will stop receiving its messages.").arg(header.conversation.roomName)
            color: Theme.text
        }
        onAccepted: header.rooms.leaveRoom(header.conversation.roomId)
    }
}
