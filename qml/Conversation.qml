import QtQuick
import QtQuick.Controls
import Confab.Client
import Confab.Ui // FilePicker, a C++ type of this module

// The open room's messages. Opens at the newest; follows new messages until
// the user scrolls away from the bottom; scrolling near the top loads the previous page
// (the ListView keeps the visible rows in place when rows are inserted above
// them); "Newest" jumps back down; scrollToMessage centres and flashes a row.
// The messages' actions go to the composer controller; editing is the
// composer view's (editRequested), deleting asks first. A room opened with
// unread messages shows the "New messages" line at the first of them and
// starts there; the read marker follows what has been on screen (markSeen).
Item {
    id: view

    required property ConversationController conversation
    required property ComposerController composer
    property FilesController files: null
    property double selfUserId: 0
    // A DM's other person (the room list knows), for the empty room's avatar.
    property double peerUserId: 0
    property bool stickToEnd: true
    property double flashId: 0
    readonly property alias listView: list
    readonly property alias deleteDialog: deleteDialog
    readonly property alias reactionPicker: reactionPicker
    signal editRequested(double messageId)

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
        if (list.count > 0 && (tooShort || (nearTop && !stickToEnd)) && view.conversation.messages.hasMoreOlder
                && !view.conversation.loadingOlder)
            view.conversation.loadOlder()
    }

    // Save… of a file (a card, a placeholder or the viewer): the folder is
    // asked for, the name is the file's own, made safe in there.
    property double savingId: 0
    property string savingName: ""
    function saveAttachment(fileId, name) {
        savingId = fileId
        savingName = name
        folderPicker.chooseFolder()
    }
    FilePicker {
        id: folderPicker
        onFolderChosen: (folder) => view.files.saveFile(view.savingId, view.savingName, folder)
    }
    readonly property alias imageViewer: imageViewer
    ImageViewer {
        id: imageViewer
        objectName: "imageViewer"
        files: view.files
        onSaveRequested: (fileId, name) => view.saveAttachment(fileId, name)
    }

    ListView {
        id: list
        objectName: "messageList"
        anchors.fill: parent
        clip: true
        model: view.conversation.messages
        boundsBehavior: Flickable.StopAtBounds
        cacheBuffer: 1200
        // A short conversation sits at the bottom, next to the composer.
        topMargin: Math.max(0, height - contentHeight)
        ScrollBar.vertical: ScrollBar {
            id: scrollBar
        }

        delegate: MessageDelegate {
            width: list.width
            selfUserId: view.selfUserId
            directRoom: view.conversation.isDm
            rightsOf: (messageId) => view.composer.actionRights(messageId)
            flashing: messageId !== 0 && messageId === view.flashId
            onRetryRequested: (tempId) => view.composer.retry(tempId)
            onCancelRequested: (tempId) => view.composer.cancelSend(tempId)
            files: view.files
            onAttachmentViewRequested: (attachment) => imageViewer.show(attachment)
            onAttachmentSaveRequested: (fileId, name) => view.saveAttachment(fileId, name)
            onReplyRequested: (messageId) => view.composer.startReply(messageId)
            onReactionToggled: (messageId, emoji) => view.composer.toggleReaction(messageId, emoji)
            onReactionPickerRequested: (messageId, anchor) => view.pickReaction(messageId, anchor)
            onEditRequested: (messageId) => view.editRequested(messageId)
            onDeleteRequested: (messageId) => view.confirmDelete(messageId)
            onCopyRequested: (messageId) => view.composer.copyText(messageId)
            onPinRequested: (messageId, pinned) => view.conversation.pins.pin(messageId, pinned)
            onQuoteActivated: (messageId) => view.conversation.jumpToMessage(view.conversation.roomId, messageId)
        }

        header: Item {
            width: list.width
            height: 48
            BusyIndicator {
                anchors.centerIn: parent
                implicitWidth: 28
                implicitHeight: 28
                running: view.conversation.loadingOlder
                visible: running
            }
            Text {
                anchors.centerIn: parent
                visible: !view.conversation.loadingOlder && !view.conversation.messages.hasMoreOlder
                         && list.count > 0 // an empty room says it bigger (RoomStart)
                text: view.conversation.isDm
                      ? qsTr("This is the start of your conversation with %1.").arg(view.conversation.roomName)
                      : qsTr("This is the start of %1.").arg(view.conversation.roomName)
                textFormat: Text.PlainText
                width: Math.min(implicitWidth, list.width - 32)
                elide: Text.ElideRight
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
        // The same, bindable: "Newest" is not offered while the newest is in
        // view (a room opened at its unread line with little below it).
        readonly property bool endInView: contentY + height >= contentHeight + originY - 48
        // Only the user's own scrolling (drag, flick, wheel, scroll bar)
        // decides whether the view follows new messages; content growing or
        // the bottom margin shrinking also move contentY and must not.
        onContentYChanged: {
            if (moving || scrollBar.pressed)
                view.stickToEnd = nearEnd()
            view.maybeLoadOlder()
            seenTimer.restart()
        }
        onMovementEnded: {
            view.stickToEnd = nearEnd()
            if (view.stickToEnd)
                Qt.callLater(view.scrollToEnd) // settle exactly at the bottom
            view.maybeLoadOlder()
        }
        onContentHeightChanged: {
            if (view.stickToEnd)
                Qt.callLater(view.scrollToEnd)
            else if (view.anchorRow >= 0)
                Qt.callLater(view.restoreAnchor, view.anchorRow)
        }
        onMovementStarted: view.anchorRow = -1
        onHeightChanged: if (view.stickToEnd) Qt.callLater(view.scrollToEnd)
        onCountChanged: {
            if (view.stickToEnd)
                Qt.callLater(view.scrollToEnd)
            Qt.callLater(view.maybeLoadOlder)
            seenTimer.restart()
        }
    }

    // A room without messages (once its page has come: not while loading).
    property double loadedRoom: 0
    RoomStart {
        anchors.fill: parent
        visible: list.count === 0 && view.loadedRoom === view.conversation.roomId && view.loadedRoom !== 0
        roomName: view.conversation.roomName
        dm: view.conversation.isDm
        peerUserId: view.peerUserId
    }

    // What has been on screen is read: the lowest stored message in view,
    // once scrolling pauses, and only while the window is active.
    property bool dividerAbove: false
    // `row` untyped: keeps this interpreted (see restoreAnchor).
    function showDivider(row) {
        list.forceLayout()
        list.positionViewAtIndex(row, ListView.Beginning)
        // A little of what was read before stays in view above the line.
        list.contentY = Math.max(list.originY - list.topMargin, list.contentY - 40)
        seenTimer.restart()
    }
    function reportSeen() {
        const divider = view.conversation.messages.rowOfId(view.conversation.messages.firstUnreadId)
        const topRow = list.indexAt(list.width / 2, list.contentY + 1)
        view.dividerAbove = divider >= 0 && topRow >= 0 && divider < topRow
        if (!Window.active || list.count === 0)
            return
        let row = list.indexAt(list.width / 2, list.contentY + list.height - 2)
        if (row < 0 && list.nearEnd())
            row = list.count - 1
        for (; row >= 0; --row) {
            const item = list.itemAtIndex(row)
            if (item && item.messageId !== 0) {
                view.conversation.markSeen(item.messageId)
                return
            }
        }
    }
    Timer {
        id: seenTimer
        interval: 250
        onTriggered: view.reportSeen()
    }
    Connections {
        target: view.Window.window
        function onActiveChanged() { seenTimer.restart() }
    }

    function pickReaction(messageId, anchor) {
        reactionPicker.messageId = messageId
        const p = anchor.mapToItem(view, 0, anchor.height)
        reactionPicker.x = Math.max(8, Math.min(p.x, view.width - reactionPicker.width - 8))
        reactionPicker.y = p.y + reactionPicker.height + 8 < view.height ? p.y + 4
                                                                         : Math.max(8, p.y - anchor.height - reactionPicker.height - 4)
        reactionPicker.open()
    }
    function confirmDelete(messageId) {
        deleteDialog.messageId = messageId
        deleteDialog.open()
    }

    EmojiPicker {
        id: reactionPicker
        property double messageId: 0
        model: view.composer.emoji
        onPicked: (emoji) => view.composer.react(messageId, emoji, true)
    }

    ThemedDialog {
        id: deleteDialog
        objectName: "deleteDialog"
        property double messageId: 0
        anchors.centerIn: parent
        modal: true
        title: qsTr("Delete message")
        Text {
            text: qsTr("Delete this message for everyone? This cannot be undone.")
            wrapMode: Text.Wrap
            width: Math.min(360, view.width - 80)
            color: Theme.text
        }
        footer: ThemedButtonBox {
            FlatButton {
                objectName: "confirmDelete"
                text: qsTr("Delete")
                textColor: Theme.danger
                DialogButtonBox.buttonRole: DialogButtonBox.DestructiveRole
                onClicked: {
                    view.composer.deleteMessage(deleteDialog.messageId)
                    deleteDialog.close()
                }
            }
            FlatButton {
                objectName: "cancelDelete"
                text: qsTr("Cancel")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
    }

    FlatButton {
        id: firstUnreadButton
        objectName: "jumpToFirstUnread"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: 8
        visible: view.dividerAbove
        primary: true
        text: qsTr("\u2191 Jump to first unread")
        onClicked: view.conversation.jumpToFirstUnread()
    }

    FlatButton {
        id: newestButton
        objectName: "jumpToNewest"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        visible: !view.stickToEnd && list.count > 0 && !list.endInView
        primary: true
        text: qsTr("\u2193 Newest")
        onClicked: {
            list.cancelFlick() // a flick still under way would carry the view off again
            view.stickToEnd = true
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
        if (!item)
            return
        const wanted = item.y - anchorOffset
        if (Math.abs(list.contentY - wanted) > 0.5) {
            list.contentY = wanted
            anchorHold.restart() // still settling: hold on a little longer (a busy machine polishes late)
        }
    }
    Connections {
        target: view.conversation.messages
        function onRowsAboutToBeInserted(parent, first, last) {
            view.anchorRow = -1
            if (first !== 0 || list.count === 0 || view.stickToEnd)
                return
            const row = list.indexAt(list.width / 2, list.contentY + 1)
            const item = row >= 0 ? list.itemAtIndex(row) : null
            if (!item)
                return
            view.anchorRow = row
            view.anchorOffset = item.y - list.contentY
        }
        function onRowsInserted(parent, first, last) {
            if (view.anchorRow < 0)
                return
            view.anchorRow += last - first + 1
            anchorHold.restart()
            Qt.callLater(view.restoreAnchor, view.anchorRow)
        }
    }
    Timer {
        id: anchorHold
        interval: 300
        onTriggered: view.anchorRow = -1
    }

    Timer {
        id: flashTimer
        interval: 1800
        onTriggered: view.flashId = 0
    }

    Connections {
        target: view.conversation
        function onRoomChanged() {
            view.stickToEnd = true
            view.flashId = 0
        }
        function onRoomLoaded(roomId, ok) { view.loadedRoom = ok ? roomId : 0 }
        function onUnreadDividerPlaced(row) {
            list.cancelFlick()
            view.stickToEnd = false
            // After the rows just inserted are laid out.
            Qt.callLater(view.showDivider, row)
        }
        function onScrollToMessage(row) {
            list.cancelFlick()
            view.stickToEnd = false
            list.positionViewAtIndex(row, ListView.Center)
            const item = list.itemAtIndex(row)
            view.flashId = item ? item.messageId : 0
            flashTimer.restart()
        }
    }
}
