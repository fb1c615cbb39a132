import QtQuick
import QtTest
import Confab.Ui

// The new-group dialog lists who is picked with their usernames: people are
// not told apart by a room yet, and display names may be shared or look
// alike (issue 12). Context properties: see tst_composer.qml.
Item {
    id: root
    width: 500
    height: 700

    NewGroupDialog {
        id: dialog
        rooms: chatClient.rooms
    }

    TestCase {
        name: "NewGroupDialog"
        when: windowShown

        function candidate(list, username) {
            const rows = list.contentItem.children
            for (let i = 0; i < rows.length; ++i) {
                if (rows[i].username === username)
                    return rows[i]
            }
            return null
        }

        function test_pickedMembersShowTheirUsernames() {
            dialog.open()
            tryCompare(dialog, "opened", true)
            const list = findChild(dialog.contentItem, "groupCandidates")
            verify(list)
            tryVerify(() => candidate(list, "bob") !== null && candidate(list, "carol") !== null)
            mouseClick(candidate(list, "bob"))
            mouseClick(candidate(list, "carol"))
            const members = findChild(dialog.contentItem, "pickedMembers")
            compare(members.textFormat, Text.PlainText)
            // TestServer users have no display name of their own: the username stands for it.
            compare(members.text, "Members: @bob, @carol")
            dialog.close()
        }
    }
}
