import QtQuick
import QtTest
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
                selfUserId: meId, width: 500
            })
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
            d.status = 0
            verify(d.pending)
            d.status = 2
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
