import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// One message. The content is someone else's input: it is shown in a
// read-only TextEdit as plain text, styled (mentions, links) by
// MessageFormatter, never interpreted as HTML or Markdown and never loading
// images. A message that mentions the signed-in user stands out as a whole.
// Hover shows the actions (reply, react, edit, delete, copy), a right click
// the same as a menu; a reply shows a quote of its original, reactions are
// chips under the text, a deleted message a muted placeholder. A system
// message ("Mei added Dave") is a compact, centred, subtle line without
// actions; its text is made by the client (SystemText) and shown as plain text.
Item {
    id: root

    required property int index
    required property double messageId
    required property string tempId
    required property double senderId
    required property string senderName
    // "@username" when another member of the room goes by the same name, else "".
    required property string senderHandle
    required property string content
    required property string timeText
    required property int status // a MessageListModel.Status
    required property var mentions
    required property bool mentionsMe
    required property bool fromMe
    required property bool firstInGroup
    required property string dayLabel
    required property int kind // a MessageListModel.Kind
    required property bool edited
    required property string editedAtText
    required property bool deleted
    required property var reactions
    required property var replyPreview
    required property bool firstUnread // the "New messages" line goes above
    required property var seenBy // [{userId, name}]: whose read receipts sit here
    required property bool pinned // in the room's pins: a mark, and Unpin instead of Pin
    required property var attachments // files (issue 16): attachment_display maps

    property FilesController files: null

    property bool directRoom: false // receipts read "Seen" rather than avatars

    property double selfUserId: 0
    // (messageId) => {edit, delete}: what the signed-in user may do with a
    // message now (ComposerController.actionRights). Asked again whenever the
    // actions show, as the windows run out while a message sits on screen;
    // asked up front too, so the bar is laid out before it first appears.
    property var rightsOf: null
    readonly property var rights: {
        hover.hovered; menu.visible // dependencies only
        return root.actionable && root.rightsOf ? root.rightsOf(root.messageId) : ({})
    }
    property bool flashing: false
    readonly property bool highlighted: mentionsMe
    readonly property bool pending: status === MessageListModel.Pending
    readonly property bool failed: status === MessageListModel.Failed
    readonly property alias body: body
    readonly property bool system: kind === MessageListModel.System
    // Actions apply to stored, visible messages of people (not system lines).
    readonly property bool actionable: messageId !== 0 && !deleted && !system
    readonly property bool hasQuote: replyPreview !== undefined && replyPreview.messageId !== undefined
    signal retryRequested(string tempId)
    signal replyRequested(double messageId)
    signal reactionToggled(double messageId, string emoji)
    signal reactionPickerRequested(double messageId, Item anchor)
    signal editRequested(double messageId)
    signal deleteRequested(double messageId)
    signal pinRequested(double messageId, bool pinned)
    signal copyRequested(double messageId)
    signal quoteActivated(double messageId)
    signal cancelRequested(string tempId)
    signal attachmentViewRequested(var attachment)
    signal attachmentSaveRequested(double fileId, string name)

    implicitHeight: column.implicitHeight

    Column {
        id: column
        width: parent.width

        Item { // day separator
            visible: root.dayLabel !== ""
            width: parent.width
            height: visible ? 40 : 0
            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                x: 16
                width: parent.width - 32
                height: 1
                color: Theme.border
            }
            Rectangle {
                anchors.centerIn: parent
                width: dayText.implicitWidth + 20
                height: 22
                radius: 11
                color: Theme.window
                border.color: Theme.border
                Text {
                    id: dayText
                    anchors.centerIn: parent
                    text: root.dayLabel
                    textFormat: Text.PlainText
                    font.pixelSize: Theme.smallFontSize
                    font.bold: true
                    color: Theme.subtleText
                }
            }
        }

        UnreadDivider {
            objectName: "unreadDivider"
            visible: root.firstUnread
            width: parent.width
            height: visible ? implicitHeight : 0
        }

        Item {
            objectName: "systemLine"
            visible: root.system
            width: parent.width
            height: visible ? systemText.implicitHeight + 12 : 0
            Text {
                id: systemText
                anchors.centerIn: parent
                width: Math.min(implicitWidth, parent.width - 64)
                text: root.content
                textFormat: Text.PlainText
                elide: Text.ElideRight
                horizontalAlignment: Text.AlignHCenter
                font.pixelSize: Theme.smallFontSize
                color: Theme.faintText
                HoverHandler { id: systemHover }
                PlainToolTip {
                    visible: systemHover.hovered
                    text: root.timeText
                }
            }
        }

        Rectangle {
            id: background
            objectName: "messageBackground"
            visible: !root.system
            width: parent.width
            height: visible ? row.implicitHeight + (root.firstInGroup ? 12 : 4) : 0
            // The jump flash wins over the mention tint: a mention opened from
            // the inbox must show which message it is.
            color: root.flashing ? Theme.jumpFlash
                                 : root.highlighted ? Theme.mentionedRow
                                                    : hover.hovered ? Theme.hover : "transparent"
            Behavior on color { ColorAnimation { duration: 200 } }

            HoverHandler { id: hover }
            TapHandler {
                acceptedButtons: Qt.RightButton
                enabled: root.actionable
                onTapped: (eventPoint) => menu.popup()
            }

            MessageActions {
                objectName: "messageActions"
                z: 2
                visible: root.actionable && (hover.hovered || menu.visible)
                anchors.right: parent.right
                anchors.rightMargin: 16
                y: -8
                canEdit: root.rights.edit === true
                canDelete: root.rights.delete === true
                canPin: root.rights.pin === true
                pinned: root.pinned
                onPinRequested: root.pinRequested(root.messageId, !root.pinned)
                onReplyRequested: root.replyRequested(root.messageId)
                onReactRequested: (anchor) => root.reactionPickerRequested(root.messageId, anchor)
                onEditRequested: root.editRequested(root.messageId)
                onDeleteRequested: root.deleteRequested(root.messageId)
                onCopyRequested: root.copyRequested(root.messageId)
            }

            // Only on the rows receipts sit at; over the row's bottom right
            // corner, so that a receipt arriving never changes the row's
            // height (and with it the list's scroll position).
            Loader {
                objectName: "seenBy"
                active: root.seenBy.length > 0
                visible: active
                z: 1
                anchors.right: parent.right
                anchors.rightMargin: 16
                anchors.bottom: parent.bottom
                anchors.bottomMargin: 1
                sourceComponent: SeenBy {
                    readers: root.seenBy
                    dm: root.directRoom
                }
            }

            MessageMenu {
                id: menu
                canEdit: root.rights.edit === true
                canDelete: root.rights.delete === true
                canPin: root.rights.pin === true
                pinned: root.pinned
                onPinRequested: root.pinRequested(root.messageId, !root.pinned)
                onReplyRequested: root.replyRequested(root.messageId)
                onReactRequested: root.reactionPickerRequested(root.messageId, background)
                onEditRequested: root.editRequested(root.messageId)
                onDeleteRequested: root.deleteRequested(root.messageId)
                onCopyRequested: root.copyRequested(root.messageId)
            }

            Text { // pinned: a small mark in the top right corner (the hover bar covers it)
                objectName: "pinMark"
                visible: root.pinned && !root.deleted
                anchors.right: parent.right
                anchors.rightMargin: 16
                y: root.firstInGroup ? 8 : 2
                text: "\ud83d\udccc"
                font.family: Theme.emojiFamily
                font.pixelSize: Theme.smallFontSize
                HoverHandler { id: pinHover }
                PlainToolTip {
                    visible: pinHover.hovered
                    text: qsTr("Pinned")
                }
            }

            Rectangle { // the bar beside a message that mentions me
                visible: root.highlighted
                width: 3
                height: parent.height
                color: Theme.mentionedBar
            }

            RowLayout {
                id: row
                x: 16
                y: root.firstInGroup ? 8 : 2
                width: parent.width - 32
                spacing: 12

                Item {
                    Layout.alignment: Qt.AlignTop
                    implicitWidth: 36
                    implicitHeight: root.firstInGroup ? 36 : hoverTime.implicitHeight
                    Avatar {
                        visible: root.firstInGroup
                        anchors.fill: parent
                        name: root.senderName
                        colorKey: root.senderId
                        userId: root.senderId
                    }
                    Text { // the time of a grouped message, on hover
                        id: hoverTime
                        visible: !root.firstInGroup && hover.hovered
                        anchors.right: parent.right
                        y: 2
                        text: root.timeText
                        textFormat: Text.PlainText
                        font.pixelSize: Theme.smallFontSize - 2
                        color: Theme.faintText
                    }
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 1

                    RowLayout {
                        visible: root.firstInGroup
                        spacing: 8
                        EmojiText { // elides itself
                            objectName: "senderName"
                            Layout.maximumWidth: row.width - 120 - (handle.visible ? handle.implicitWidth : 0)
                            Layout.preferredWidth: implicitWidth
                            text: root.senderName
                            font.bold: true
                            color: Theme.text
                        }
                        Text { // never elided: it is what tells namesakes apart
                            id: handle
                            objectName: "senderHandle"
                            visible: root.senderHandle !== ""
                            text: root.senderHandle
                            textFormat: Text.PlainText
                            color: Theme.subtleText
                        }
                        Text {
                            text: root.timeText
                            textFormat: Text.PlainText
                            font.pixelSize: Theme.smallFontSize - 1
                            color: Theme.faintText
                        }
                    }

                    ReplyQuote {
                        visible: root.hasQuote
                        Layout.maximumWidth: Math.min(520, row.width - 48)
                        Layout.preferredWidth: implicitWidth
                        preview: root.hasQuote ? root.replyPreview : ({})
                        onActivated: (messageId) => root.quoteActivated(messageId)
                    }

                    Text {
                        objectName: "deletedLine"
                        visible: root.deleted || root.system
                        text: root.deleted ? qsTr("Message deleted") : root.content
                        textFormat: Text.PlainText
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                        font.italic: true
                        font.pixelSize: Theme.fontSize
                        color: Theme.faintText
                    }

                    TextEdit {
                        id: body
                        objectName: "messageBody"
                        Layout.fillWidth: true
                        visible: !root.deleted && !root.system && (root.content !== "" || root.attachments.length === 0)
                        text: root.content
                        textFormat: TextEdit.PlainText
                        readOnly: true
                        selectByMouse: true
                        persistentSelection: false
                        wrapMode: TextEdit.Wrap
                        color: Theme.text
                        opacity: root.pending ? 0.6 : 1
                        selectionColor: Theme.accent
                        selectedTextColor: Theme.accentText
                        font.pixelSize: Theme.fontSize

                        readonly property string hoveredLink: linkHover.hovered
                            ? formatter.linkAt(body.positionAt(linkHover.point.position.x, linkHover.point.position.y))
                            : ""

                        MessageFormatter {
                            id: formatter
                            textDocument: body.textDocument
                            mentions: root.mentions
                            selfUserId: root.selfUserId
                            mentionColor: Theme.mention
                            selfMentionColor: Theme.selfMention
                            selfMentionBackground: Theme.selfMentionBackground
                            linkColor: Theme.link
                        }
                        HoverHandler {
                            id: linkHover
                            cursorShape: body.hoveredLink !== "" ? Qt.PointingHandCursor : Qt.IBeamCursor
                        }
                        TapHandler {
                            onTapped: (eventPoint) => {
                                const url = formatter.linkAt(body.positionAt(eventPoint.position.x,
                                                                             eventPoint.position.y))
                                if (url.startsWith("http://") || url.startsWith("https://"))
                                    Qt.openUrlExternally(url)
                            }
                        }
                    }

                    MessageAttachments {
                        objectName: "messageAttachments"
                        visible: root.attachments.length > 0 && !root.deleted
                        Layout.topMargin: 2
                        attachments: root.attachments
                        files: root.files
                        maxWidth: Math.max(160, row.width - 60)
                        pending: root.pending || root.failed
                        opacity: root.pending ? 0.85 : 1
                        onViewRequested: (attachment) => root.attachmentViewRequested(attachment)
                        onSaveRequested: (fileId, name) => root.attachmentSaveRequested(fileId, name)
                    }

                    Text {
                        id: editedMarker
                        objectName: "editedMarker"
                        visible: root.edited
                        text: qsTr("(edited)")
                        font.pixelSize: Theme.smallFontSize - 1
                        color: Theme.faintText
                        HoverHandler { id: editedHover }
                        PlainToolTip {
                            visible: editedHover.hovered
                            text: qsTr("Edited %1").arg(root.editedAtText)
                        }
                    }

                    ReactionChips {
                        objectName: "reactionChips"
                        visible: root.reactions.length > 0
                        Layout.fillWidth: true
                        Layout.topMargin: 2
                        reactions: root.reactions
                        onToggled: (emoji) => root.reactionToggled(root.messageId, emoji)
                        onAddRequested: (anchor) => root.reactionPickerRequested(root.messageId, anchor)
                    }

                    RowLayout {
                        visible: root.pending || root.failed
                        spacing: 6
                        Text {
                            text: root.failed ? qsTr("Not sent.") : qsTr("Sending…")
                            font.pixelSize: Theme.smallFontSize
                            color: root.failed ? Theme.danger : Theme.faintText
                        }
                        Text {
                            objectName: "retryLink"
                            visible: root.failed
                            text: qsTr("Retry")
                            font.pixelSize: Theme.smallFontSize
                            font.bold: true
                            font.underline: true
                            color: Theme.accent
                            MouseArea {
                                anchors.fill: parent
                                cursorShape: Qt.PointingHandCursor
                                onClicked: root.retryRequested(root.tempId)
                            }
                        }
                        Text {
                            objectName: "cancelSendLink"
                            visible: root.attachments.length > 0
                            text: qsTr("Cancel")
                            font.pixelSize: Theme.smallFontSize
                            font.underline: true
                            color: Theme.subtleText
                            MouseArea {
                                anchors.fill: parent
                                cursorShape: Qt.PointingHandCursor
                                onClicked: root.cancelRequested(root.tempId)
                            }
                        }
                    }
                }
            }
        }
    }
}
