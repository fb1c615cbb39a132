import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Messages that mention me, newest first, across my rooms; a click jumps there.
Rectangle {
    id: inbox

    required property SearchController search
    signal closeRequested()
    signal resultChosen(double roomId, double messageId)

    color: Theme.window

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 12
            Text {
                Layout.fillWidth: true
                text: qsTr("Mentions of you")
                font.pixelSize: Theme.titleFontSize
                font.bold: true
                color: Theme.text
            }
            FlatButton {
                text: qsTr("Refresh")
                onClicked: inbox.search.loadMentions()
            }
            FlatButton {
                text: "\u2715"
                Accessible.name: qsTr("Close")
                onClicked: inbox.closeRequested()
            }
        }
        Rectangle { Layout.fillWidth: true; implicitHeight: 1; color: Theme.border }

        ListView {
            id: list
            objectName: "mentionsList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: inbox.search.mentions
            ScrollBar.vertical: ScrollBar {}
            delegate: ResultDelegate {
                width: list.width
                onChosen: (roomId, messageId) => inbox.resultChosen(roomId, messageId)
            }
            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("Nobody has mentioned you yet.")
                color: Theme.faintText
            }
        }
    }
}
