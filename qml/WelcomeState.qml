import QtQuick
import QtQuick.Layouts

// First run: no conversations yet. Says what to do next and offers it:
// message someone (the people search), create a group, or browse the
// server's public groups. Fits the narrow layout (the room list's place) as
// well as the wide one (the conversation's).
Item {
    id: welcome
    objectName: "welcomeState"

    property string displayName: ""
    property bool canBrowse: false // offers the server's open groups
    signal newDmRequested()
    signal newGroupRequested()
    signal browseRequested()

    implicitHeight: column.implicitHeight + 48

    ColumnLayout {
        id: column
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 380)
        spacing: 12

        Logo {
            Layout.alignment: Qt.AlignHCenter
            implicitWidth: 56
            implicitHeight: 56
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: welcome.displayName !== "" ? qsTr("Welcome, %1!").arg(welcome.displayName) : qsTr("Welcome!")
            textFormat: Text.PlainText
            font.pixelSize: Theme.titleFontSize + 4
            font.bold: true
            color: Theme.text
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            text: welcome.canBrowse
                  ? qsTr("You have no conversations yet. Message a colleague, start a group for your team, "
                         + "or join one of the open groups on this server.")
                  : qsTr("You have no conversations yet. Message a colleague or start a group for your team.")
            color: Theme.subtleText
        }
        ColumnLayout {
            Layout.alignment: Qt.AlignHCenter
            Layout.topMargin: 8
            spacing: 8
            FlatButton {
                objectName: "welcomeNewDm"
                Layout.fillWidth: true
                primary: true
                text: qsTr("Message someone")
                onClicked: welcome.newDmRequested()
            }
            FlatButton {
                objectName: "welcomeNewGroup"
                Layout.fillWidth: true
                primary: true
                text: qsTr("Create a group")
                onClicked: welcome.newGroupRequested()
            }
            FlatButton {
                objectName: "welcomeBrowse"
                visible: welcome.canBrowse
                Layout.fillWidth: true
                text: qsTr("Browse open groups")
                onClicked: welcome.browseRequested()
            }
        }
    }
}
