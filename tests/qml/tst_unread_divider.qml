import QtQuick
import QtTest
import Confab.Ui
import Confab.Client

// Opening a room with 130 unread messages (unreadRoomId; 30 read before
// them): the "New messages" line sits above the first unread one, which is
// pages back, and the view starts there; reading down moves the read marker
// only as far as has been on screen; "Jump to first unread" goes back up.
// Context properties: see tst_qml_composer.cpp.
Item {
    id: root
    width: 700
    height: 500

    Conversation {
        id: conversation
        anchors.fill: parent
        conversation: chatClient.conversation
        composer: chatClient.composer
        selfUserId: meId
    }

    TestCase {
        name: "UnreadDivider"
        when: windowShown

        readonly property var list: conversation.listView

        function unreadOfRoom() {
            const model = chatClient.rooms.model
            for (let i = 0; i < model.rowCount(); ++i) {
                if (model.data(model.index(i, 0), RoomListModel.RoomIdRole) === unreadRoomId)
                    return model.data(model.index(i, 0), RoomListModel.UnreadCountRole)
            }
            return -1
        }
        function dividerItem() {
            const row = chatClient.conversation.messages.rowOfId(firstUnreadId)
            return row >= 0 ? list.itemAtIndex(row) : null
        }
        function dividerOnScreen() {
            const item = dividerItem()
            if (!item)
                return false
            const line = findChild(item, "unreadDivider")
            return line && line.visible && item.y + line.height > list.contentY && item.y < list.contentY + list.height
        }

        function test_opensAtTheFirstUnreadAndReadsAsItScrolls() {
            compare(unreadOfRoom(), 130)
            chatClient.conversation.openRoom(unreadRoomId)
            tryCompare(chatClient.conversation.messages, "firstUnreadId", firstUnreadId, 10000)
            verify(list.count >= 160 - 50, "older pages were loaded to reach it")
            tryVerify(dividerOnScreen, 5000, "the view starts at the line")
            const row = chatClient.conversation.messages.rowOfId(firstUnreadId)
            verify(!findChild(list.itemAtIndex(row - 1), "unreadDivider").visible, "one line only")

            // Only what was on screen is read: most of the 130 are still unread.
            wait(600)
            const left = unreadOfRoom()
            verify(left > 100 && left < 130, "read as far as shown, left " + left)

            // Down a few screens: fewer unread, never all of them.
            for (let i = 0; i < 6; ++i)
                mouseWheel(list, list.width / 2, list.height / 2, 0, -360)
            tryVerify(() => !list.moving)
            wait(600)
            verify(unreadOfRoom() < left, "the marker moved with the view")
            verify(unreadOfRoom() > 0)
            const jump = findChild(conversation, "jumpToFirstUnread")
            tryVerify(() => jump.visible, 3000, "the line is above: the jump is offered")
            mouseClick(jump)
            tryVerify(dividerOnScreen, 3000, "back at the line")

            // The newest: all read.
            mouseClick(findChild(conversation, "jumpToNewest"))
            tryVerify(() => unreadOfRoom() === 0, 5000, "all read at the newest")
        }

        function cleanupTestCase() {
            chatClient.conversation.openRoom(testRoomId)
        }
    }
}
