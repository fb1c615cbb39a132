import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// One member in the group info panel: avatar with presence, name, role
// label, and a menu of what I may do to them (GroupController's rights;
// actions I may not take are not in it at all).
Rectangle {
    id: delegate

    required property GroupController groups
    required property double userId
    required property string name
    required property string username
    required property int rank // MemberListModel.Rank
    required property string rankLabel
    required property bool online
    required property bool isSelf
    signal transferRequested(double userId, string name)
    signal removeRequested(double userId, string name)

    // Asked again whenever roles change (the controller's roomChanged).
    readonly property bool mayRemove: { groups.myRank; delegate.rank; return groups.canRemove(userId) }
    readonly property bool maySetRole: { groups.myRank; delegate.rank; return groups.canSetRole(userId) }
    readonly property bool mayTransfer: { groups.myRank; delegate.rank; return groups.canTransfer(userId) }
    readonly property bool hasActions: mayRemove || maySetRole || mayTransfer

    implicitHeight: 44
    radius: Theme.radius
    color: hover.hovered ? Theme.hover : "transparent"
    HoverHandler { id: hover }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 4
        spacing: 10
        Avatar {
            implicitWidth: 30
            implicitHeight: 30
            name: delegate.name
            userId: delegate.userId
            showPresence: true
            online: delegate.online
        }
        EmojiText {
            objectName: "memberName"
            Layout.fillWidth: true
            text: delegate.isSelf ? qsTr("%1 (you)").arg(delegate.name) : delegate.name
            color: Theme.text
        }
        Text {
            objectName: "rankLabel"
            visible: delegate.rankLabel !== ""
            text: delegate.rankLabel
            textFormat: Text.PlainText
            font.pixelSize: Theme.smallFontSize
            color: delegate.rank === MemberListModel.Owner ? Theme.accent : Theme.subtleText
        }
        Item { // the menu's place is kept, so that role labels line up
            implicitWidth: 32
            implicitHeight: 32
            FlatButton {
                objectName: "memberMenuButton"
                anchors.fill: parent
                visible: delegate.hasActions
                text: "\u22ee"
                Accessible.name: qsTr("Actions for %1").arg(delegate.name)
                onClicked: menu.popup()
            }
        }
    }

    Menu {
        id: menu
        objectName: "memberMenu"
        palette.window: Theme.surface
        palette.windowText: Theme.text
        palette.text: Theme.text
        palette.buttonText: Theme.text
        palette.light: Theme.hover
        palette.midlight: Theme.hover
        MenuItem {
            objectName: "makeAdmin"
            visible: delegate.maySetRole
            height: visible ? implicitHeight : 0
            text: delegate.rank === MemberListModel.Admin ? qsTr("Remove admin") : qsTr("Make admin")
            onTriggered: delegate.groups.setRole(delegate.groups.roomId, delegate.userId,
                                                 delegate.rank === MemberListModel.Admin ? MemberListModel.Member
                                                                                         : MemberListModel.Admin)
        }
        MenuItem {
            objectName: "transferOwnership"
            visible: delegate.mayTransfer
            height: visible ? implicitHeight : 0
            text: qsTr("Transfer ownership…")
            onTriggered: delegate.transferRequested(delegate.userId, delegate.name)
        }
        MenuItem {
            objectName: "removeMember"
            visible: delegate.mayRemove
            height: visible ? implicitHeight : 0
            text: qsTr("Remove from group…")
            onTriggered: delegate.removeRequested(delegate.userId, delegate.name)
        }
    }
}
