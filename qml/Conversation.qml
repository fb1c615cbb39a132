import QtQuick
import QtQuick.Controls
import Confab.Client

// The open room's messages. Opens at the newest; follows new messages until
// the user scrolls away from the bottom; scrolling near the top loads the previous page
// (the ListView keeps the visible rows in place when rows are inserted above
// them); "Newest" jumps back down; scrollToMessage centres and flashes a row.
Item {
    id: conversation

    required property ChatClient client
    property bool stickToEnd: true
    property double flashId: 0
    readonly property alias listView: list

    // Deferred (Qt.callLater): by then the user may have scrolled away, or be scrolling.
    function scrollToEnd() {
        if (stickToEnd && !list.moving && !scrollBar.pressed && list.count > 0)
            list.positionViewAtEnd()
    }
    // Near the top loads the previous page; so does a page too short to
    // fill the view. Not while the view is following the newest messages:
    // a freshly opened room is briefly at the top before it moves down.
    function maybeLoadOlder() {
        const nearTop = list.contentY - list.originY < 600
        const tooShort = list.contentHeight < list.height
        if (list.count > 0 && (tooShort || (nearTop && !stickToEnd)) && client.messages.hasMoreOlder
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
        ScrollBar.vertical: ScrollBar {
            id: scrollBar
        }

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

        function nearEnd() {
            return contentY + height >= contentHeight + originY - 48
        }
        // Only the user's own scrolling (drag, flick, wheel, scroll bar)
        // decides whether the view follows new messages; content growing or
        // the bottom margin shrinking also move contentY and must not.
        onContentYChanged: {
            if (moving || scrollBar.pressed)
                conversation.stickToEnd = nearEnd()
            conversation.maybeLoadOlder()
        }
        onMovementEnded: {
            conversation.stickToEnd = nearEnd()
            if (conversation.stickToEnd)
                Qt.callLater(conversation.scrollToEnd) // settle exactly at the bottom
            conversation.maybeLoadOlder()
        }
        onContentHeightChanged: {
            if (conversation.stickToEnd)
                Qt.callLater(conversation.scrollToEnd)
            else if (conversation.anchorRow >= 0)
                Qt.callLater(conversation.restoreAnchor, conversation.anchorRow)
        }
        onMovementStarted: conversation.anchorRow = -1
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
            list.cancelFlick() // a flick still under way would carry the view off again
            conversation.stickToEnd = true
            list.positionViewAtEnd()
        }
    }

    // An older page goes in at row 0. The ListView keeps the rows' positions,
    // but the old first row then changes height (it loses its day label and
    // sender line once older messages precede it; its layouts settle at the
    // next polish), which would move what is on screen. So the top visible
    // row is the anchor: for a moment after the insert it is put back at the
    // same place on screen whenever the content height changes, unless the
    // user scrolls.
    property int anchorRow: -1
    property real anchorOffset: 0
    // `row` is deliberately untyped: that keeps this function interpreted.
    // Qt 6.4's qmlcachegen miscompiles property reads on an itemAtIndex()
    // result in a compiled function (it reads the QVariant as the item).
    function restoreAnchor(row) {
        if (row !== anchorRow || row < 0 || list.moving)
            return
        list.forceLayout()
        const item = list.itemAtIndex(row)
        if (item)
            list.contentY = item.y - anchorOffset
    }
    Connections {
        target: conversation.client.messages
        function onRowsAboutToBeInserted(parent, first, last) {
            conversation.anchorRow = -1
            if (first !== 0 || list.count === 0 || conversation.stickToEnd)
                return
            const row = list.indexAt(list.width / 2, list.contentY + 1)
            const item = row >= 0 ? list.itemAtIndex(row) : null
            if (!item)
                return
            conversation.anchorRow = row
            conversation.anchorOffset = item.y - list.contentY
        }
        function onRowsInserted(parent, first, last) {
            if (conversation.anchorRow < 0)
                return
            conversation.anchorRow += last - first + 1
            anchorHold.restart()
            Qt.callLater(conversation.restoreAnchor, conversation.anchorRow)
        }
    }
    Timer {
        id: anchorHold
        interval: 300
        onTriggered: conversation.anchorRow = -1
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
            list.cancelFlick()
            conversation.stickToEnd = false
            list.positionViewAtIndex(row, ListView.Center)
            const item = list.itemAtIndex(row)
            conversation.flashId = item ? item.messageId : 0
            flashTimer.restart()
        }
    }
}
