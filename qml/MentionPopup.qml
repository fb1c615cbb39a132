import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// The @ autocomplete list above the composer. It never takes the keyboard
// focus: the composer forwards ↑/↓/Enter/Tab/Esc (move(), acceptCurrent()).
Popup {
    id: popup

    property alias model: list.model
    property alias currentIndex: list.currentIndex
    readonly property int count: list.count
    signal candidateChosen(double userId, string username)

    function move(step) {
        if (list.count === 0)
            return
        list.currentIndex = (list.currentIndex + step + list.count) % list.count
    }
    function acceptCurrent() {
        // From the model: the delegate may not exist yet when the results
        // arrived just before the key press.
        if (list.currentIndex < 0 || list.currentIndex >= list.count)
            return
        const user = popup.model.get(list.currentIndex)
        popup.candidateChosen(user.userId, user.username)
    }

    focus: false
    modal: false
    padding: 4
    closePolicy: Popup.CloseOnPressOutsideParent
    implicitHeight: Math.min(list.contentHeight, 6 * 44) + topPadding + bottomPadding + (list.count === 0 ? 36 : 0)

    background: Rectangle {
        radius: 8
        color: Theme.surface
        border.color: Theme.border
    }

    ListView {
        id: list
        objectName: "mentionList"
        anchors.fill: parent
        clip: true
        currentIndex: 0
        boundsBehavior: Flickable.StopAtBounds
        onCountChanged: currentIndex = count > 0 ? 0 : -1
        delegate: Rectangle {
            id: candidate
            required property int index
            required property double userId
            required property string username
            required property string displayName
            required property bool online

            width: ListView.view.width
            height: 44
            radius: 6
            color: ListView.isCurrentItem ? Theme.selected : (mouse.containsMouse ? Theme.hover : "transparent")

            MouseArea {
                id: mouse
                anchors.fill: parent
                hoverEnabled: true
                onEntered: list.currentIndex = candidate.index
                onClicked: popup.candidateChosen(candidate.userId, candidate.username)
            }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 8
                anchors.rightMargin: 8
                spacing: 8
                Avatar {
                    implicitWidth: 28
                    implicitHeight: 28
                    name: candidate.displayName !== "" ? candidate.displayName : candidate.username
                    colorKey: candidate.userId
                    userId: candidate.userId
                    showPresence: true
                    online: candidate.online
                }
                Text {
                    text: candidate.displayName
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    Layout.maximumWidth: parent.width * 0.55
                    font.bold: true
                    color: Theme.text
                }
                Text {
                    Layout.fillWidth: true
                    text: "@" + candidate.username
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    color: Theme.subtleText
                }
            }
        }
    }

    Text {
        anchors.centerIn: parent
        visible: list.count === 0
        text: qsTr("No matching members")
        color: Theme.faintText
    }
}
