import QtQuick
import QtQuick.Layouts

// A one-line bar for warnings and errors, with an optional action and close.
Rectangle {
    id: notice

    property string text: ""
    property bool error: false
    property string actionText: ""
    property bool closable: true
    signal actionTriggered()
    signal closed()

    visible: text !== ""
    implicitHeight: visible ? row.implicitHeight + 12 : 0
    color: error ? Theme.errorBackground : Theme.warningBackground

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 6
        spacing: 8
        Text {
            Layout.fillWidth: true
            text: notice.text
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: notice.error ? Theme.errorText : Theme.warningText
            font.pixelSize: Theme.smallFontSize + 1
        }
        FlatButton {
            visible: notice.actionText !== ""
            text: notice.actionText
            textColor: notice.error ? Theme.errorText : Theme.warningText
            font.bold: true
            onClicked: notice.actionTriggered()
        }
        FlatButton {
            visible: notice.closable
            text: "\u2715"
            textColor: notice.error ? Theme.errorText : Theme.warningText
            Accessible.name: qsTr("Close")
            onClicked: notice.closed()
        }
    }
}
