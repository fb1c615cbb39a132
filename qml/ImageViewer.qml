import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// An image of a message, full size (issue 16): fetched into the cache and
// decoded by the image provider off the GUI thread, within the pixel budget
// and at most 4096 px on the long side. The wheel or the buttons zoom, a
// drag moves it, Save… asks for a folder, Esc or × closes.
Popup {
    id: viewer

    property FilesController files: null
    property var attachment: ({})
    property real zoom: 1
    signal saveRequested(double fileId, string name)

    function show(file) {
        attachment = file
        zoom = 1
        open()
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: parent ? parent.width : 800
    height: parent ? parent.height : 600
    modal: true
    padding: 0
    closePolicy: Popup.CloseOnEscape
    // Opaque: the window behind would show through the title and buttons.
    background: Rectangle { color: "#141619" }

    contentItem: Item {
        Flickable {
            id: flick
            anchors.fill: parent
            anchors.topMargin: 52
            clip: true
            contentWidth: Math.max(width, image.paintedWidth * viewer.zoom)
            contentHeight: Math.max(height, image.paintedHeight * viewer.zoom)
            Image {
                id: image
                objectName: "viewerImage"
                width: flick.width
                height: flick.height
                anchors.centerIn: parent
                scale: viewer.zoom
                fillMode: Image.PreserveAspectFit
                asynchronous: true
                sourceSize: Qt.size(4096, 4096)
                source: {
                    if (!viewer.opened || !viewer.files || viewer.attachment.id === undefined)
                        return ""
                    viewer.files.revision // dependency: asked again when the download lands
                    return viewer.files.imageSource(viewer.attachment.id)
                }
            }
            WheelHandler {
                onWheel: (event) => viewer.zoom = Math.max(0.25, Math.min(8, viewer.zoom * (event.angleDelta.y > 0 ? 1.15 : 1 / 1.15)))
            }
        }
        BusyIndicator {
            anchors.centerIn: parent
            running: image.status !== Image.Ready && image.status !== Image.Error
            visible: running
        }
        Text {
            anchors.centerIn: parent
            visible: image.status === Image.Error
            text: qsTr("This image cannot be shown.")
            textFormat: Text.PlainText
            color: "#e7e9ec"
        }
        RowLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 10
            spacing: 6
            Text {
                Layout.fillWidth: true
                text: viewer.attachment.name !== undefined ? viewer.attachment.name : ""
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                color: "#e7e9ec"
                font.pixelSize: Theme.fontSize
            }
            FlatButton {
                text: "−"
                textColor: "#e7e9ec"
                onClicked: viewer.zoom = Math.max(0.25, viewer.zoom / 1.25)
            }
            Text {
                text: Math.round(viewer.zoom * 100) + "%"
                textFormat: Text.PlainText
                color: "#e7e9ec"
            }
            FlatButton {
                objectName: "viewerZoomIn"
                text: "+"
                textColor: "#e7e9ec"
                onClicked: viewer.zoom = Math.min(8, viewer.zoom * 1.25)
            }
            FlatButton {
                text: qsTr("Fit")
                textColor: "#e7e9ec"
                onClicked: viewer.zoom = 1
            }
            FlatButton {
                objectName: "viewerSave"
                text: qsTr("Save…")
                textColor: "#e7e9ec"
                onClicked: viewer.saveRequested(viewer.attachment.id, viewer.attachment.name)
            }
            FlatButton {
                objectName: "viewerClose"
                text: "×"
                textColor: "#e7e9ec"
                onClicked: viewer.close()
            }
        }
    }
}
