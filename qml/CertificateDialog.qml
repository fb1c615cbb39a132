import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Trust on first use for a wss:// server with a self-signed certificate.
// Opens whenever the client holds a certificate for the user to judge (a
// first sign-in or a reconnect): first use shows the fingerprint to compare
// with the one the server printed at start; a changed certificate is a red
// warning with both fingerprints, and accepting it is a deliberate, secondary
// button. Everything shown comes from the network or the user: plain text.
ThemedDialog {
    id: dialog
    objectName: "certificateDialog"

    required property AccountController account
    readonly property var certificate: account.pendingCertificate
    readonly property bool pending: certificate.fingerprint !== undefined
    readonly property bool changed: pending && certificate.changed === true

    // "AB:CD:…" (32 bytes) as four lines of two groups of four bytes, easier
    // to compare (and read out) a piece at a time.
    function grouped(fingerprint) {
        if (!fingerprint)
            return ""
        const bytes = fingerprint.split(":")
        const lines = []
        for (let i = 0; i < bytes.length; i += 8)
            lines.push(bytes.slice(i, i + 4).join(":") + "  " + bytes.slice(i + 4, i + 8).join(":"))
        return lines.join("\n")
    }
    function expiryText() {
        const expires = dialog.certificate.expires
        if (!expires || isNaN(expires.getTime()))
            return ""
        return expires.toLocaleDateString(Qt.locale(), Locale.LongFormat)
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(480, parent.width - 32)
    modal: true
    closePolicy: Popup.NoAutoClose
    padding: 20
    topPadding: 12
    title: changed ? qsTr("Certificate changed") : qsTr("Trust this server?")

    background: Rectangle {
        radius: 12
        color: Theme.surface
        border.color: dialog.changed ? Theme.danger : Theme.border
    }
    header: Text {
        text: dialog.title
        textFormat: Text.PlainText
        elide: Text.ElideRight
        leftPadding: 20
        rightPadding: 20
        topPadding: 18
        font.pixelSize: Theme.titleFontSize + 2
        font.bold: true
        color: dialog.changed ? Theme.danger : Theme.text
    }

    onPendingChanged: pending ? open() : close()
    Component.onCompleted: if (pending) open()
    onOpened: cancelButton.forceActiveFocus() // Enter must never trust by accident

    ColumnLayout {
        anchors.fill: parent
        spacing: 10

        Rectangle {
            objectName: "certificateChangedWarning"
            Layout.fillWidth: true
            visible: dialog.changed
            implicitHeight: warningText.implicitHeight + 20
            radius: Theme.radius
            color: Theme.errorBackground
            border.color: Theme.danger
            Text {
                id: warningText
                anchors.fill: parent
                anchors.margins: 10
                text: qsTr("The server's certificate has CHANGED. This may be an attack, or the admin replaced it. "
                           + "Ask the admin for the new fingerprint before you accept it.")
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                font.bold: true
                color: Theme.errorText
            }
        }

        Text {
            Layout.fillWidth: true
            visible: !dialog.changed
            text: qsTr("First connection to %1. Compare this fingerprint with the one the server printed "
                       + "at start (\u201ctls fingerprint SHA-256 \u2026\u201d).").arg(dialog.certificate.host || "")
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.text
        }

        Text {
            visible: dialog.changed
            text: qsTr("Trusted until now")
            textFormat: Text.PlainText
            color: Theme.subtleText
            font.pixelSize: Theme.smallFontSize
        }
        FingerprintBlock {
            objectName: "previousFingerprint"
            visible: dialog.changed
            Layout.fillWidth: true
            text: dialog.grouped(dialog.certificate.previousFingerprint)
            textColor: Theme.subtleText
        }
        Text {
            text: dialog.changed ? qsTr("Presented now by %1").arg(dialog.certificate.host || "")
                                 : qsTr("SHA-256 fingerprint")
            textFormat: Text.PlainText
            color: dialog.changed ? Theme.danger : Theme.subtleText
            font.pixelSize: Theme.smallFontSize
            font.bold: dialog.changed
        }
        FingerprintBlock {
            objectName: "presentedFingerprint"
            Layout.fillWidth: true
            text: dialog.grouped(dialog.certificate.fingerprint)
            textColor: Theme.text
        }

        Text {
            Layout.fillWidth: true
            text: {
                const parts = []
                if (dialog.certificate.subject)
                    parts.push(qsTr("Issued to %1").arg(dialog.certificate.subject))
                const expiry = dialog.expiryText()
                if (expiry !== "")
                    parts.push(qsTr("valid until %1").arg(expiry))
                return parts.join(", ")
            }
            visible: text !== ""
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.faintText
            font.pixelSize: Theme.smallFontSize
        }
    }

    footer: Item {
        implicitHeight: buttons.implicitHeight + 20
        RowLayout {
            id: buttons
            anchors.right: parent.right
            anchors.rightMargin: 20
            anchors.top: parent.top
            spacing: 8
            FlatButton {
                id: acceptNewButton
                objectName: "acceptNewCertificateButton"
                visible: dialog.changed
                text: qsTr("Accept the new certificate")
                textColor: Theme.danger
                onClicked: dialog.account.acceptCertificate(dialog.certificate.fingerprint)
            }
            FlatButton {
                id: cancelButton
                objectName: "cancelCertificateButton"
                text: qsTr("Cancel")
                onClicked: dialog.account.rejectCertificate()
            }
            FlatButton {
                objectName: "trustCertificateButton"
                visible: !dialog.changed
                primary: true
                text: qsTr("Trust")
                onClicked: dialog.account.acceptCertificate(dialog.certificate.fingerprint)
            }
        }
    }
}
