import QtQuick
import QtQuick.Controls
import Confab.Client

// The open room's messages. Opens at the newest; follows new messages while
// the view is at the bottom; scrolling near the top loads the previous page
// (the ListView keeps the visible rows in place when rows are inserted above
// them); "Newest" jumps back down; scrollToMessage centres and flashes a row.
Item {
    id: conversation

    required property ChatClient client
    property bool stickToEnd: true
    property double flashId: 0
    readonly property alias listView: list

    function scrollToEnd() {
        if (list.count > 0)
            list.positionViewAtEnd()
    }
    function maybeLoadOlder() {
        if (list.count > 0 && list.contentY - list.originY < 600 && client.messages.hasMoreOlder
                && !client.loadingOlder)
            client.loadOlder()
    }

    ListView {
        id: list
        objectName: "messageList"
        anchors.fill: parent
        clip: true
        model: conversation.client.messages
        boundsBehavior: Flickable.StopAtBounds
        cacheBuffer: 1200
        // A short conversation sits at the bottom, next to the composer.
        topMargin: Math.max(0, height - contentHeight)
        ScrollBar.vertical: ScrollBar {}

        delegate: MessageDelegate {
            width: list.width
            selfUserId: conversation.client.userId
            flashing: messageId !== 0 && messageId === conversation.flashId
            onRetryRequested: (tempId) => conversation.client.retry(tempId)
        }

        header: Item {
            width: list.width
            height: 48
            BusyIndicator {
                anchors.centerIn: parent
                implicitWidth: 28
                implicitHeight: 28
                running: conversation.client.loadingOlder
                visible: running
            }
            Text {
                anchors.centerIn: parent
                visible: !conversation.client.loadingOlder && !conversation.client.messages.hasMoreOlder
                text: list.count > 0 ? qsTr("This is the beginning of the conversation.")
                                     : qsTr("No messages yet. Say hello!")
                color: Theme.faintText
                font.pixelSize: Theme.smallFontSize
            }
        }
        footer: Item {
            width: list.width
            height: 8
        }

        onContentYChanged: {
            conversation.stickToEnd = contentY + height >= contentHeight + originY - 48
            conversation.maybeLoadOlder()
        }
        onContentHeightChanged: if (conversation.stickToEnd) Qt.callLater(conversation.scrollToEnd)
        onHeightChanged: if (conversation.stickToEnd) Qt.callLater(conversation.scrollToEnd)
        onCountChanged: {
            if (conversation.stickToEnd)
                Qt.callLater(conversation.scrollToEnd)
            Qt.callLater(conversation.maybeLoadOlder)
        }
    }

    FlatButton {
        id: newestButton
        objectName: "jumpToNewest"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        visible: !conversation.stickToEnd && list.count > 0
        primary: true
        text: qsTr("\u2193 Newest")
        onClicked: {
            conversation.stickToEnd = true
            list.positionViewAtEnd()
        }
    }

    Timer {
        id: flashTimer
        interval: 1800
        onTriggered: conversation.flashId = 0
    }

    Connections {
        target: conversation.client
        function onCurrentRoomChanged() {
            conversation.stickToEnd = true
            conversation.flashId = 0
        }
        function onScrollToMessage(row) {
            conversation.stickToEnd = false
            list.positionViewAtIndex(row, ListView.Center)
            const item = list.itemAtIndex(row)
            conversation.flashId = item ? item.messageId : 0
            flashTimer.restart()
        }
    }
}
