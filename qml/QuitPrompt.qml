import QtQuick
import QtQuick.Controls

// Asked when the window is closed with messages not yet sent: they are kept
// on this computer and go out the next time Confab connects, but the user
// may be expecting them to arrive now. "Quit anyway" closes, "Keep open"
// stays (for the connection to come back).
ThemedDialog {
    id: prompt
    objectName: "quitPrompt"

    // ComposerController.unsentCount
    property int unsentCount: 0
    property bool confirmed: false // "Quit anyway": the next close goes through
    readonly property alias quitButton: quitButton
    readonly property alias keepButton: keepButton
    signal quitConfirmed()

    // For the window's onClosing: true when the close must wait for an answer.
    function holdsClose() {
        if (confirmed || unsentCount === 0)
            return false
        open()
        return true
    }

    anchors.centerIn: parent
    modal: true
    title: qsTr("Messages not sent yet")
    Text {
        objectName: "quitPromptText"
        text: qsTr("%n message(s) could not be sent yet. They are kept on this computer and will be sent the next time Confab connects.",
                   "", prompt.unsentCount)
        wrapMode: Text.Wrap
        width: Math.min(380, (prompt.parent ? prompt.parent.width : 480) - 80)
        color: Theme.text
    }
    footer: ThemedButtonBox {
        FlatButton {
            id: quitButton
            objectName: "quitAnyway"
            text: qsTr("Quit anyway")
            textColor: Theme.danger
            DialogButtonBox.buttonRole: DialogButtonBox.DestructiveRole
            onClicked: {
                prompt.confirmed = true
                prompt.close()
                prompt.quitConfirmed()
            }
        }
        FlatButton {
            id: keepButton
            objectName: "keepOpen"
            text: qsTr("Keep open")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}
