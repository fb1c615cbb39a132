import QtQuick
import QtTest
import Confab.Ui

// Context properties from tst_qml_composer.cpp: chatClient (signed in as
// "mei", the room "设计评审" with bob, bobby and carol open), testRoomId,
// meId, bobId, bobbyId, carolId.
Item {
    id: root
    width: 800
    height: 600

    Composer {
        id: composer
        composer: chatClient.composer
        conversation: chatClient.conversation
        files: chatClient.files
        anchors.bottom: parent.bottom
        width: parent.width
    }

    TestCase {
        id: composerCase
        name: "Composer"
        when: windowShown

        function typeText(text) {
            for (let i = 0; i < text.length; ++i)
                keyClick(text[i])
        }
        function popupNames() {
            const names = []
            const model = chatClient.composer.memberCandidates
            for (let i = 0; i < model.count; ++i)
                names.push(model.get(i).username)
            return names.join(",")
        }

        function init() {
            composer.popup.close()
            composer.input.clear()
            composer.tracker.clear()
            composer.dismissedStart = -1
            composer.input.forceActiveFocus()
            tryVerify(() => composer.input.activeFocus)
        }

        function test_atOpensThePopupAndLettersFilterIt() {
            keyClick("@")
            tryVerify(() => composer.popup.opened, 3000, "typing @ opens the popup")
            tryCompare(composer.popup, "count", 3) // the room's other members, not me, not outsiders
            compare(popupNames(), "bob,bobby,carol")
            keyClick("b")
            tryCompare(composer.popup, "count", 2)
            compare(popupNames(), "bob,bobby")
            typeText("obb")
            tryCompare(composer.popup, "count", 1)
            compare(popupNames(), "bobby")
            typeText(" ") // a space ends the query
            tryVerify(() => !composer.popup.opened)
        }

        function test_arrowsAndEnterInsertTheMention() {
            const sentBefore = chatClient.conversation.messages.rowCount()
            typeText("hi @bo")
            tryCompare(composer.popup, "count", 2)
            compare(composer.popup.currentIndex, 0)
            keyClick(Qt.Key_Down)
            compare(composer.popup.currentIndex, 1)
            keyClick(Qt.Key_Down) // wraps around
            compare(composer.popup.currentIndex, 0)
            keyClick(Qt.Key_Up)
            compare(composer.popup.currentIndex, 1)
            keyClick(Qt.Key_Return)
            compare(composer.input.text, "hi @bobby ")
            compare(composer.input.cursorPosition, 10)
            tryVerify(() => !composer.popup.opened)
            compare(chatClient.conversation.messages.rowCount(), sentBefore, "Enter in the popup does not send")

            let spans = composer.tracker.mentions
            compare(spans.length, 1)
            compare(spans[0].userId, bobbyId)
            compare(spans[0].indexStart, 3)
            compare(spans[0].indexEnd, 9)

            // Editing before the mention moves its span; after it, nothing.
            typeText("look")
            keyClick(Qt.Key_Home)
            typeText("Oh ")
            compare(composer.input.text, "Oh hi @bobby look")
            spans = composer.tracker.mentions
            compare(spans.length, 1)
            compare(spans[0].indexStart, 6)
            compare(spans[0].indexEnd, 12)
            // Editing inside it drops it: the text no longer reads @bobby.
            composer.input.cursorPosition = 10
            keyClick(Qt.Key_Backspace)
            compare(composer.input.text, "Oh hi @boby look")
            compare(composer.tracker.mentions.length, 0)
        }

        function test_tabInsertsAndEscapeCloses() {
            typeText("@ca")
            tryCompare(composer.popup, "count", 1)
            keyClick(Qt.Key_Tab)
            compare(composer.input.text, "@carol ")
            compare(composer.tracker.mentions.length, 1)
            compare(composer.tracker.mentions[0].userId, carolId)

            typeText("@b")
            tryVerify(() => composer.popup.opened)
            keyClick(Qt.Key_Escape)
            verify(!composer.popup.opened)
            compare(composer.input.text, "@carol @b", "Esc leaves the text alone")
            keyClick("o") // the dismissed query stays dismissed
            wait(200)
            verify(!composer.popup.opened)
            compare(composer.tracker.mentions.length, 1)
        }

        function test_mouseChoosesACandidate() {
            typeText("@bob")
            tryCompare(composer.popup, "count", 2)
            const list = findChild(composer.popup.contentItem, "mentionList")
            verify(list)
            tryVerify(() => list.itemAtIndex(1) !== null)
            const second = list.itemAtIndex(1)
            mouseClick(second, second.width / 2, second.height / 2)
            compare(composer.input.text, "@bobby ")
            compare(composer.tracker.mentions[0].userId, bobbyId)
        }

        function test_spansAreUtf16Indices() {
            composer.input.text = "今天 😀 "
            composer.input.cursorPosition = composer.input.length
            typeText("@bo")
            tryCompare(composer.popup, "count", 2)
            keyClick(Qt.Key_Enter)
            compare(composer.input.text, "今天 😀 @bob ")
            const spans = composer.tracker.mentions
            compare(spans.length, 1)
            compare(spans[0].indexStart, 6) // 2 CJK + space + a surrogate pair + space
            compare(spans[0].indexEnd, 10)
        }

        function test_placeholderIsPlainText() {
            const placeholder = findChild(composer, "composerPlaceholder")
            verify(placeholder.visible)
            compare(placeholder.textFormat, Text.PlainText)
            compare(placeholder.text, "Message 设计评审")
            typeText("x")
            verify(!placeholder.visible)
        }

        function test_draftsAreKeptPerRoom() {
            typeText("half a thought")
            chatClient.conversation.openRoom(historyRoomId)
            tryCompare(composer.input, "text", "")
            verify(composer.input.activeFocus, "opening a room focuses the composer")
            typeText("other room")
            chatClient.conversation.openRoom(testRoomId)
            tryCompare(composer.input, "text", "half a thought")
            compare(composer.input.cursorPosition, composer.input.length)
            chatClient.conversation.openRoom(historyRoomId)
            tryCompare(composer.input, "text", "other room")
            composer.input.clear()
            chatClient.conversation.openRoom(testRoomId)
            tryCompare(composer.input, "text", "half a thought")
            composer.input.clear()
        }

        function test_enterSendsAndShiftEnterAddsALine() {
            const sentBefore = chatClient.conversation.messages.rowCount()
            typeText("first")
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            typeText("second @car")
            tryCompare(composer.popup, "count", 1)
            keyClick(Qt.Key_Return)
            compare(composer.input.text, "first\nsecond @carol ")
            keyClick(Qt.Key_Return)
            compare(composer.input.text, "")
            compare(composer.tracker.mentions.length, 0)
            tryVerify(() => chatClient.conversation.messages.rowCount() === sentBefore + 1, 3000)
        }
    }
}
