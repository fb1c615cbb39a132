import QtQuick
import QtQuick.Controls

// A message's right-click menu: the hover bar's actions (MessageActions) by name.
Menu {
    id: menu
    objectName: "messageMenu"

    property bool canEdit: false
    property bool canDelete: false
    signal replyRequested()
    signal reactRequested()
    signal editRequested()
    signal deleteRequested()
    signal copyRequested()

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
    MenuItem { text: qsTr("Copy text"); onTriggered: menu.copyRequested() }
}
