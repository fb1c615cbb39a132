import QtQuick
import QtTest
import Confab.Client
import Confab.Ui

// The group info panel in the chat page, as Mei: in her own group she is
// offered everything (rename, topic, add people, each member's actions) and
// makes Bob an admin through the member menu; in Bob's group, as a member,
// none of it is there. Context properties from tst_qml_groups.cpp.
Item {
    id: root
    width: 1100
    height: 720

    ChatPage {
        id: page
        anchors.fill: parent
        client: chatClient
    }

    TestCase {
        name: "GroupInfoPanel"
        when: windowShown

        property var panel: null

        function initTestCase() {
            panel = findChild(page, "groupInfoPanel")
            verify(panel)
        }

        function memberRow(userId) {
            const list = findChild(panel.contentItem, "memberList")
            let found = null
            tryVerify(() => {
                list.forceLayout()
                const rows = list.contentItem.children
                for (let i = 0; i < rows.length; ++i) {
                    if (rows[i].userId === userId)
                        found = rows[i]
                }
                return found !== null
            }, 5000, "the member row of " + userId)
            return found
        }
        function openPanel() {
            const button = findChild(page, "infoButton")
            tryVerify(() => button.visible && !panel.visible)
            mouseClick(button)
            tryCompare(panel, "opened", true)
        }
        function shoot(name) {
            wait(300)
            const image = grabImage(page)
            verify(image.width > 0 && image.height > 0)
            image.save(shotsDir + "/" + name + ".png")
        }

        function systemLines() {
            const lines = []
            const messages = chatClient.conversation.messages
            for (let row = 0; row < messages.rowCount(); ++row) {
                const at = messages.index(row, 0)
                if (messages.data(at, MessageListModel.KindRole) === MessageListModel.System)
                    lines.push(messages.data(at, MessageListModel.ContentRole))
            }
            return lines
        }

        function test_1_headerTopicAndSystemLines() {
            // Chosen in the page (the room list marks it, the header follows it).
            page.chooseRoom(memberRoomId)
            tryCompare(chatClient.groups, "roomId", memberRoomId)
            page.chooseRoom(ownedRoomId)
            tryCompare(chatClient.groups, "roomId", ownedRoomId)
            tryVerify(() => systemLines().length === 3)
            const topic = findChild(page, "roomTopic")
            tryVerify(() => topic.text.indexOf("Tuesdays at ten") >= 0)
            compare(topic.textFormat, Text.PlainText)
            compare(topic.elide, Text.ElideRight)
            const subtitle = findChild(page, "roomSubtitle")
            tryVerify(() => subtitle.text.indexOf("4 members") === 0, 5000, subtitle.text)
            tryVerify(() => subtitle.width >= subtitle.implicitWidth, 5000, "the member count has room")
            compare(systemLines(), ["You made Dave an admin",
                            "You changed the topic to “Tuesdays at ten: mock-ups, copy and the release checklist”",
                            "Dave added Li"])
            shoot("header-system-lines-light")
            Theme.mode = "dark"
            shoot("header-system-lines-dark")
            Theme.mode = "light"
        }

        function test_2_ownerIsOfferedEverything() {
            openPanel()
            verify(findChild(panel.contentItem, "editName").visible)
            verify(findChild(panel.contentItem, "editTopic").visible)
            verify(findChild(panel.contentItem, "addPeopleButton").visible)
            verify(findChild(panel.contentItem, "leaveGroupButton").visible)
            compare(findChild(panel.contentItem, "memberList").count, 4)
            // Not on my own row; on Bob's: all three.
            verify(!findChild(memberRow(meiId), "memberMenuButton").visible)
            const bob = memberRow(bobId)
            verify(bob.mayRemove && bob.maySetRole && bob.mayTransfer)
            compare(memberRow(daveId).rankLabel, "Admin")
            compare(memberRow(meiId).rankLabel, "Owner")
            shoot("panel-owner-light")
            Theme.mode = "dark"
            shoot("panel-owner-dark")
            Theme.mode = "light"
        }

        function test_3_makeBobAnAdmin() {
            const bob = memberRow(bobId)
            mouseClick(findChild(bob, "memberMenuButton"))
            const menu = findChild(bob, "memberMenu")
            tryCompare(menu, "opened", true)
            const item = findChild(menu.contentItem, "makeAdmin") || menu.itemAt(0)
            compare(item.text, "Make admin")
            verify(item.visible)
            item.triggered()
            menu.close()
            tryCompare(memberRow(bobId), "rankLabel", "Admin", 5000)
            compare(chatClient.groups.errorMessage, "")
            // The owner makes the group public: the server's room_updated says so.
            const publicSwitch = findChild(panel.contentItem, "publicSwitch")
            verify(publicSwitch.visible)
            compare(chatClient.groups.isPublic, false)
            mouseClick(publicSwitch)
            tryCompare(chatClient.groups, "isPublic", true, 5000)
            compare(chatClient.groups.errorMessage, "")
            panel.close()
            tryCompare(panel, "visible", false)
        }

        function test_4_memberIsOfferedNothing() {
            chatClient.conversation.openRoom(memberRoomId)
            tryCompare(chatClient.groups, "roomId", memberRoomId)
            openPanel()
            compare(chatClient.groups.myRank, MemberListModel.Member)
            verify(!findChild(panel.contentItem, "editName").visible)
            verify(!findChild(panel.contentItem, "editTopic").visible)
            verify(!findChild(panel.contentItem, "addPeopleButton").visible)
            verify(!findChild(panel.contentItem, "publicSwitch").visible)
            verify(findChild(panel.contentItem, "leaveGroupButton").visible)
            tryCompare(findChild(panel.contentItem, "memberList"), "count", 3)
            for (const id of [bobId, meiId]) {
                const row = memberRow(id)
                verify(!row.hasActions)
                verify(!findChild(row, "memberMenuButton").visible)
            }
            compare(memberRow(bobId).rankLabel, "Owner")
            shoot("panel-member-light")
            Theme.mode = "dark"
            shoot("panel-member-dark")
            Theme.mode = "light"
            panel.close()
        }
    }
}
