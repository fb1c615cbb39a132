import QtQuick
import QtQuick.Controls
import Confab.Client

// The application window: the login page until signed in, then the chat.
ApplicationWindow {
    id: window

    required property ChatClient client

    width: 1280
    height: 800
    minimumWidth: 360
    minimumHeight: 420
    visible: true
    // "(3) Team — Confab": the unread total (muted rooms left out) first, so
    // that it shows in a taskbar entry cut short.
    title: {
        const unread = client.account.signedIn ? client.attention.unreadTotal : 0
        const base = client.account.signedIn && client.conversation.roomName !== ""
                   ? qsTr("%1 — Confab").arg(client.conversation.roomName) : qsTr("Confab")
        return unread > 0 ? "(" + (unread > 99 ? "99+" : unread) + ") " + base : base
    }
    color: Theme.window

    // Controls of the Basic style take their colours from here.
    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.alternateBase: Theme.sidebar
    palette.text: Theme.text
    palette.button: Theme.hover
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.faintText
    palette.toolTipBase: Theme.surface
    palette.toolTipText: Theme.text
    palette.light: Theme.surface
    palette.midlight: Theme.hover
    palette.mid: Theme.border
    palette.dark: Theme.subtleText
    palette.shadow: Theme.shadow

    font.pixelSize: Theme.fontSize

    Binding {
        target: window.client
        property: "windowActive"
        value: window.active
    }

    Loader {
        id: pageLoader
        objectName: "pageLoader"
        anchors.fill: parent
        sourceComponent: window.client.account.signedIn ? chatComponent : loginComponent
    }

    Component {
        id: loginComponent
        LoginPage {
            account: window.client.account
        }
    }

    Component {
        id: chatComponent
        ChatPage {
            client: window.client
        }
    }

    // Over either page: a certificate can need a decision at sign-in and on
    // a reconnect while chatting.
    CertificateDialog {
        account: window.client.account
    }

    // With a tray icon, closing hides the window (unless the user turned
    // that off); the tray's menu quits. Without one, closing quits. Either way
    // unsent messages ask first (they are kept regardless).
    property bool quitting: false // the tray's Quit: closing quits, not hides
    onClosing: (close) => {
        if (window.client.attention.trayAvailable && window.client.attention.closeToTray && !window.quitting) {
            close.accepted = false
            window.hide()
        } else if (quitPrompt.holdsClose()) {
            close.accepted = false
        } else if (window.client.attention.trayAvailable) {
            Qt.quit() // the application does not quit with its last window while a tray is up
        }
    }
    QuitPrompt {
        id: quitPrompt
        unsentCount: window.client.composer.unsentCount
        onQuitConfirmed: window.close()
        onRejected: window.quitting = false
    }

    Connections {
        target: window.client.attention
        function onNotified() {
            window.alert(0) // the taskbar asks for attention until the window is activated
        }
        function onRaiseRequested() {
            window.show()
            window.raise()
            window.requestActivate()
        }
        function onQuitRequested() {
            if (quitPrompt.unsentCount === 0) {
                Qt.quit()
                return
            }
            window.quitting = true
            window.show() // the prompt is asked in the window
            window.raise()
            window.requestActivate()
            window.close()
        }
    }
}
