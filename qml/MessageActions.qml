import QtQuick

// The small bar of actions over a message the pointer is on: Reply, React,
// Edit (my messages, within the server's window) and Delete (also
// anyone's, for a group's owner and admins), Pin/Unpin (a group's owner and
// admins, either side of a DM), Copy text. The same actions are in the
// right-click menu.
Rectangle {
    id: bar
    objectName: "messageActions"

    property bool canEdit: false
    property bool canDelete: false
    property bool canPin: false
    property bool pinned: false
    signal replyRequested()
    signal reactRequested(Item anchor)
    signal editRequested()
    signal deleteRequested()
    signal copyRequested()
    signal pinRequested() // pins, or unpins when pinned

    implicitWidth: buttons.implicitWidth + 8
    implicitHeight: 30
    radius: Theme.radius
    color: Theme.surface
    border.color: Theme.border

    component ActionButton: Rectangle {
        id: button
        property string glyph
        property string tip
        property bool emoji: false
        signal clicked()
        implicitWidth: 28
        implicitHeight: 24
        radius: 4
        color: buttonHover.hovered ? Theme.hover : "transparent"
        Text {
            anchors.centerIn: parent
            text: button.glyph
            font.family: button.emoji ? Theme.emojiFamily : ""
            font.pixelSize: 15
            color: Theme.subtleText
        }
        HoverHandler {
            id: buttonHover
            cursorShape: Qt.PointingHandCursor
        }
        PlainToolTip {
            visible: buttonHover.hovered
            text: button.tip
        }
        TapHandler {
            onTapped: button.clicked()
        }
    }

    Row {
        id: buttons
        anchors.centerIn: parent
        spacing: 2
        ActionButton {
            objectName: "actionReply"
            glyph: "\u21a9"
            tip: qsTr("Reply")
            onClicked: bar.replyRequested()
        }
        ActionButton {
            id: reactButton
            objectName: "actionReact"
            glyph: "\u263a"
            tip: qsTr("React")
            onClicked: bar.reactRequested(reactButton)
        }
        ActionButton {
            objectName: "actionEdit"
            visible: bar.canEdit
            glyph: "\u270e"
            tip: qsTr("Edit")
            onClicked: bar.editRequested()
        }
        ActionButton {
            objectName: "actionDelete"
            visible: bar.canDelete
            glyph: "\u2715"
            tip: qsTr("Delete")
            onClicked: bar.deleteRequested()
        }
        ActionButton {
            objectName: "actionPin"
            visible: bar.canPin
            glyph: "\ud83d\udccc"
            emoji: true
            tip: bar.pinned ? qsTr("Unpin") : qsTr("Pin")
            onClicked: bar.pinRequested()
        }
        ActionButton {
            objectName: "actionCopy"
            glyph: "\ud83d\udccb"
            emoji: true
            tip: qsTr("Copy text")
            onClicked: bar.copyRequested()
        }
    }
}
