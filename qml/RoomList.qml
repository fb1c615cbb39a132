import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// The signed-in user, the rooms (most recent first) with unread and mention
// badges, a filter, and the ways to start a conversation.
Rectangle {
    id: roomList

    required property AccountController account
    required property AttentionController attention
    required property ProfileController profile
    // My picture (issue 15): "Set avatar…" and "Remove avatar" in the menu.
    property AvatarController avatars: null
    required property RoomsController rooms
    required property ConversationController conversation
    readonly property alias count: list.count
    readonly property alias filterText: filterField.text
    // The delegate of the open room (for the header), or null.
    readonly property RoomDelegate currentRoom: {
        const item = list.currentItem as RoomDelegate
        return item && item.current ? item : null
    }
    // No rooms yet: the list's place explains what to do (the narrow layout,
    // where the list is all there is).
    property bool welcome: false
    readonly property bool showingWelcome: welcome && list.count === 0 && filterField.text === ""
    signal roomChosen(double roomId)
    signal newDmRequested()
    signal newGroupRequested()
    signal browseRequested()

    color: Theme.sidebar
    implicitWidth: Theme.sidebarWidth

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 12
            spacing: 10
            Avatar {
                name: roomList.account.displayName
                colorKey: roomList.account.userId
                userId: roomList.account.userId
                showPresence: true
                online: roomList.account.connectionState === Session.Online
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Text {
                    Layout.fillWidth: true
                    text: roomList.account.displayName
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    font.bold: true
                    color: Theme.text
                }
                Text {
                    objectName: "myStatus"
                    Layout.fillWidth: true
                    // My status as others see it, else my handle.
                    text: roomList.profile.status !== ProfileController.Available || roomList.profile.statusText !== ""
                          ? Theme.statusLabel(roomList.profile.status)
                            + (roomList.profile.statusText !== "" ? " · " + roomList.profile.statusText : "")
                          : "@" + roomList.account.username
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    font.pixelSize: Theme.smallFontSize
                    color: Theme.subtleText
                }
            }
            FlatButton {
                text: "\u22ee"
                font.pixelSize: 18
                Accessible.name: qsTr("Menu")
                onClicked: accountMenu.popup()
                AccountMenu {
                    id: accountMenu
                    objectName: "accountMenu"
                    account: roomList.account
                    attention: roomList.attention
                    profile: roomList.profile
                    avatars: roomList.avatars
                    onProfileDialogRequested: (mode) => profileDialog.openFor(mode)
                    onNewDmRequested: roomList.newDmRequested()
                    onNewGroupRequested: roomList.newGroupRequested()
                }
            }
        }

        ProfileDialog {
            id: profileDialog
            objectName: "profileDialog"
            profile: roomList.profile
        }

        ThemedField {
            id: filterField
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.bottomMargin: 8
            placeholderText: qsTr("Find a conversation")
        }

        WelcomeState {
            visible: roomList.showingWelcome
            Layout.fillWidth: true
            Layout.fillHeight: true
            displayName: roomList.account.displayName
            onNewDmRequested: roomList.newDmRequested()
            onNewGroupRequested: roomList.newGroupRequested()
            canBrowse: true
            onBrowseRequested: roomList.browseRequested()
        }

        ListView {
            id: list
            objectName: "roomListView"
            visible: !roomList.showingWelcome
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            model: roomList.rooms.model
            highlightFollowsCurrentItem: false
            ScrollBar.vertical: ScrollBar {}
            delegate: RoomDelegate {
                width: list.width
                conversation: roomList.conversation
                filter: filterField.text
                onChosen: (roomId) => roomList.roomChosen(roomId)
            }
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: 1
            color: Theme.border
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 8
            spacing: 4
            FlatButton {
                objectName: "newDmButton"
                Layout.fillWidth: true
                text: qsTr("+ Direct message")
                onClicked: roomList.newDmRequested()
            }
            FlatButton {
                objectName: "newGroupButton"
                Layout.fillWidth: true
                text: qsTr("+ Group")
                onClicked: roomList.newGroupRequested()
            }
        }
        FlatButton { // on a line of its own: three labels do not fit the sidebar's width
            objectName: "browseGroupsButton"
            Layout.fillWidth: true
            Layout.leftMargin: 8
            Layout.rightMargin: 8
            Layout.bottomMargin: 8
            Layout.topMargin: -4
            text: qsTr("Browse groups")
            onClicked: roomList.browseRequested()
            PlainToolTip {
                visible: parent.hovered
                text: qsTr("The server's open groups: find one and join")
            }
        }
    }
}
