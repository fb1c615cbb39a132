import QtQuick
import QtTest
import Confab.Client
import Confab.Ui

// Ctrl+K's popup driven by keys, the chat's shortcuts from inside the
// composer, and Esc falling through to the page. Context properties from
// tst_qml_composer.cpp: chatClient (signed in as "mei", rooms "设计评审",
// "history", "unread"; "bea" shares no room with mei), testRoomId.
Item {
    id: root
    width: 800
    height: 600

    // Stands in for ChatPage: takes the Esc that nothing below took.
    Item {
        id: page
        anchors.fill: parent
        property int escapes: 0
        Keys.onEscapePressed: ++page.escapes

        Composer {
            id: composer
            composer: chatClient.composer
            conversation: chatClient.conversation
            files: chatClient.files
            anchors.bottom: parent.bottom
            width: parent.width
        }
    }
    ChatShortcuts {
        id: shortcuts
        rooms: chatClient.rooms
        conversation: chatClient.conversation
    }
    QuickSwitcher {
        id: switcher
        rooms: chatClient.rooms
    }
    SignalSpy { id: roomSpy; target: switcher; signalName: "roomChosen" }
    SignalSpy { id: personSpy; target: switcher; signalName: "personChosen" }
    SignalSpy { id: switcherKeySpy; target: shortcuts; signalName: "switcherRequested" }
    SignalSpy { id: searchKeySpy; target: shortcuts; signalName: "searchRequested" }
    SignalSpy { id: stepSpy; target: shortcuts; signalName: "roomRequested" }

    SignalSpy { id: loadedSpy; target: chatClient.conversation; signalName: "roomLoaded" }

    TestCase {
        name: "Switcher"
        when: windowShown

        function names() {
            const out = []
            for (let i = 0; i < switcher.list.count; ++i)
                out.push(switcher.list.itemAtIndex(i).name)
            return out
        }
        function openSwitcher() {
            switcher.open()
            tryCompare(switcher, "opened", true)
            tryCompare(switcher.field, "activeFocus", true)
        }

        function init() {
            roomSpy.clear()
            personSpy.clear()
            switcherKeySpy.clear()
            searchKeySpy.clear()
            stepSpy.clear()
        }
        function cleanup() {
            switcher.close()
            tryCompare(switcher, "visible", false)
            // Back in the test room with its page in, so that the next file's
            // cases do not see it arrive halfway through.
            if (chatClient.conversation.roomId !== testRoomId) {
                loadedSpy.clear()
                chatClient.conversation.openRoom(testRoomId)
                tryVerify(() => loadedSpy.count > 0, 5000)
            }
        }

        function test_arrowsAndEnterOpenARoom() {
            openSwitcher()
            // Nothing typed yet: every room, those with unread messages first.
            tryVerify(() => switcher.list.count >= 3)
            let seenRead = false
            for (let i = 0; i < switcher.list.count; ++i) {
                const unread = switcher.list.itemAtIndex(i).unreadCount > 0
                verify(!(unread && seenRead), "an unread room below a read one")
                seenRead = seenRead || !unread
            }
            compare(switcher.list.currentIndex, 0)
            keyClick(Qt.Key_Down)
            keyClick(Qt.Key_Down)
            compare(switcher.list.currentIndex, 2)
            keyClick(Qt.Key_Up)
            compare(switcher.list.currentIndex, 1)
            verify(switcher.field.activeFocus, "the field keeps the focus while moving")

            switcher.field.text = "评审" // typed through an input method
            tryCompare(switcher.list, "count", 1)
            compare(names(), ["设计评审"])
            compare(switcher.list.currentIndex, 0)
            keyClick(Qt.Key_Return)
            compare(roomSpy.count, 1)
            compare(roomSpy.signalArguments[0][0], testRoomId)
            tryCompare(switcher, "visible", false)
        }

        function test_escCloses() {
            openSwitcher()
            switcher.field.text = "hist"
            tryCompare(switcher.list, "count", 1)
            keyClick(Qt.Key_Escape)
            tryCompare(switcher, "visible", false)
            compare(roomSpy.count, 0)
            compare(switcher.rooms.switcher.active, false)
        }

        function test_aPersonWithoutADmStartsOne() {
            openSwitcher()
            switcher.field.text = "bea" // known only to the server: search_users finds her
            tryVerify(() => switcher.list.count > 0 && switcher.list.itemAtIndex(0).kind === QuickSwitcherModel.Person)
            compare(switcher.list.itemAtIndex(0).detail, "@bea")
            keyClick(Qt.Key_Enter)
            compare(personSpy.count, 1)
            const beaId = personSpy.signalArguments[0][0]
            verify(beaId > 0)

            // What ChatPage does with it: the existing DM path, which opens the DM.
            chatClient.rooms.startDm(beaId)
            tryVerify(() => chatClient.conversation.isDm && chatClient.conversation.roomName.indexOf("bea") >= 0)
            openSwitcher()
            switcher.field.text = "bea"
            tryVerify(() => switcher.list.count > 0 && switcher.list.itemAtIndex(0).kind === QuickSwitcherModel.Direct)
            compare(switcher.list.itemAtIndex(0).roomId, chatClient.conversation.roomId)
        }

        function test_shortcutsWorkFromTheComposer() {
            chatClient.conversation.openRoom(testRoomId)
            composer.input.forceActiveFocus()
            composer.input.text = "half a sentence"
            keyClick(Qt.Key_K, Qt.ControlModifier)
            compare(switcherKeySpy.count, 1, "Ctrl+K is the switcher's, not delete-to-end-of-line")
            compare(composer.input.text, "half a sentence")
            keySequence(StandardKey.Find)
            compare(searchKeySpy.count, 1)
            keyClick(Qt.Key_Down, Qt.AltModifier)
            compare(stepSpy.count, 1)
            compare(stepSpy.signalArguments[0][0], chatClient.rooms.model.adjacentRoom(testRoomId, 1, false))
            keyClick(Qt.Key_Up, Qt.AltModifier | Qt.ShiftModifier)
            const unreadAbove = chatClient.rooms.model.adjacentRoom(testRoomId, -1, true)
            compare(stepSpy.count, unreadAbove !== 0 ? 2 : 1)

            // Esc: the composer has no edit or reply to cancel, so it reaches the page.
            const before = page.escapes
            keyClick(Qt.Key_Escape)
            compare(page.escapes, before + 1)
            composer.input.text = ""
        }
    }
}
