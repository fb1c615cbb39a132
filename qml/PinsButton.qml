import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// The header's pins: "📌 3" for the open room, opening the list of its pinned
// messages (newest pin first). A click on one jumps to it in the timeline,
// as search results and reply quotes do; Unpin for those allowed to.
FlatButton {
    id: button
    objectName: "pinsButton"

    required property ConversationController conversation
    readonly property PinsController pins: conversation.pins

    visible: conversation.roomId !== 0
    text: "\ud83d\udccc " + pins.count
    Accessible.name: qsTr("Pinned messages: %1").arg(pins.count)
    onClicked: popup.opened ? popup.close() : popup.open()

    Popup {
        id: popup
        objectName: "pinsPopup"
        y: button.height + 4
        x: Math.min(0, button.width - width)
        width: 380
        height: Math.min(440, column.implicitHeight + 16)
        padding: 8
        background: Rectangle {
            color: Theme.surface
            border.color: Theme.border
            radius: Theme.radius
        }

        ColumnLayout {
            id: column
            anchors.fill: parent
            spacing: 4
            Text {
                Layout.fillWidth: true
                Layout.margins: 4
                text: qsTr("Pinned messages")
                font.bold: true
                color: Theme.text
            }
            Text {
                objectName: "pinsEmpty"
                visible: button.pins.count === 0
                Layout.fillWidth: true
                Layout.margins: 4
                wrapMode: Text.Wrap
                text: button.pins.canPin ? qsTr("Nothing is pinned yet. Pin a message from its menu.")
                                         : qsTr("Nothing is pinned yet.")
                color: Theme.subtleText
            }
            ListView {
                id: list
                objectName: "pinsList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                implicitHeight: contentHeight
                clip: true
                model: button.pins.model
                ScrollBar.vertical: ScrollBar {}
                delegate: Rectangle {
                    id: row
                    required property double messageId
                    required property string senderName
                    required property string content
                    required property string timeText
                    width: list.width
                    implicitHeight: rowLayout.implicitHeight + 12
                    radius: 4
                    color: rowMouse.containsMouse ? Theme.hover : "transparent"
                    MouseArea {
                        id: rowMouse
                        anchors.fill: parent
                        hoverEnabled: true
                        cursorShape: Qt.PointingHandCursor
                        onClicked: {
                            popup.close()
                            button.conversation.jumpToMessage(button.conversation.roomId, row.messageId)
                        }
                    }
                    RowLayout {
                        id: rowLayout
                        x: 6
                        y: 6
                        width: parent.width - 12
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 1
                            Text {
                                Layout.fillWidth: true
                                text: row.senderName + "  ·  " + row.timeText
                                textFormat: Text.PlainText
                                elide: Text.ElideRight
                                font.pixelSize: Theme.smallFontSize
                                font.bold: true
                                color: Theme.subtleText
                            }
                            Text {
                                objectName: "pinText"
                                Layout.fillWidth: true
                                text: row.content
                                textFormat: Text.PlainText // someone's input: never markup
                                wrapMode: Text.Wrap
                                maximumLineCount: 2
                                elide: Text.ElideRight
                                color: Theme.text
                            }
                        }
                        FlatButton {
                            objectName: "unpinButton"
                            visible: button.pins.canPin
                            text: qsTr("Unpin")
                            font.pixelSize: Theme.smallFontSize
                            onClicked: button.pins.pin(row.messageId, false)
                        }
                    }
                }
            }
        }
    }
}
