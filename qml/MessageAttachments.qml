import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// A message's files (issue 16), under its text. What the sender declared
// picks the view (attachment_display.h): an image shows its thumbnail
// (fetched into the profile's cache, decoded off the GUI thread with every
// check first) and opens the viewer on a click; an image declaring absurd
// dimensions shows a placeholder and is never fetched or decoded; any other
// file is a card with its type, its name as plain text (names are data),
// its size, Save… and Open. A send still uploading shows my own thumbnail
// and its progress.
Column {
    id: root

    required property var attachments
    property FilesController files: null
    property bool pending: false
    property real maxWidth: 400 // a narrow window shrinks the cards and pictures
    signal viewRequested(var attachment)
    signal saveRequested(double fileId, string name)

    spacing: 6

    Repeater {
        model: root.attachments

        delegate: Loader {
            id: slot
            required property var modelData
            sourceComponent: modelData.kind === "image" ? imageView
                           : modelData.kind === "hugeImage" ? hugeImage : fileCard
        }
    }

    component Progress: Rectangle {
        property double value: 0
        height: 3
        radius: 1
        color: Theme.border
        Rectangle {
            width: parent.width * Math.max(0, Math.min(1, parent.value))
            height: parent.height
            radius: 1
            color: Theme.accent
        }
    }

    Component {
        id: imageView
        Rectangle {
            id: frame
            objectName: "attachmentImage"
            readonly property var file: parent.modelData
            // Laid out from the declared size before anything is fetched.
            readonly property real aspect: file.width > 0 && file.height > 0 ? file.width / file.height : 4 / 3
            width: Math.min(root.maxWidth, Math.round(aspect >= 1 ? 320 : Math.max(120, 240 * aspect)))
            height: Math.round(Math.max(60, Math.min(240, width / aspect)))
            radius: Theme.radius
            color: Theme.hover
            clip: true
            border.width: 1
            border.color: Theme.border

            Image {
                id: picture
                objectName: "attachmentThumbnail"
                anchors.fill: parent
                anchors.margins: 1
                fillMode: Image.PreserveAspectCrop
                asynchronous: true
                sourceSize: Qt.size(640, 480)
                source: {
                    if (frame.file.localPreview !== "")
                        return frame.file.localPreview
                    if (!root.files || frame.file.previewId === 0)
                        return ""
                    root.files.revision // dependency: asked again when a download lands
                    return root.files.imageSource(frame.file.previewId)
                }
            }
            Column {
                anchors.centerIn: parent
                visible: picture.status === Image.Error
                spacing: 4
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: qsTr("Image unavailable")
                    textFormat: Text.PlainText
                    color: Theme.faintText
                    font.pixelSize: Theme.smallFontSize
                }
                // The preview failed its checks; the file itself may still be wanted.
                FlatButton {
                    anchors.horizontalCenter: parent.horizontalCenter
                    visible: !root.pending && frame.file.id !== 0
                    text: qsTr("Save…")
                    onClicked: root.saveRequested(frame.file.id, frame.file.name)
                }
            }
            BusyIndicator {
                anchors.centerIn: parent
                width: 28
                height: 28
                running: picture.status !== Image.Ready && picture.status !== Image.Error && !root.pending
                visible: running
            }
            Progress {
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: 6
                visible: root.pending
                value: frame.file.progress
            }
            MouseArea {
                anchors.fill: parent
                enabled: !root.pending && frame.file.id !== 0 && picture.status !== Image.Error
                cursorShape: enabled ? Qt.PointingHandCursor : Qt.ArrowCursor
                onClicked: root.viewRequested(frame.file)
            }
        }
    }

    Component {
        id: hugeImage
        Rectangle {
            id: placeholder
            objectName: "attachmentPlaceholder"
            readonly property var file: parent.modelData
            width: Math.min(root.maxWidth, 320)
            height: 72
            radius: Theme.radius
            color: Theme.hover
            border.width: 1
            border.color: Theme.border
            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 10
                spacing: 2
                Text {
                    Layout.fillWidth: true
                    text: qsTr("Image too large to preview (%1×%2)").arg(placeholder.file.width)
                                                                      .arg(placeholder.file.height)
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    color: Theme.subtleText
                    font.pixelSize: Theme.smallFontSize
                }
                RowLayout {
                    Layout.fillWidth: true
                    Text {
                        Layout.fillWidth: true
                        text: placeholder.file.name + " · " + placeholder.file.sizeText
                        textFormat: Text.PlainText
                        elide: Text.ElideMiddle
                        color: Theme.text
                        font.pixelSize: Theme.smallFontSize
                    }
                    FlatButton {
                        text: qsTr("Save…")
                        onClicked: root.saveRequested(placeholder.file.id, placeholder.file.name)
                    }
                }
            }
        }
    }

    Component {
        id: fileCard
        Rectangle {
            id: card
            objectName: "attachmentFile"
            readonly property var file: parent.modelData
            width: Math.min(root.maxWidth, 400)
            height: 64
            radius: Theme.radius
            color: Theme.surface
            border.width: 1
            border.color: Theme.border
            RowLayout {
                anchors.fill: parent
                anchors.margins: 10
                spacing: 10
                Rectangle {
                    Layout.preferredWidth: 40
                    Layout.preferredHeight: 44
                    radius: 4
                    color: Theme.selected
                    Text {
                        anchors.centerIn: parent
                        text: card.file.badge
                        textFormat: Text.PlainText
                        color: Theme.accent
                        font.pixelSize: Theme.smallFontSize - 1
                        font.bold: true
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Text {
                        objectName: "attachmentName"
                        Layout.fillWidth: true
                        text: card.file.name
                        textFormat: Text.PlainText
                        elide: Text.ElideMiddle
                        color: Theme.text
                        font.pixelSize: Theme.fontSize
                    }
                    Text {
                        Layout.fillWidth: true
                        visible: !root.pending
                        text: card.file.sizeText
                        textFormat: Text.PlainText
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                    }
                    Progress {
                        Layout.fillWidth: true
                        visible: root.pending
                        value: card.file.progress
                    }
                }
                FlatButton {
                    objectName: "saveAttachment"
                    visible: !root.pending && card.file.id !== 0
                    text: qsTr("Save…")
                    onClicked: root.saveRequested(card.file.id, card.file.name)
                }
                FlatButton {
                    objectName: "openAttachment"
                    visible: !root.pending && card.file.id !== 0 && card.file.canOpen
                    text: qsTr("Open")
                    onClicked: root.files.openFile(card.file.id, card.file.name, card.file.mime)
                }
            }
        }
    }
}
