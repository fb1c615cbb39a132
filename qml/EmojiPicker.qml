import QtQuick
import QtQuick.Controls
import Confab.Client

// A small emoji picker: the ones this profile uses most first, searchable by
// name. Used for reactions and by the composer.
Popup {
    id: picker
    objectName: "emojiPicker"

    required property EmojiModel model
    signal picked(string emoji)

    width: 8 * 36 + 2 * padding + 8
    height: 280
    padding: 8
    modal: false
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside

    function choose(emoji) {
        picker.model.recordUse(emoji)
        picker.picked(emoji)
        picker.close()
    }

    onOpened: {
        search.text = ""
        search.forceActiveFocus()
    }

    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: 8
    }

    contentItem: Column {
        spacing: 6
        TextField {
            id: search
            objectName: "emojiSearch"
            width: parent.width
            placeholderText: qsTr("Search emoji")
            color: Theme.text
            onTextChanged: picker.model.filter = text
            Keys.onReturnPressed: if (grid.count > 0) picker.choose(picker.model.emojiAt(0))
            Keys.onEnterPressed: if (grid.count > 0) picker.choose(picker.model.emojiAt(0))
        }
        GridView {
            id: grid
            objectName: "emojiGrid"
            width: parent.width
            height: parent.height - search.height - 6
            clip: true
            cellWidth: 36
            cellHeight: 36
            model: picker.model
            boundsBehavior: Flickable.StopAtBounds
            delegate: Rectangle {
                id: cell
                required property string emoji
                required property string name
                objectName: "emojiCell"
                width: 34
                height: 34
                radius: 6
                color: cellHover.hovered ? Theme.hover : "transparent"
                Text {
                    anchors.centerIn: parent
                    text: cell.emoji
                    textFormat: Text.PlainText
                    font.family: Theme.emojiFamily
                    font.pixelSize: 20
                }
                HoverHandler {
                    id: cellHover
                }
                PlainToolTip {
                    visible: cellHover.hovered
                    text: cell.name
                }
                TapHandler {
                    onTapped: picker.choose(cell.emoji)
                }
            }
            Text {
                anchors.centerIn: parent
                visible: grid.count === 0
                text: qsTr("No emoji found.")
                color: Theme.faintText
            }
        }
    }
}
