import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// The files waiting in the composer, one chip each: a preview for images
// (the thumbnail I made), else the type's mark; the name as plain text
// (someone's file name is data), the size, a progress bar while uploading,
// the reason when it failed, and × to take it out.
Flow {
    id: root

    required property FilesController files
    readonly property int count: repeater.count

    spacing: 6
    visible: count > 0

    Repeater {
        id: repeater
        model: root.files.pending

        delegate: Rectangle {
            id: chip
            objectName: "attachmentChip"
            required property string key
            required property string name
            required property string sizeText
            required property string mime
            required property string badge
            required property bool isImage
            required property url previewUrl
            required property double progress
            required property int uploadState
            required property string error

            readonly property bool failed: uploadState === AttachmentListModel.Failed
            width: 220
            height: 56
            radius: Theme.radius
            color: Theme.surface
            border.width: 1
            border.color: failed ? Theme.danger : Theme.border

            RowLayout {
                anchors.fill: parent
                anchors.margins: 6
                spacing: 8

                Rectangle {
                    Layout.preferredWidth: 44
                    Layout.preferredHeight: 44
                    radius: 4
                    color: Theme.hover
                    clip: true
                    Image {
                        objectName: "attachmentPreview"
                        anchors.fill: parent
                        visible: chip.isImage
                        source: chip.previewUrl
                        sourceSize: Qt.size(88, 88)
                        fillMode: Image.PreserveAspectCrop
                        asynchronous: true
                        cache: false
                    }
                    Text {
                        anchors.centerIn: parent
                        visible: !chip.isImage
                        text: chip.badge
                        textFormat: Text.PlainText
                        color: Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                        font.bold: true
                    }
                    BusyIndicator {
                        anchors.centerIn: parent
                        width: 28
                        height: 28
                        running: chip.uploadState === AttachmentListModel.Preparing
                        visible: running
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    Text {
                        Layout.fillWidth: true
                        text: chip.name
                        textFormat: Text.PlainText
                        elide: Text.ElideMiddle
                        color: Theme.text
                        font.pixelSize: Theme.smallFontSize
                    }
                    Text {
                        Layout.fillWidth: true
                        text: chip.failed ? chip.error : chip.sizeText
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        color: chip.failed ? Theme.danger : Theme.subtleText
                        font.pixelSize: Theme.smallFontSize
                    }
                    Rectangle {
                        Layout.fillWidth: true
                        Layout.preferredHeight: 3
                        visible: chip.uploadState === AttachmentListModel.Uploading
                        radius: 1
                        color: Theme.border
                        Rectangle {
                            width: parent.width * Math.max(0, Math.min(1, chip.progress))
                            height: parent.height
                            radius: 1
                            color: Theme.accent
                        }
                    }
                }
                FlatButton {
                    objectName: "removeAttachment"
                    Layout.alignment: Qt.AlignTop
                    leftPadding: 6
                    rightPadding: 6
                    text: "×"
                    onClicked: root.files.remove(chip.key)
                }
            }
        }
    }
}
