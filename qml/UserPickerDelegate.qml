import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A user in the DM and group pickers; `checkable` shows a check box.
Rectangle {
    id: delegate

    required property double userId
    required property string username
    required property string displayName
    required property bool online
    property bool checkable: false
    property bool checked: false
    signal clicked()

    implicitHeight: 48
    radius: 6
    color: mouse.containsMouse ? Theme.hover : "transparent"

    MouseArea {
        id: mouse
        anchors.fill: parent
        hoverEnabled: true
        onClicked: delegate.clicked()
    }
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 8
        spacing: 10
        ThemedCheckBox {
            visible: delegate.checkable
            checked: delegate.checked
            onClicked: delegate.clicked()
        }
        Avatar {
            implicitWidth: 32
            implicitHeight: 32
            name: delegate.displayName !== "" ? delegate.displayName : delegate.username
            colorKey: delegate.userId
            userId: delegate.userId
            showPresence: true
            online: delegate.online
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Text {
                Layout.fillWidth: true
                text: delegate.displayName
                textFormat: Text.PlainText
                elide: Text.ElideRight
                color: Theme.text
            }
            Text {
                Layout.fillWidth: true
                text: "@" + delegate.username + (delegate.online ? "  ·  " + qsTr("online") : "")
                textFormat: Text.PlainText
                elide: Text.ElideRight
                font.pixelSize: Theme.smallFontSize
                color: Theme.subtleText
            }
        }
    }
}
