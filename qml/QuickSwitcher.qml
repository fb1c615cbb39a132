import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Ctrl+K: type part of a room's or a person's name (or @username), move with
// the arrow keys, Enter opens it, Esc closes. A person without a DM yet
// starts one. The matching and the order are QuickSwitcherModel's.
Popup {
    id: switcher
    objectName: "quickSwitcher"

    required property RoomsController rooms
    readonly property alias field: queryField
    readonly property alias list: list
    signal roomChosen(double roomId)
    signal personChosen(double userId)
    signal browseRequested() // the server's public groups, for a group not joined yet

    parent: Overlay.overlay
    x: Math.round((parent.width - width) / 2)
    y: Math.round(Math.min(parent.height * 0.15, 120))
    width: Math.min(520, parent.width - 32)
    height: Math.min(column.implicitHeight + topPadding + bottomPadding, parent.height - y - 16)
    modal: true
    focus: true
    padding: 8
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside

    background: Rectangle {
        color: Theme.surface
        radius: Theme.radius + 2
        border.color: Theme.border
    }

    onAboutToShow: {
        queryField.text = ""
        switcher.rooms.switcher.active = true
        switcher.rooms.findInSwitcher("")
        list.currentIndex = 0
    }
    onOpened: queryField.forceActiveFocus()
    onClosed: switcher.rooms.switcher.active = false

    function activate(row) {
        const item = list.itemAtIndex(row)
        if (!item)
            return
        switcher.close()
        if (item.kind === QuickSwitcherModel.Person)
            switcher.personChosen(item.userId)
        else
            switcher.roomChosen(item.roomId)
    }
    function move(step) {
        if (list.count > 0)
            list.currentIndex = Math.max(0, Math.min(list.count - 1, list.currentIndex + step))
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: 8

        ThemedField {
            id: queryField
            objectName: "switcherField"
            Layout.fillWidth: true
            placeholderText: qsTr("Jump to a conversation or a person…")
            onTextChanged: {
                switcher.rooms.findInSwitcher(text)
                list.currentIndex = 0
            }
            Keys.onUpPressed: switcher.move(-1)
            Keys.onDownPressed: switcher.move(1)
            Keys.onPressed: (event) => {
                if (event.key === Qt.Key_PageDown || event.key === Qt.Key_PageUp) {
                    switcher.move(event.key === Qt.Key_PageDown ? 8 : -8)
                    event.accepted = true
                } else if (event.key === Qt.Key_Tab || event.key === Qt.Key_Backtab) {
                    switcher.move(event.key === Qt.Key_Tab ? 1 : -1) // the field keeps the focus
                    event.accepted = true
                }
            }
            onAccepted: switcher.activate(list.currentIndex)
        }

        ListView {
            id: list
            objectName: "switcherList"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 8 * 48)
            clip: true
            model: switcher.rooms.switcher
            boundsBehavior: Flickable.StopAtBounds
            highlightMoveDuration: 0
            keyNavigationEnabled: false // the field has the focus and moves the selection
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: row
                required property int index
                required property int kind // QuickSwitcherModel.Kind
                required property double roomId
                required property double userId
                required property string name
                required property string detail
                required property int unreadCount
                required property int mentionCount
                required property bool online
                required property bool muted
                readonly property bool selected: ListView.isCurrentItem

                width: list.width
                implicitHeight: 48
                radius: Theme.radius
                color: selected ? Theme.selected : mouse.containsMouse ? Theme.hover : "transparent"

                MouseArea {
                    id: mouse
                    anchors.fill: parent
                    hoverEnabled: true
                    onClicked: switcher.activate(row.index)
                }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 8
                    anchors.rightMargin: 8
                    spacing: 10
                    opacity: row.muted ? 0.55 : 1
                    Avatar {
                        implicitWidth: 30
                        implicitHeight: 30
                        name: row.name
                        colorKey: row.kind === QuickSwitcherModel.Group ? row.roomId : row.userId
                        userId: row.kind === QuickSwitcherModel.Group ? 0 : row.userId
                        group: row.kind === QuickSwitcherModel.Group
                        showPresence: row.kind !== QuickSwitcherModel.Group
                        online: row.online
                    }
                    EmojiText {
                        objectName: "switcherName"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 10 // shares the row with the detail, elided first
                        text: row.name
                        font.bold: row.unreadCount > 0
                        color: Theme.text
                    }
                    Text {
                        Layout.maximumWidth: list.width * 0.4
                        text: row.kind === QuickSwitcherModel.Person ? row.detail + "  ·  " + qsTr("new message")
                                                                     : row.detail
                        visible: text !== ""
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font.pixelSize: Theme.smallFontSize
                        color: Theme.subtleText
                    }
                    Badge {
                        count: row.mentionCount
                        prefix: "@"
                        color: Theme.mentionBadge
                    }
                    Badge {
                        count: row.unreadCount
                        color: row.muted ? Theme.faintText : Theme.unreadBadge
                    }
                }
            }
        }

        Text {
            objectName: "switcherEmpty"
            Layout.fillWidth: true
            Layout.margins: 8
            visible: list.count === 0
            horizontalAlignment: Text.AlignHCenter
            text: queryField.text.trim() === "" ? qsTr("No conversations yet.") : qsTr("Nothing matches.")
            color: Theme.faintText
        }
        RowLayout {
            Layout.fillWidth: true
            Text {
                Layout.fillWidth: true
                Layout.leftMargin: 4
                text: qsTr("↑↓ to move · Enter to open · Esc to close")
                textFormat: Text.PlainText
                elide: Text.ElideRight
                font.pixelSize: Theme.smallFontSize - 1
                color: Theme.faintText
            }
            FlatButton {
                objectName: "switcherBrowse"
                text: qsTr("Browse groups…")
                font.pixelSize: Theme.smallFontSize
                focusPolicy: Qt.NoFocus // the arrows and Enter stay with the field
                onClicked: {
                    switcher.close()
                    switcher.browseRequested()
                }
            }
        }
    }
}
