import QtQuick

// The reactions under a message: a chip per emoji with its count, mine
// highlighted, who reacted in the tooltip; clicking a chip turns my
// reaction on or off. The last chip asks for the picker.
Flow {
    id: chips

    property var reactions: [] // MessageListModel's reactions
    signal toggled(string emoji)
    signal addRequested(Item anchor)

    spacing: 4

    Repeater {
        model: chips.reactions
        delegate: Rectangle {
            id: chip
            objectName: "reactionChip"

            required property var modelData
            readonly property string emoji: modelData.emoji
            readonly property bool mine: modelData.mine
            readonly property int count: modelData.count

            implicitWidth: chipRow.implicitWidth + 14
            implicitHeight: 24
            radius: 12
            color: mine ? Theme.selected : (chipHover.hovered ? Theme.hover : Theme.surface)
            border.width: 1
            border.color: mine ? Theme.accent : Theme.border

            Row {
                id: chipRow
                anchors.centerIn: parent
                spacing: 4
                Text {
                    anchors.verticalCenter: parent.verticalCenter
                    text: chip.emoji
                    textFormat: Text.PlainText
                    font.family: Theme.emojiFamily
                    font.pixelSize: 14
                }
                Text {
                    objectName: "reactionCount"
                    anchors.verticalCenter: parent.verticalCenter
                    text: chip.count
                    font.pixelSize: Theme.smallFontSize
                    font.bold: chip.mine
                    color: chip.mine ? Theme.accent : Theme.subtleText
                }
            }
            HoverHandler {
                id: chipHover
            }
            PlainToolTip {
                visible: chipHover.hovered
                text: qsTr("%1 reacted with %2").arg(chip.modelData.names).arg(chip.emoji)
            }
            TapHandler {
                onTapped: chips.toggled(chip.emoji)
            }
        }
    }

    Rectangle {
        id: add
        objectName: "addReaction"
        implicitWidth: 32
        implicitHeight: 24
        radius: 12
        color: addHover.hovered ? Theme.hover : "transparent"
        border.width: 1
        border.color: Theme.border
        Text {
            anchors.centerIn: parent
            text: "+"
            font.pixelSize: Theme.fontSize
            color: Theme.subtleText
        }
        HoverHandler {
            id: addHover
        }
        PlainToolTip {
            visible: addHover.hovered
            text: qsTr("Add a reaction")
        }
        TapHandler {
            onTapped: chips.addRequested(add)
        }
    }
}
