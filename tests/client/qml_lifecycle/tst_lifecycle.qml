import QtQuick
import QtTest
import Confab.Client
import Confab.Ui

// A message's life in the chat page, driven like a user: Up edits my last
// message, Esc cancels; Delete asks first; a reply's quote jumps to its
// original several pages back; a reaction chip turns mine on and off.
// Context properties from tst_qml_lifecycle.cpp: chatClient (signed in as
// "mei" with the room open), quotedId, replyId, reactedId, mineId, shotsDir.
Item {
    id: root
    width: 1100
    height: 760

    ChatPage {
        id: page
        anchors.fill: parent
        client: chatClient
    }

    TestCase {
        id: testCase
        name: "Lifecycle"
        when: windowShown

        // Looked up once: as a binding, findChild() would walk the whole page
        // again whenever any item's children change (every delegate the
        // list creates), starving the in-process server for seconds.
        property var conversation: null
        property var list: null
        property var input: null
        readonly property var messages: chatClient.conversation.messages

        function initTestCase() {
            conversation = findChild(page, "conversation")
            list = conversation.listView
            input = findChild(page, "composerInput")
        }

        // The delegate of a message, scrolled into view; null when the message
        // is not loaded. Retried: while older pages are still arriving (after a
        // jump) rows move, and a loaded CI machine lays the list out late.
        function delegateOf(messageId) {
            if (messages.rowOfId(messageId) < 0)
                return null
            let item = null
            tryVerify(() => {
                const row = messages.rowOfId(messageId)
                list.positionViewAtIndex(row, ListView.Center)
                list.forceLayout()
                item = list.itemAtIndex(row)
                return item !== null
            }, 5000, "the delegate of message " + messageId + " is laid out")
            return item
        }
        function hoverAction(delegate, name) {
            mouseMove(delegate, delegate.width / 2, delegate.height / 2)
            const actions = findChild(delegate, "messageActions")
            tryVerify(() => actions.visible, 2000, "hovering shows the actions")
            const button = findChild(actions, name)
            tryVerify(() => button.visible, 2000, name + " is offered")
            waitForRendering(actions) // laid out before it is clicked
            return button
        }

        function init() {
            input.forceActiveFocus()
            tryVerify(() => input.activeFocus)
        }

        function test_1_upEditsMyLastMessageAndEscCancels() {
            const composer = findChild(page, "composer")
            keyClick(Qt.Key_Up)
            compare(input.text, "I will write the notes tonigth")
            verify(findChild(composer, "editingBar").visible, "the composer says it is editing")
            keyClick(Qt.Key_Escape)
            compare(input.text, "")
            verify(!findChild(composer, "editingBar").visible)
            compare(chatClient.composer.editingId, 0)

            keyClick(Qt.Key_Up)
            input.remove(input.length - 7, input.length)
            input.insert(input.length, "tonight")
            keyClick(Qt.Key_Return)
            compare(input.text, "", "saving leaves the edit")
            const d = delegateOf(mineId)
            tryCompare(d, "content", "I will write the notes tonight")
            verify(d.edited)
            verify(findChild(d, "editedMarker").visible)
            compare(list.count, messages.rowCount(), "edited in place: no new row")
        }

        function test_2_deleteAsksFirst() {
            let d = delegateOf(mineId)
            mouseClick(hoverAction(d, "actionDelete"))
            const dialog = conversation.deleteDialog
            tryVerify(() => dialog.opened)
            mouseClick(findChild(dialog.footer, "cancelDelete"))
            tryVerify(() => !dialog.opened)
            wait(200)
            verify(!d.deleted, "cancelled: still there")

            d = delegateOf(mineId)
            mouseClick(hoverAction(d, "actionDelete"))
            tryVerify(() => dialog.opened)
            mouseClick(findChild(dialog.footer, "confirmDelete"))
            tryVerify(() => d.deleted, 3000)
            const line = findChild(d, "deletedLine")
            verify(line.visible)
            compare(line.text, "Message deleted")
            verify(!findChild(d, "messageBody").visible)
        }

        function test_3_replyQuoteJumpsToTheOriginal() {
            const d = delegateOf(replyId)
            verify(d)
            const quote = findChild(d, "replyQuote")
            verify(quote.visible)
            compare(findChild(quote, "quoteSender").text, "bob") // TestServer's users go by their usernames
            compare(findChild(quote, "quoteText").text, "The plan: ship on Friday.")
            compare(delegateOf(quotedId), null, "the original is not loaded yet")
            mouseClick(quote)
            tryCompare(conversation, "flashId", quotedId, 5000)
            const original = list.itemAtIndex(messages.rowOfId(quotedId))
            verify(original, "older pages were loaded up to the original")
            verify(original.y + original.height > list.contentY && original.y < list.contentY + list.height,
                   "the original is in view")
        }

        function test_4_reactionChipToggles() {
            let d = delegateOf(reactedId)
            const chips = findChild(d, "reactionChips")
            verify(chips.visible)
            const chipOf = (emoji) => {
                for (let i = 0; i < chips.children.length; ++i) {
                    const c = chips.children[i]
                    if (c.objectName === "reactionChip" && c.emoji === emoji)
                        return c
                }
                return null
            }
            let thumbs = chipOf("👍")
            compare(thumbs.count, 1)
            verify(!thumbs.mine)
            mouseClick(thumbs)
            tryVerify(() => chipOf("👍") && chipOf("👍").count === 2 && chipOf("👍").mine, 3000)
            waitForRendering(chips) // the chips are laid out again before the next click
            mouseClick(chipOf("👍"))
            tryVerify(() => chipOf("👍") && chipOf("👍").count === 1 && !chipOf("👍").mine, 3000)
            waitForRendering(chips)

            // The picker adds a new one.
            mouseClick(findChild(chips, "addReaction"))
            const picker = conversation.reactionPicker
            tryVerify(() => picker.opened)
            keyClick("r"); keyClick("o"); keyClick("c"); keyClick("k")
            tryVerify(() => findChild(picker, "emojiGrid").count === 1)
            keyClick(Qt.Key_Return)
            tryVerify(() => chipOf("🚀") !== null && chipOf("🚀").mine, 3000)
            compare(chipOf("❤️").count, 1, "the other chips are untouched")
            verify(!chipOf("❤️").mine)
            compare(chipOf("👍").count, 1)
        }

        function test_6_rightClickMenuAndComposerEmoji() {
            const d = delegateOf(reactedId)
            mouseClick(d, d.width / 2, d.height / 2, Qt.RightButton)
            const menu = findChild(d, "messageMenu")
            tryVerify(() => menu.opened)
            verify(!menu.itemAt(2).visible, "no Edit on someone else's message")
            verify(!menu.itemAt(3).visible, "no Delete either: mei is a plain member of bob's group")
            mouseClick(menu.itemAt(0)) // Reply
            tryCompare(chatClient.composer, "replyToId", reactedId)
            verify(findChild(page, "replyBar").visible)
            input.forceActiveFocus()
            keyClick(Qt.Key_Escape)
            compare(chatClient.composer.replyToId, 0)

            const composer = findChild(page, "composer")
            mouseClick(findChild(composer, "emojiButton"))
            tryVerify(() => composer.emojiPicker.opened)
            keyClick("p"); keyClick("i"); keyClick("z"); keyClick("z"); keyClick("a")
            keyClick(Qt.Key_Return)
            tryVerify(() => !composer.emojiPicker.opened)
            compare(input.text, "🍕")
            input.clear()
        }

        function shoot(name) {
            wait(300)
            const image = grabImage(page)
            verify(image.width > 0 && image.height > 0)
            image.save(shotsDir + "/" + name + ".png") // throws when it cannot
        }

        function test_7_screenshots() {
            chatClient.conversation.openRoom(chatClient.conversation.roomId) // back at the newest
            chatClient.composer.startReply(replyId)
            list.positionViewAtEnd()
            wait(200)
            mouseClick(hoverAction(delegateOf(reactedId), "actionReact"))
            tryVerify(() => conversation.reactionPicker.opened)
            shoot("lifecycle-light")
            Theme.mode = "dark"
            shoot("lifecycle-dark")
            conversation.reactionPicker.close()
            chatClient.composer.cancelReply()
            input.forceActiveFocus()
            keyClick(Qt.Key_Up) // editing my newest message left
            verify(chatClient.composer.editingId !== 0)
            mouseMove(page, 10, 10)
            shoot("lifecycle-editing-dark")
            Theme.mode = "light"
            shoot("lifecycle-editing-light")
            keyClick(Qt.Key_Escape)
            compare(chatClient.composer.editingId, 0)
        }
    }
}
