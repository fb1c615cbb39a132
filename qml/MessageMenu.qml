import QtQuick
import QtQuick.Controls

// A message's right-click menu: the hover bar's actions (MessageActions) by name.
Menu {
    id: menu
    objectName: "messageMenu"

    property bool canEdit: false
    property bool canDelete: false
    property bool canPin: false // a group's owner and admins, either side of a DM
    property bool pinned: false
    signal replyRequested()
    signal reactRequested()
    signal editRequested()
    signal deleteRequested()
    signal copyRequested()
    signal pinRequested() // pins, or unpins when pinned

    MenuItem { text: qsTr("Reply"); onTriggered: menu.replyRequested() }
    MenuItem { text: qsTr("React…"); onTriggered: menu.reactRequested() }
    MenuItem {
        text: qsTr("Edit")
        visible: menu.canEdit
        height: visible ? implicitHeight : 0
        onTriggered: menu.editRequested()
    }
    MenuItem {
        text: qsTr("Delete…")
        visible: menu.canDelete
        height: visible ? implicitHeight : 0
        onTriggered: menu.deleteRequested()
    }
    MenuItem {
        objectName: "menuPin"
        text: menu.pinned ? qsTr("Unpin") : qsTr("Pin")
        visible: menu.canPin
        height: visible ? implicitHeight : 0
        onTriggered: menu.pinRequested()
    }
    MenuItem { text: qsTr("Copy text"); onTriggered: menu.copyRequested() }
}
