import QtQuick
import QtQuick.Layouts
import Confab.Client

// Shown while the connection is not up: messages typed now wait in the
// outbox and go out, in order, once it is back. While the next try is
// waiting it counts down to it, and "Reconnect now" tries at once.
Rectangle {
    id: banner
    objectName: "connectionBanner"

    required property AccountController account
    readonly property bool online: account.connectionState === Session.Online
    readonly property bool waiting: account.retrySeconds > 0

    visible: !online
    implicitHeight: visible ? layout.implicitHeight + 12 : 0
    color: Theme.warningBackground

    RowLayout {
        id: layout
        anchors.verticalCenter: parent.verticalCenter
        x: 16
        width: parent.width - 24
        spacing: 12

        Text {
            id: label
            objectName: "connectionText"
            Layout.fillWidth: true
            text: qsTr("%1 — messages you send will go out when the connection is back.")
                  .arg(banner.account.connectionText)
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.warningText
            font.pixelSize: Theme.smallFontSize + 1
        }
        Text {
            objectName: "retryCountdown"
            visible: banner.waiting
            text: qsTr("Next try in %n s", "", banner.account.retrySeconds)
            textFormat: Text.PlainText
            color: Theme.warningText
            font.pixelSize: Theme.smallFontSize + 1
        }
        FlatButton {
            objectName: "reconnectNow"
            visible: banner.waiting
            text: qsTr("Reconnect now")
            textColor: Theme.warningText
            font.bold: true
            onClicked: banner.account.reconnectNow()
        }
    }
}
