import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Signed in: the room list beside the open conversation. Below
// Theme.narrowWidth the room list becomes a drawer (and fills the page while
// no room is open). Search and the mentions inbox slide in from the right.
Rectangle {
    id: page
    objectName: "chatPage"

    required property ChatClient client
    readonly property bool narrow: width < Theme.narrowWidth
    readonly property bool roomOpen: client.currentRoomId !== 0
    property string dismissedError: ""
    property string dismissedKeychain: ""

    color: Theme.window

    function chooseRoom(roomId) {
        roomDrawer.close()
        page.client.openRoom(roomId)
    }
    function showPanel(which) {
        panelStack.currentIndex = which === "mentions" ? 1 : 0
        sidePanel.open()
        if (which === "mentions")
            page.client.loadMentions()
        else
            searchPane.focusQuery()
    }
    function jumpTo(roomId, messageId) {
        if (page.narrow)
            sidePanel.close()
        page.client.jumpToMessage(roomId, messageId)
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        RoomList {
            id: sideRoomList
            objectName: "roomList"
            visible: !page.narrow || !page.roomOpen
            Layout.fillHeight: true
            Layout.fillWidth: page.narrow
            Layout.preferredWidth: Theme.sidebarWidth
            client: page.client
            onRoomChosen: (roomId) => page.chooseRoom(roomId)
            onNewDmRequested: newDmDialog.open()
            onNewGroupRequested: newGroupDialog.open()
        }
        Rectangle {
            visible: sideRoomList.visible && !page.narrow
            Layout.fillHeight: true
            implicitWidth: 1
            color: Theme.border
        }

        ColumnLayout {
            visible: !page.narrow || page.roomOpen
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ChatHeader {
                Layout.fillWidth: true
                client: page.client
                narrow: page.narrow
                room: sideRoomList.currentRoom
                onMenuRequested: roomDrawer.open()
                onSearchRequested: page.showPanel("search")
                onMentionsRequested: page.showPanel("mentions")
            }
            ConnectionBanner {
                Layout.fillWidth: true
                client: page.client
            }
            Notice {
                Layout.fillWidth: true
                error: true
                text: page.client.errorMessage !== page.dismissedError ? page.client.errorMessage : ""
                onClosed: page.dismissedError = page.client.errorMessage
            }
            Notice {
                Layout.fillWidth: true
                text: page.client.keychainMessage !== page.dismissedKeychain ? page.client.keychainMessage : ""
                onClosed: page.dismissedKeychain = page.client.keychainMessage
            }
            Notice {
                id: mentionToast
                objectName: "mentionToast"
                property double roomId: 0
                property double messageId: 0
                Layout.fillWidth: true
                actionText: qsTr("Show")
                onActionTriggered: { page.jumpTo(roomId, messageId); text = "" }
                onClosed: text = ""
                Timer {
                    running: mentionToast.text !== ""
                    interval: 8000
                    onTriggered: mentionToast.text = ""
                }
            }

            Conversation {
                id: conversation
                objectName: "conversation"
                visible: page.roomOpen
                Layout.fillWidth: true
                Layout.fillHeight: true
                client: page.client
            }
            Item {
                visible: !page.roomOpen
                Layout.fillWidth: true
                Layout.fillHeight: true
                Text {
                    anchors.centerIn: parent
                    width: Math.min(parent.width - 48, 360)
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    text: sideRoomList.count === 0
                          ? qsTr("No conversations yet. Start a direct message or create a group.")
                          : qsTr("Pick a conversation on the left.")
                    color: Theme.subtleText
                }
            }

            Text {
                objectName: "typingIndicator"
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Layout.preferredHeight: 18
                visible: page.roomOpen
                text: page.client.typingText
                textFormat: Text.PlainText
                elide: Text.ElideRight
                color: Theme.subtleText
                font.pixelSize: Theme.smallFontSize
                font.italic: true
            }
            Composer {
                id: composer
                objectName: "composer"
                visible: page.roomOpen
                Layout.fillWidth: true
                client: page.client
            }
        }
    }

    Drawer {
        id: roomDrawer
        objectName: "roomDrawer"
        width: Math.min(Theme.sidebarWidth + 20, page.width * 0.85)
        height: page.height
        interactive: page.narrow && page.roomOpen
        RoomList {
            anchors.fill: parent
            client: page.client
            onRoomChosen: (roomId) => page.chooseRoom(roomId)
            onNewDmRequested: { roomDrawer.close(); newDmDialog.open() }
            onNewGroupRequested: { roomDrawer.close(); newGroupDialog.open() }
        }
    }

    Drawer {
        id: sidePanel
        objectName: "sidePanel"
        edge: Qt.RightEdge
        width: Math.min(420, page.width * 0.92)
        height: page.height
        background: Rectangle {
            color: Theme.window
            Rectangle { width: 1; height: parent.height; color: Theme.border }
        }
        StackLayout {
            id: panelStack
            anchors.fill: parent
            SearchPane {
                id: searchPane
                client: page.client
                onCloseRequested: sidePanel.close()
                onResultChosen: (roomId, messageId) => page.jumpTo(roomId, messageId)
            }
            MentionsInbox {
                client: page.client
                onCloseRequested: sidePanel.close()
                onResultChosen: (roomId, messageId) => page.jumpTo(roomId, messageId)
            }
        }
    }

    NewDmDialog {
        id: newDmDialog
        client: page.client
    }
    NewGroupDialog {
        id: newGroupDialog
        client: page.client
    }

    Connections {
        target: page.client
        function onMentionNotification(title, body, roomId, messageId) {
            mentionToast.roomId = roomId
            mentionToast.messageId = messageId
            mentionToast.text = title + ": " + body
        }
    }
}
