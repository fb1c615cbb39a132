import QtQuick
import QtTest
import Confab.Client
import Confab.Ui

// A message that mentions me stands out as a whole; message text is shown
// as plain text whatever it contains. Context properties: see tst_composer.qml.
Item {
    id: root
    width: 600
    height: 400

    Component {
        id: delegateComponent
        MessageDelegate {}
    }

    TestCase {
        name: "MessageDelegate"
        when: windowShown

        function make(content, mentions, mentionsMe, handle) {
            return createTemporaryObject(delegateComponent, root, {
                index: 0, messageId: 5, tempId: "t-5", senderId: bobId, senderName: "Bob Wang",
                senderHandle: handle === undefined ? "" : handle,
                content: content, timeText: "10:00", status: 1, mentions: mentions,
                mentionsMe: mentionsMe, fromMe: false, firstInGroup: true, dayLabel: "Today",
                kind: MessageListModel.Text, edited: false, editedAtText: "", deleted: false,
                reactions: [], replyPreview: ({}), firstUnread: false, seenBy: [], pinned: false, attachments: [], selfUserId: meId, width: 500
            })
        }

        // A deleted message is a muted line, its text gone; an edited one
        // says so; a reply quotes its original as plain text, or says it was
        // deleted; reaction chips show counts and names as plain text.
        function test_lifecycleStates() {
            const d = make("fixed <i>typo</i>", [], false)
            verify(!findChild(d, "editedMarker").visible)
            d.edited = true
            d.editedAtText = "07/12/2026 10:05"
            verify(findChild(d, "editedMarker").visible)

            d.replyPreview = {messageId: 3, senderId: bobId, senderName: "<b>Bob</b>", text: "<img src=x> hi",
                              deleted: false}
            const quote = findChild(d, "replyQuote")
            verify(quote.visible)
            compare(findChild(quote, "quoteSender").text, "<b>Bob</b>")
            compare(findChild(quote, "quoteSender").textFormat, Text.PlainText)
            compare(findChild(quote, "quoteText").textFormat, Text.PlainText)
            d.replyPreview = {messageId: 3, senderId: bobId, senderName: "Bob", text: "", deleted: true}
            compare(findChild(quote, "quoteText").text, "Reply to a deleted message")
            verify(!findChild(quote, "quoteSender").visible)

            verify(!findChild(d, "reactionChips").visible)
            d.reactions = [{emoji: "👍", count: 2, mine: true, names: "<u>Bob</u>, You"}]
            verify(findChild(d, "reactionChips").visible)
            const chip = findChild(d, "reactionChip")
            verify(chip.mine)
            compare(findChild(chip, "reactionCount").text, "2")

            d.deleted = true
            d.content = ""
            verify(findChild(d, "deletedLine").visible)
            compare(findChild(d, "deletedLine").text, "Message deleted")
            verify(!findChild(d, "messageBody").visible)
            verify(!d.actionable, "no actions on a deleted message")
        }

        // Two members who go by one name: the handle beside the name tells
        // them apart; it is plain text like the name.
        function test_sharedNameShowsTheHandle() {
            const plain = make("hi", [], false)
            verify(!findChild(plain, "senderHandle").visible)
            const d = make("hi", [], false, "@bob <b>x</b>")
            const handle = findChild(d, "senderHandle")
            verify(handle.visible)
            compare(handle.text, "@bob <b>x</b>")
            compare(handle.textFormat, Text.PlainText)
            compare(findChild(d, "senderName").text, "Bob Wang")
            verify(handle.width > 0)
        }

        function test_mentionOfMeIsHighlighted() {
            const d = make("@mei 今天下午开会", [{userId: meId, indexStart: 0, indexEnd: 4}], true)
            verify(d)
            verify(d.highlighted)
            const background = findChild(d, "messageBackground")
            verify(Qt.colorEqual(background.color, Theme.mentionedRow))
        }

        function test_otherMessagesAreNotHighlighted() {
            const d = make("@bob 收到", [{userId: bobId, indexStart: 0, indexEnd: 4}], false)
            verify(!d.highlighted)
            const background = findChild(d, "messageBackground")
            verify(!Qt.colorEqual(background.color, Theme.mentionedRow))
        }

        function test_markupIsShownAsText() {
            const text = "<b>bold</b> <img src=\"http://127.0.0.1:1/x.png\"> &amp;"
            const d = make(text, [], false)
            const body = findChild(d, "messageBody")
            compare(body.textFormat, TextEdit.PlainText)
            compare(body.text, text)
            compare(body.length, text.length) // every character is there: nothing was parsed
            verify(body.readOnly)
        }

        function test_pendingAndFailedStates() {
            const d = make("on its way", [], false)
            verify(!d.pending && !d.failed)
            d.status = MessageListModel.Pending
            verify(d.pending)
            d.status = MessageListModel.Failed
            verify(d.failed)
            const retry = findChild(d, "retryLink")
            verify(retry.visible)
            const spy = createTemporaryObject(spyComponent, root, {target: d, signalName: "retryRequested"})
            mouseClick(retry)
            compare(spy.count, 1)
            compare(spy.signalArguments[0][0], "t-5")
        }

        Component {
            id: spyComponent
            SignalSpy {}
        }
    }
}
