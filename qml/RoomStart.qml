import QtQuick
import QtQuick.Layouts

// A room without messages: whose conversation this is, and what to do.
Item {
    id: start
    objectName: "roomStart"

    required property string roomName
    required property bool dm
    // A DM's other person: their picture and colour (0: a group, or unknown).
    property double peerUserId: 0

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 420)
        spacing: 8

        Avatar {
            Layout.alignment: Qt.AlignHCenter
            implicitWidth: 56
            implicitHeight: 56
            name: start.roomName
            colorKey: start.peerUserId
            userId: start.dm ? start.peerUserId : 0
            group: !start.dm
        }
        Text {
            objectName: "roomStartTitle"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: start.dm ? qsTr("This is the start of your conversation with %1.").arg(start.roomName)
                           : qsTr("This is the start of %1.").arg(start.roomName)
            textFormat: Text.PlainText
            font.pixelSize: Theme.titleFontSize
            font.bold: true
            color: Theme.text
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: start.dm ? qsTr("Only the two of you see these messages. Say hello below.")
                           : qsTr("Everyone in the group sees what is written here. Type @ and a name "
                                  + "to make sure someone notices.")
            color: Theme.subtleText
        }
    }
}
