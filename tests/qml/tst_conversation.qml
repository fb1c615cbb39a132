import QtQuick
import QtTest
import Confab.Ui

// The message view over a room with 120 messages (historyRoomId): it opens
// at the newest, scrolling to the top loads the previous page without
// moving what is on screen, and "Newest" goes back down.
// Context properties: see tst_composer.qml.
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
        name: "Conversation"
        when: windowShown

        readonly property var list: conversation.listView

        function atEnd() {
            return list.contentY + list.height >= list.contentHeight + list.originY - 2
        }
        // Scrolls up like a user, with the mouse wheel, until `done()`.
        function wheelUntil(done) {
            for (let i = 0; i < 400 && !done(); ++i) {
                mouseWheel(list, list.width / 2, list.height / 2, 0, 360)
                wait(20)
            }
            verify(done(), "scrolled far enough")
        }
        function rowOf(messageId) {
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item && item.messageId === messageId)
                    return i
            }
            return -1
        }

        // Each case starts with the history room freshly opened at its newest page.
        function init() {
            chatClient.conversation.openRoom(testRoomId)
            tryCompare(chatClient.conversation, "roomId", testRoomId)
            chatClient.conversation.openRoom(historyRoomId)
            tryCompare(chatClient.conversation, "roomId", historyRoomId)
            tryCompare(list, "count", 50, 5000)
            tryVerify(atEnd, 3000, "opens at the newest message")
        }
        function cleanupTestCase() {
            chatClient.conversation.openRoom(testRoomId)
        }

        function test_opensAtTheNewestAndKeepsThePlaceWhenOlderPagesLoad() {
            wait(300)
            compare(list.count, 50, "no older page is loaded while at the newest")
            const newest = list.itemAtIndex(49)
            verify(newest)
            verify(newest.y + newest.height <= list.contentY + list.height + 1, "the newest message is in view")
            verify(!findChild(conversation, "jumpToNewest").visible)

            // At the top (positioned with no scrolling momentum, as after the
            // user stopped there) the previous page loads above what is shown,
            // and what is shown stays exactly where it is.
            conversation.stickToEnd = false
            list.positionViewAtIndex(3, ListView.Beginning)
            const top = list.itemAtIndex(3)
            const topId = top.messageId
            const topOnScreen = top.y - list.contentY
            tryVerify(() => list.count >= 100, 5000)
            tryVerify(() => !chatClient.conversation.loadingOlder)
            const row = rowOf(topId)
            compare(row, 3 + list.count - 50, "the older page went in above it")
            // Layouts settle at the next polish, which a loaded machine runs late.
            tryVerify(() => Math.abs(list.itemAtIndex(row).y - list.contentY - topOnScreen) <= 1, 2000,
                      "the rows on screen stay where they were")
            verify(findChild(conversation, "jumpToNewest").visible)

            // With the mouse wheel, like a user, back to the first message.
            wheelUntil(() => !chatClient.conversation.messages.hasMoreOlder && !chatClient.conversation.loadingOlder)
            verify(list.count >= 120)

            const newestButton = findChild(conversation, "jumpToNewest")
            mouseClick(newestButton)
            tryVerify(atEnd, 3000)
            wait(300)
            verify(atEnd(), "and stays there")
            tryVerify(() => !newestButton.visible)
        }

        function test_newMessagesFollowOnlyAtTheBottom() {
            const before = list.count
            chatClient.composer.sendMessage("at the bottom", [])
            tryCompare(list, "count", before + 1)
            tryVerify(atEnd, 3000, "a new message at the bottom stays in view")

            for (let i = 0; i < 3; ++i) // read further up
                mouseWheel(list, list.width / 2, list.height / 2, 0, 120)
            wait(50)
            tryVerify(() => !list.moving && !chatClient.conversation.loadingOlder)
            verify(!atEnd(), "scrolled up")
            const reading = list.count
            chatClient.composer.sendMessage("while reading above", [])
            tryCompare(list, "count", reading + 1)
            wait(200)
            verify(!atEnd(), "reading older messages is not interrupted")
            verify(findChild(conversation, "jumpToNewest").visible)
        }
    }
}
