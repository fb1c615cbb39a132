import QtQuick
import Confab.Client

// Shown while the connection is not up: messages typed now wait in the
// outbox and go out, in order, once it is back.
Rectangle {
    id: banner

    required property AccountController account
    readonly property bool online: account.connectionState === Session.Online

    visible: !online
    implicitHeight: visible ? label.implicitHeight + 12 : 0
    color: Theme.warningBackground

    Text {
        id: label
        anchors.verticalCenter: parent.verticalCenter
        x: 16
        width: parent.width - 32
        text: qsTr("%1 — messages you send will go out when the connection is back.")
              .arg(banner.account.connectionText)
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        color: Theme.warningText
        font.pixelSize: Theme.smallFontSize + 1
    }
}
