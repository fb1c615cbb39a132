import QtQuick
import QtTest
import Confab.Ui

// A message opened from search or the mentions inbox (jumpToMessage) is
// centred and flashes long enough to be seen: at least 1.5 s, then back.
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

    SignalSpy { id: loadedSpy; target: chatClient.conversation; signalName: "roomLoaded" }

    TestCase {
        name: "JumpFlash"
        when: windowShown

        function delegateOf(messageId) {
            const list = conversation.listView
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item && item.messageId === messageId)
                    return item
            }
            return null
        }

        function test_theOpenedMessageFlashesForAtLeastASecondAndAHalf() {
            chatClient.conversation.openRoom(historyRoomId)
            tryVerify(() => conversation.listView.count > 40)
            const list = conversation.listView
            tryVerify(() => list.itemAtIndex(list.count - 12) !== null)
            const target = list.itemAtIndex(list.count - 12).messageId
            verify(target > 0)
            chatClient.conversation.openRoom(testRoomId) // from another room, as from search
            tryCompare(chatClient.conversation, "roomId", testRoomId)

            chatClient.conversation.jumpToMessage(historyRoomId, target)
            tryVerify(() => delegateOf(target) !== null && delegateOf(target).flashing, 5000)
            const started = Date.now()
            const item = delegateOf(target)
            const background = findChild(item, "messageBackground")
            tryVerify(() => Qt.colorEqual(background.color, Theme.jumpFlash), 1000)
            verify(item.y + item.height > conversation.listView.contentY
                   && item.y < conversation.listView.contentY + conversation.listView.height, "in view")
            wait(1500 - (Date.now() - started))
            verify(delegateOf(target).flashing, "still flashing after 1.5 s")
            tryVerify(() => !delegateOf(target).flashing, 1500)
        }

        function cleanup() {
            // Back in the test room with its page in, so that the next file's
            // cases do not see it arrive halfway through.
            if (chatClient.conversation.roomId !== testRoomId) {
                loadedSpy.clear()
                chatClient.conversation.openRoom(testRoomId)
                tryVerify(() => loadedSpy.count > 0, 5000)
            }
        }
    }
}
