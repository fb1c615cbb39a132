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
    readonly property bool roomOpen: client.conversation.roomId !== 0
    property string dismissedError: ""
    property string dismissedKeychain: ""

    color: Theme.window

    function chooseRoom(roomId) {
        roomDrawer.close()
        page.client.conversation.openRoom(roomId)
    }
    function showPanel(which) {
        panelStack.currentIndex = which === "mentions" ? 1 : 0
        sidePanel.open()
        if (which === "mentions")
            page.client.search.loadMentions()
        else
            searchPane.focusQuery()
    }
    // A search or mentions result opens its message and the panel closes, in
    // every layout (Slack and Element leave their search results for the
    // message too): the panel is a modal drawer over the conversation, so
    // kept open it would dim and cover the very message that flashes.
    // Ctrl+F (or the header's button) brings the same results back.
    function jumpTo(roomId, messageId) {
        sidePanel.close()
        page.client.conversation.jumpToMessage(roomId, messageId)
    }
    // Esc that nothing else took (popups close themselves, the composer
    // cancels an edit or a reply first): close a panel, else back to typing.
    function dismiss() {
        if (sidePanel.opened)
            sidePanel.close()
        else if (roomDrawer.opened)
            roomDrawer.close()
        else if (page.roomOpen)
            composer.input.forceActiveFocus()
    }
    Keys.onEscapePressed: page.dismiss()

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
            account: page.client.account
            attention: page.client.attention
            profile: page.client.profile
            avatars: page.client.avatars
            rooms: page.client.rooms
            conversation: page.client.conversation
            welcome: page.narrow
            onRoomChosen: (roomId) => page.chooseRoom(roomId)
            onNewDmRequested: newDmDialog.open()
            onNewGroupRequested: newGroupDialog.open()
            onBrowseRequested: browseGroupsDialog.open()
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
                conversation: page.client.conversation
                rooms: page.client.rooms
                attention: page.client.attention
                narrow: page.narrow
                room: sideRoomList.currentRoom
                onMenuRequested: roomDrawer.open()
                onSearchRequested: page.showPanel("search")
                onMentionsRequested: page.showPanel("mentions")
                groups: page.client.groups
                onInfoRequested: groupInfo.open()
            }
            ConnectionBanner {
                Layout.fillWidth: true
                account: page.client.account
            }
            Notice {
                Layout.fillWidth: true
                error: true
                text: page.client.account.errorMessage !== page.dismissedError ? page.client.account.errorMessage : ""
                onClosed: page.dismissedError = page.client.account.errorMessage
            }
            Notice { // a file that cannot be attached, saved or opened (issue 16)
                objectName: "filesNotice"
                Layout.fillWidth: true
                error: true
                text: page.client.files.errorMessage
                onClosed: page.client.files.dismissError()
            }
            Notice { // "You were removed from …": the room has gone from the list
                objectName: "removedNotice"
                Layout.fillWidth: true
                text: page.client.groups.notice
                onClosed: page.client.groups.dismissNotice()
            }
            Notice {
                Layout.fillWidth: true
                text: page.client.account.keychainMessage !== page.dismissedKeychain ? page.client.account.keychainMessage : ""
                onClosed: page.dismissedKeychain = page.client.account.keychainMessage
            }
            Notice {
                id: mentionToast
                objectName: "notificationToast"
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
                conversation: page.client.conversation
                composer: page.client.composer
                files: page.client.files
                selfUserId: page.client.account.userId
                peerUserId: sideRoomList.currentRoom ? sideRoomList.currentRoom.peerUserId : 0
                onEditRequested: (messageId) => composer.beginEdit(messageId)

                // Files dropped on the conversation wait in the composer (issue 16).
                DropArea {
                    id: fileDrop
                    objectName: "fileDropArea"
                    anchors.fill: parent
                    z: 100 // above the conversation's own layers (the empty room's start)
                    keys: ["text/uri-list"]
                    onDropped: (drop) => {
                        if (!drop.hasUrls)
                            return
                        page.client.files.addFiles(drop.urls)
                        drop.accept(Qt.CopyAction)
                    }
                    Rectangle {
                        anchors.fill: parent
                        anchors.margins: 8
                        visible: fileDrop.containsDrag
                        radius: Theme.radius
                        color: Theme.window // opaque: what is behind must not show through the words
                        border.width: 2
                        border.color: Theme.accent
                        Text {
                            anchors.centerIn: parent
                            text: qsTr("Drop files to attach them")
                            textFormat: Text.PlainText
                            color: Theme.accent
                            font.pixelSize: Theme.titleFontSize
                        }
                    }
                }
            }
            Item {
                visible: !page.roomOpen
                Layout.fillWidth: true
                Layout.fillHeight: true
                WelcomeState {
                    anchors.fill: parent
                    visible: sideRoomList.count === 0
                    displayName: page.client.account.displayName
                    canBrowse: true
                    onNewDmRequested: newDmDialog.open()
                    onNewGroupRequested: newGroupDialog.open()
                    onBrowseRequested: browseGroupsDialog.open()
                }
                Text {
                    anchors.centerIn: parent
                    visible: sideRoomList.count > 0
                    width: Math.min(parent.width - 48, 360)
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.Wrap
                    text: qsTr("Pick a conversation on the left.")
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
                text: page.client.conversation.typingText
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
                composer: page.client.composer
                conversation: page.client.conversation
                files: page.client.files
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
            account: page.client.account
            attention: page.client.attention
            profile: page.client.profile
            avatars: page.client.avatars
            rooms: page.client.rooms
            conversation: page.client.conversation
            onRoomChosen: (roomId) => page.chooseRoom(roomId)
            onNewDmRequested: { roomDrawer.close(); newDmDialog.open() }
            onNewGroupRequested: { roomDrawer.close(); newGroupDialog.open() }
            onBrowseRequested: { roomDrawer.close(); browseGroupsDialog.open() }
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
                search: page.client.search
                conversation: page.client.conversation
                onCloseRequested: sidePanel.close()
                onResultChosen: (roomId, messageId) => page.jumpTo(roomId, messageId)
            }
            MentionsInbox {
                search: page.client.search
                onCloseRequested: sidePanel.close()
                onResultChosen: (roomId, messageId) => page.jumpTo(roomId, messageId)
            }
        }
    }

    ChatShortcuts {
        rooms: page.client.rooms
        conversation: page.client.conversation
        filter: sideRoomList.filterText
        onSwitcherRequested: quickSwitcher.opened ? quickSwitcher.close() : quickSwitcher.open()
        onSearchRequested: page.showPanel("search")
        onRoomRequested: (roomId) => page.chooseRoom(roomId)
    }
    QuickSwitcher {
        id: quickSwitcher
        rooms: page.client.rooms
        onRoomChosen: (roomId) => page.chooseRoom(roomId)
        onPersonChosen: (userId) => page.client.rooms.startDm(userId)
        onBrowseRequested: browseGroupsDialog.open()
        onClosed: if (page.roomOpen) composer.input.forceActiveFocus() // back to typing, in the room picked
    }

    NewDmDialog {
        id: newDmDialog
        objectName: "newDmDialog"
        rooms: page.client.rooms
    }
    NewGroupDialog {
        id: newGroupDialog
        objectName: "newGroupDialog"
        rooms: page.client.rooms
    }
    BrowseGroupsDialog {
        id: browseGroupsDialog
        rooms: page.client.rooms
    }
    GroupInfoPanel {
        id: groupInfo
        groups: page.client.groups
        rooms: page.client.rooms
    }
    Connections { // the room went away (left, removed, switched): its panel with it
        target: page.client.conversation
        function onRoomChanged() { groupInfo.close() }
    }

    Connections {
        target: page.client.attention
        function onNotified(title, body, roomId, messageId, desktop) {
            if (desktop)
                return // the desktop shows it; the banner would repeat it
            mentionToast.roomId = roomId
            mentionToast.messageId = messageId
            mentionToast.text = title + ": " + body
        }
    }
}
