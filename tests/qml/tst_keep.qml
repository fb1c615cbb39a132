import QtQuick
import QtTest
import Confab.Ui

// The composer near the length limit (a counter, no send past it, nothing
// cut) and the prompt before quitting with unsent messages. Context
// properties from tst_qml_composer.cpp: chatClient (signed in as "mei",
// a room open), testRoomId.
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

    QuitPrompt {
        id: prompt
        unsentCount: 0
    }
    SignalSpy {
        id: quitSpy
        target: prompt
        signalName: "quitConfirmed"
    }

    TestCase {
        name: "Keep"
        when: windowShown

        function findChild(item, name) {
            if (!item)
                return null
            if (item.objectName === name)
                return item
            const children = item.children !== undefined ? item.children : []
            for (let i = 0; i < children.length; ++i) {
                const found = findChild(children[i], name)
                if (found)
                    return found
            }
            return null
        }

        function test_counterShowsNearTheLimitAndBlocksPastIt() {
            const max = chatClient.composer.maxLength
            verify(max > 1000)
            const counter = composer.counter
            const send = findChild(composer, "sendButton")
            composer.input.forceActiveFocus()
            composer.input.text = "short"
            verify(!counter.visible, "no counter far from the limit")
            composer.input.text = "a".repeat(max - 10)
            verify(counter.visible)
            compare(counter.text, "10")
            verify(!counter.over)
            verify(send.enabled)

            const tooLong = "b".repeat(max + 5)
            composer.input.text = tooLong
            compare(counter.text, "-5")
            verify(counter.over)
            verify(!send.enabled, "no send past the limit")
            const unsent = chatClient.composer.unsentCount
            const rows = chatClient.conversation.messages.rowCount()
            keyClick(Qt.Key_Return)
            composer.send()
            compare(composer.input.text, tooLong, "nothing typed is thrown away")
            compare(chatClient.composer.unsentCount, unsent)
            compare(chatClient.conversation.messages.rowCount(), rows) // no pending row appeared

            // Shortened to the limit exactly: it may be sent again.
            composer.input.text = "c".repeat(max)
            verify(!counter.over)
            verify(send.enabled)
            composer.input.clear()
        }

        function test_quitAsksOnlyWithUnsentMessages() {
            prompt.confirmed = false
            prompt.unsentCount = 0
            verify(!prompt.holdsClose(), "nothing unsent: the window closes")
            verify(!prompt.opened)

            prompt.unsentCount = 2
            verify(prompt.holdsClose())
            tryVerify(() => prompt.opened)
            verify(findChild(prompt.contentItem, "quitPromptText").text.indexOf("2 message") >= 0)
            prompt.keepButton.clicked()
            tryVerify(() => !prompt.opened)
            compare(quitSpy.count, 0)
            verify(!prompt.confirmed)

            verify(prompt.holdsClose(), "asked again on the next close")
            tryVerify(() => prompt.opened)
            prompt.quitButton.clicked() // (a synthesized mouse click here lands outside the popup)
            tryVerify(() => !prompt.opened)
            compare(quitSpy.count, 1)
            verify(!prompt.holdsClose(), "confirmed: the close goes through")
        }
    }
}
