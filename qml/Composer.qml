import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client
import Confab.Ui // FilePicker, a C++ type of this module

// Writing a message. Enter sends, Shift+Enter starts a new line. Typing "@"
// opens the member popup: ↑/↓ choose, Enter or Tab insert "@username ", Esc
// closes it, the mouse works too. MentionTracker keeps the inserted
// mentions' UTF-16 spans right while the text is edited around them. Each
// room keeps its unsent draft, saved as the user types (shortly after the
// last key) and on a room switch, also across restarts. Near the server's
// length limit a counter shows what is left; past it nothing is sent and
// nothing is cut: the text stays for the user to shorten.
// Editing happens in place: Up in an empty composer (or Edit on a message)
// loads the message with an "Editing" bar, Enter saves, Esc cancels and
// brings back what was being written. A reply shows its bar the same way.
// Files (issue 16): the paperclip, a drop on the conversation or Ctrl+V of
// an image add them as chips above the text; Send takes them with the text
// (or alone), and the message waits in the outbox until they are uploaded.
Rectangle {
    id: root

    required property ComposerController composer
    required property ConversationController conversation
    required property FilesController files
    readonly property alias chips: chips
    readonly property bool hasFiles: files.pending.count > 0
    // Files wait for their thumbnails; an edit never carries files.
    readonly property bool canSend: !tooLong && (input.text.trim() !== ""
                                                 || (hasFiles && !files.preparing && !editing))
    readonly property alias input: input
    readonly property alias tracker: tracker
    readonly property alias popup: popup
    property int queryStart: -1      // where the "@query" being typed starts, or -1
    property string lastQuery: ""
    property int dismissedStart: -1  // Esc closed the popup for the "@" at this index
    property double roomId: conversation.roomId
    property double draftRoom: 0
    property bool restoring: false
    readonly property bool editing: composer.editingId !== 0
    property string stashedText: "" // what was being written when an edit began
    readonly property alias emojiPicker: emojiPicker
    readonly property alias counter: counter
    readonly property bool tooLong: counter.over

    implicitHeight: frame.implicitHeight + 20 + bars.implicitHeight + chipsSpace
    readonly property real chipsSpace: chips.visible ? chips.implicitHeight + 8 : 0
    color: Theme.window

    // What is being written (while an edit is under way, the stash).
    function draftText() {
        return editing ? stashedText : input.text
    }
    function saveDraftNow() {
        draftTimer.stop()
        if (draftRoom !== 0)
            root.composer.saveDraft(draftRoom, draftText())
    }
    function send() {
        if (!canSend)
            return
        const spans = tracker.mentions
        const wasEditing = editing
        root.composer.submit(input.text, spans) // leaves the edit: onEditingChanged restores the stash
        if (wasEditing)
            return
        restoring = true
        input.clear()
        tracker.clear()
        restoring = false
        popup.close()
        draftTimer.stop()
        root.composer.saveDraft(roomId, "")
    }
    function updateQuery() {
        const q = tracker.queryAt(input.cursorPosition)
        if (!q.active || !input.activeFocus) {
            queryStart = -1
            dismissedStart = -1
            popup.close()
            return
        }
        queryStart = q.start
        if (q.start === dismissedStart)
            return
        if (q.query !== lastQuery || !popup.opened) {
            lastQuery = q.query
            popup.currentIndex = 0
            root.composer.queryMembers(q.query)
        }
        popup.open()
    }
    function acceptCandidate(userId, username) {
        if (queryStart < 0)
            return
        const text = tracker.insertMention(queryStart, input.cursorPosition, userId, username)
        const cursor = tracker.cursorAfterInsert()
        restoring = true
        input.text = text
        input.cursorPosition = cursor
        restoring = false
        popup.close()
        root.conversation.setTyping(true)
    }
    // `edit`: {content, mentions} from ComposerController.startEdit(), {} when not editable.
    function loadEdit(edit) {
        if (edit.content === undefined)
            return false
        restoring = true
        tracker.load(edit.content, edit.mentions)
        input.text = edit.content
        input.cursorPosition = input.length
        restoring = false
        popup.close()
        input.forceActiveFocus()
        return true
    }
    function beginEdit(messageId) {
        const stash = editing ? stashedText : input.text
        if (loadEdit(root.composer.startEdit(messageId)))
            stashedText = stash
    }
    function cancelEdit() {
        root.composer.cancelEdit()
    }
    onEditingChanged: {
        if (editing)
            return
        // Saved, cancelled, or the message went away: back to what was being written.
        restoring = true
        tracker.clear()
        input.text = stashedText
        input.cursorPosition = input.length
        stashedText = ""
        restoring = false
    }
    function insertText(text) {
        const at = input.cursorPosition
        input.insert(at, text)
        input.cursorPosition = at + text.length
        input.forceActiveFocus()
    }
    function handleKey(event) {
        const enter = event.key === Qt.Key_Return || event.key === Qt.Key_Enter
        // An image on the clipboard (a screenshot) becomes an attachment;
        // anything else is pasted as text by the field itself.
        if (event.matches(StandardKey.Paste) && !editing && root.files.pasteImage()) {
            event.accepted = true
            return
        }
        if (popup.opened) {
            if (event.key === Qt.Key_Down) {
                popup.move(1)
                event.accepted = true
                return
            }
            if (event.key === Qt.Key_Up) {
                popup.move(-1)
                event.accepted = true
                return
            }
            if (event.key === Qt.Key_Escape) {
                dismissedStart = queryStart
                popup.close()
                event.accepted = true
                return
            }
            if ((enter || event.key === Qt.Key_Tab) && popup.count > 0) {
                popup.acceptCurrent()
                event.accepted = true
                return
            }
        }
        if (event.key === Qt.Key_Up && input.length === 0 && !editing) {
            event.accepted = loadEdit(root.composer.startEditLast())
            return
        }
        if (event.key === Qt.Key_Escape && (editing || root.composer.replyToId !== 0)) {
            if (editing)
                cancelEdit()
            else
                root.composer.cancelReply()
            event.accepted = true
            return
        }
        if (enter && !(event.modifiers & Qt.ShiftModifier)) {
            send()
            event.accepted = true
        }
    }

    onRoomIdChanged: {
        saveDraftNow()
        draftRoom = roomId
        restoring = true
        tracker.clear()
        input.text = root.composer.draft(roomId)
        input.cursorPosition = input.length
        restoring = false
        popup.close()
        if (roomId !== 0 && visible)
            input.forceActiveFocus()
    }
    Component.onCompleted: draftRoom = roomId
    Component.onDestruction: saveDraftNow()

    Timer {
        id: draftTimer
        interval: 600
        onTriggered: root.saveDraftNow()
    }

    MentionTracker {
        id: tracker
    }
    // Emoji typed or picked show in colour, as in the sent message.
    EmojiHighlighter {
        document: input.textDocument
    }

    ComposerBars {
        id: bars
        x: 16
        width: parent.width - 32
        editing: root.editing
        replying: root.composer.replyToId !== 0
        replyPreview: root.composer.replyPreview
        onCancelEditRequested: root.cancelEdit()
        onCancelReplyRequested: root.composer.cancelReply()
    }

    AttachmentChips {
        id: chips
        objectName: "attachmentChips"
        x: 16
        y: bars.height + 4
        width: parent.width - 32
        files: root.files
    }

    FilePicker {
        id: filePicker
        onFilesChosen: (urls) => root.files.addFiles(urls)
    }

    Rectangle {
        id: frame
        anchors.fill: parent
        anchors.topMargin: 4 + bars.height + root.chipsSpace
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        anchors.bottomMargin: 12
        implicitHeight: Math.min(Math.max(input.implicitHeight, 40), 180)
        radius: 8
        color: Theme.surface
        border.width: input.activeFocus || root.editing ? 2 : 1
        border.color: root.editing ? Theme.editingBar : input.activeFocus ? Theme.accent : Theme.border

        RowLayout {
            anchors.fill: parent
            anchors.rightMargin: 6
            spacing: 4

            FlatButton {
                id: attachButton
                objectName: "attachButton"
                Layout.alignment: Qt.AlignBottom
                Layout.bottomMargin: 5
                Layout.leftMargin: 4
                enabled: !root.editing
                text: "📎"
                font.family: Theme.emojiFamily
                font.pixelSize: Theme.fontSize + 2
                onClicked: filePicker.openFiles()
            }
            ScrollView {
                id: scroll
                Layout.fillWidth: true
                Layout.fillHeight: true
                TextArea {
                    id: input
                    objectName: "composerInput"
                    textFormat: TextEdit.PlainText
                    wrapMode: TextEdit.Wrap
                    color: Theme.text
                    selectionColor: Theme.accent
                    selectedTextColor: Theme.accentText
                    leftPadding: 12
                    rightPadding: 8
                    topPadding: 10
                    bottomPadding: 10
                    background: null
                    Keys.onPressed: (event) => root.handleKey(event)

                    onTextChanged: {
                        tracker.setText(text)
                        if (!root.restoring) {
                            root.conversation.setTyping(text.length > 0)
                            if (!root.editing)
                                draftTimer.restart()
                        }
                        Qt.callLater(root.updateQuery)
                    }
                    onCursorPositionChanged: Qt.callLater(root.updateQuery)
                    onActiveFocusChanged: if (!activeFocus) Qt.callLater(root.updateQuery)

                    // Not placeholderText: the style shows that with Text's
                    // default AutoText format, and the room name is someone's input.
                    Text {
                        objectName: "composerPlaceholder"
                        x: input.leftPadding
                        y: input.topPadding
                        width: input.width - input.leftPadding - input.rightPadding
                        visible: input.length === 0 && input.preeditText === ""
                        text: root.conversation.roomName !== ""
                              ? qsTr("Message %1").arg(root.conversation.roomName) : qsTr("Message")
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font: input.font
                        color: Theme.faintText
                    }
                }
            }
            LengthCounter {
                id: counter
                Layout.alignment: Qt.AlignBottom
                Layout.bottomMargin: 12
                length: input.length
                maximum: root.composer.maxLength
            }
            FlatButton {
                id: emojiButton
                objectName: "emojiButton"
                Layout.alignment: Qt.AlignBottom
                Layout.bottomMargin: 5
                text: "☺"
                font.pixelSize: Theme.fontSize + 2
                onClicked: {
                    emojiPicker.x = Math.max(0, root.width - emojiPicker.width - 16)
                    emojiPicker.y = frame.y - emojiPicker.height - 4
                    emojiPicker.open()
                }
            }
            FlatButton {
                objectName: "sendButton"
                Layout.alignment: Qt.AlignBottom
                Layout.bottomMargin: 5
                primary: true
                enabled: root.canSend
                text: root.editing ? qsTr("Save") : qsTr("Send")
                onClicked: root.send()
            }
        }
    }

    EmojiPicker {
        id: emojiPicker
        model: root.composer.emoji
        onPicked: (emoji) => root.insertText(emoji)
    }

    MentionPopup {
        id: popup
        objectName: "mentionPopup"
        x: 16
        y: -height + 2
        width: Math.min(320, root.width - 32)
        model: root.composer.memberCandidates
        onCandidateChosen: (userId, username) => root.acceptCandidate(userId, username)
    }
}
