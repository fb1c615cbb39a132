import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Sign in or create an account. The server address and username are
// remembered per profile; the session token goes to the system keychain.
Rectangle {
    id: page
    objectName: "loginPage"

    required property AccountController account
    property bool registering: false
    // A server chosen from the LAN list in spite of its warning: the warning
    // stays beside the field while the field holds that server.
    property string chosenUrl: ""
    property string chosenWarning: ""

    color: Theme.sidebar

    function submit() {
        if (page.account.busy)
            return
        if (page.registering)
            page.account.signUp(serverField.text, usernameField.text, passwordField.text, displayNameField.text,
                               inviteField.text)
        else
            page.account.signIn(serverField.text, usernameField.text, passwordField.text)
    }

    Flickable {
        anchors.fill: parent
        contentHeight: Math.max(height, card.implicitHeight + 48)
        clip: true

        Rectangle {
            id: card
            anchors.horizontalCenter: parent.horizontalCenter
            y: Math.max(24, (parent.height - height) / 2)
            width: Math.min(400, page.width - 32)
            height: implicitHeight
            implicitHeight: form.implicitHeight + 56
            radius: 12
            color: Theme.surface
            border.color: Theme.border

            ColumnLayout {
                id: form
                anchors.fill: parent
                anchors.margins: 28
                spacing: 6

                Logo {
                    Layout.alignment: Qt.AlignHCenter
                    implicitWidth: 56
                    implicitHeight: 56
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    text: page.registering ? qsTr("Create your Confab account") : qsTr("Sign in to Confab")
                    font.pixelSize: 20
                    font.bold: true
                    color: Theme.text
                }
                Label {
                    Layout.alignment: Qt.AlignHCenter
                    Layout.bottomMargin: 10
                    text: qsTr("Your team's self-hosted chat")
                    color: Theme.subtleText
                }

                Label { text: qsTr("Server"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                ThemedField {
                    id: serverField
                    objectName: "serverField"
                    Layout.fillWidth: true
                    text: String(page.account.serverUrl)
                    placeholderText: "ws://192.168.1.10:7860 or wss://chat.example.com"
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    enabled: !page.account.busy
                    onAccepted: usernameField.forceActiveFocus()
                }
                Text {
                    objectName: "chosenServerWarning"
                    Layout.fillWidth: true
                    visible: page.chosenWarning !== "" && serverField.text === page.chosenUrl
                    text: qsTr("Warning: %1").arg(page.chosenWarning)
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    font.pixelSize: Theme.smallFontSize
                    font.bold: true
                    color: Theme.danger
                }
                DiscoveredServers {
                    Layout.fillWidth: true
                    active: page.visible
                    account: page.account
                    onServerChosen: (url, warning) => {
                        page.chosenUrl = url
                        page.chosenWarning = warning
                        serverField.text = url
                    }
                }
                Label { text: qsTr("Username"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                ThemedField {
                    id: usernameField
                    objectName: "usernameField"
                    Layout.fillWidth: true
                    text: page.account.lastUsername
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    enabled: !page.account.busy
                    onAccepted: (page.registering ? displayNameField : passwordField).forceActiveFocus()
                }
                Label {
                    visible: page.registering
                    text: qsTr("Display name (optional)")
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                }
                ThemedField {
                    id: displayNameField
                    visible: page.registering
                    Layout.fillWidth: true
                    enabled: !page.account.busy
                    onAccepted: passwordField.forceActiveFocus()
                }
                Label {
                    visible: page.registering
                    text: qsTr("Invite code (if the server asks for one)")
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                }
                ThemedField {
                    id: inviteField
                    objectName: "inviteField"
                    visible: page.registering
                    Layout.fillWidth: true
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    enabled: !page.account.busy
                    onAccepted: passwordField.forceActiveFocus()
                }
                Label { text: qsTr("Password"); color: Theme.subtleText; font.pixelSize: Theme.smallFontSize }
                ThemedField {
                    id: passwordField
                    objectName: "passwordField"
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    enabled: !page.account.busy
                    onAccepted: page.submit()
                }

                Text {
                    Layout.fillWidth: true
                    Layout.topMargin: 4
                    visible: text !== ""
                    text: page.account.errorMessage
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    color: Theme.danger
                }
                Text {
                    Layout.fillWidth: true
                    visible: text !== ""
                    text: page.account.keychainMessage
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    color: Theme.warningText
                    font.pixelSize: Theme.smallFontSize
                }
                RowLayout {
                    Layout.fillWidth: true
                    visible: page.account.busy
                    spacing: 8
                    BusyIndicator {
                        implicitWidth: 24
                        implicitHeight: 24
                        running: page.account.busy
                    }
                    Text {
                        Layout.fillWidth: true
                        text: page.account.connectionText
                        textFormat: Text.PlainText
                        color: Theme.subtleText
                        elide: Text.ElideRight
                    }
                }

                FlatButton {
                    objectName: "submitButton"
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    primary: true
                    visible: !page.account.busy
                    text: page.registering ? qsTr("Create account") : qsTr("Sign in")
                    onClicked: page.submit()
                }
                FlatButton {
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    visible: page.account.busy
                    text: qsTr("Cancel")
                    onClicked: page.account.signOut()
                }
                FlatButton {
                    Layout.alignment: Qt.AlignHCenter
                    enabled: !page.account.busy
                    textColor: Theme.accent
                    text: page.registering ? qsTr("I already have an account") : qsTr("New here? Create an account")
                    onClicked: page.registering = !page.registering
                }
            }
        }
    }

    Component.onCompleted: {
        if (usernameField.text === "")
            usernameField.forceActiveFocus()
        else
            passwordField.forceActiveFocus()
    }
}
