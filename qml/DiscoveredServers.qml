import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Confab servers announced on the local network (DNS-SD over mDNS), for the
// login page. Names and fingerprints come from anyone on the LAN: shown as
// plain text, and a TLS server's fingerprint still has to be confirmed when
// connecting (docs/discovery.md). A second server announcing a known name
// is its own row; a row that may be an impostor says why in red words, and
// choosing it asks first: choosing fills the server field, and the password
// typed next must not go to an impostor (over ws://, in clear) unnoticed.
ColumnLayout {
    id: root
    objectName: "discoveredServers"

    // Browse while true (the login page binds its visibility here).
    property bool active: true
    // The signed-in profile's pins are what announcements are checked against.
    property AccountController account: null
    // Any model with the roles of DiscoveredServersModel; tests give a ListModel.
    property var servers: discovered
    readonly property int count: list.count
    // The question asked before a suspicious server is chosen.
    readonly property alias confirmDialog: confirm

    // `warning`: why the chosen server may be an impostor ("" when nothing
    // is off); the user has seen it and chose it anyway.
    signal serverChosen(string url, string warning)

    function choose(url, warning) {
        if (warning === "") {
            root.serverChosen(url, "")
            return
        }
        confirm.url = url
        confirm.warning = warning
        confirm.open()
    }

    spacing: 4
    visible: list.count > 0

    DiscoveredServersModel {
        id: discovered
        active: root.active
        account: root.account
    }

    Label {
        text: qsTr("On your network")
        color: Theme.subtleText
        font.pixelSize: Theme.smallFontSize
    }

    ListView {
        id: list
        objectName: "discoveredServerList"
        Layout.fillWidth: true
        Layout.preferredHeight: Math.min(contentHeight, 280)
        clip: true
        spacing: 4
        interactive: contentHeight > height
        model: root.servers
        boundsBehavior: Flickable.StopAtBounds

        delegate: ItemDelegate {
            id: entry
            objectName: "discoveredServer_" + index

            required property int index
            required property string name
            required property string host
            required property int port
            required property string url
            required property bool tls
            required property string fingerprint
            required property string warning
            readonly property bool suspicious: warning !== ""

            width: ListView.view.width
            implicitHeight: Math.max(48, contentItem.implicitHeight + topPadding + bottomPadding)
            topPadding: 6
            bottomPadding: 6
            leftPadding: 8
            rightPadding: 8
            onClicked: root.choose(entry.url, entry.warning)

            background: Rectangle {
                radius: Theme.radius
                color: entry.hovered ? Theme.hover : "transparent"
                border.color: entry.suspicious ? Theme.danger : Theme.border
                border.width: entry.suspicious ? 2 : 1
            }

            contentItem: ColumnLayout {
                spacing: 1
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 6
                    Text {
                        objectName: "serverName"
                        Layout.fillWidth: true
                        text: entry.name
                        textFormat: Text.PlainText
                        elide: Text.ElideRight
                        font.bold: true
                        color: Theme.text
                    }
                    // Text badges, not glyphs: emoji fonts are not
                    // everywhere, and a missing glyph draws as a box.
                    Rectangle {
                        objectName: "tlsBadge"
                        visible: entry.tls
                        implicitWidth: tlsText.implicitWidth + 8
                        implicitHeight: tlsText.implicitHeight + 2
                        radius: 3
                        color: "transparent"
                        border.color: Theme.online
                        Text {
                            id: tlsText
                            anchors.centerIn: parent
                            text: qsTr("TLS")
                            textFormat: Text.PlainText
                            font.pixelSize: Theme.smallFontSize - 1
                            font.bold: true
                            color: Theme.online
                        }
                    }
                    Rectangle {
                        objectName: "plainBadge"
                        visible: !entry.tls && entry.suspicious
                        implicitWidth: plainText.implicitWidth + 8
                        implicitHeight: plainText.implicitHeight + 2
                        radius: 3
                        color: "transparent"
                        border.color: Theme.danger
                        Text {
                            id: plainText
                            anchors.centerIn: parent
                            text: qsTr("NOT ENCRYPTED")
                            textFormat: Text.PlainText
                            font.pixelSize: Theme.smallFontSize - 1
                            font.bold: true
                            color: Theme.danger
                        }
                    }
                }
                Text {
                    objectName: "serverAddress"
                    Layout.fillWidth: true
                    // A short fingerprint to compare with the one the
                    // certificate dialog shows in full.
                    text: entry.host + ":" + entry.port
                          + (entry.tls && entry.fingerprint !== "" ? "  ·  " + entry.fingerprint.substring(0, 11) + "…" : "")
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    font.pixelSize: Theme.smallFontSize
                    color: Theme.subtleText
                }
                Text {
                    objectName: "serverWarning"
                    Layout.fillWidth: true
                    visible: entry.suspicious
                    text: qsTr("Warning: %1").arg(entry.warning)
                    textFormat: Text.PlainText
                    wrapMode: Text.Wrap
                    font.pixelSize: Theme.smallFontSize
                    font.bold: true
                    color: Theme.danger
                }
            }
        }
    }

    // Choosing a suspicious server takes a second, deliberate click.
    ThemedDialog {
        id: confirm
        objectName: "suspiciousServerDialog"

        property string url: ""
        property string warning: ""

        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(440, parent ? parent.width - 32 : 440)
        modal: true
        padding: 20
        title: qsTr("This may not be your server")

        background: Rectangle {
            radius: 12
            color: Theme.surface
            border.color: Theme.danger
            border.width: 2
        }
        header: Text {
            text: confirm.title
            textFormat: Text.PlainText
            leftPadding: 20
            rightPadding: 20
            topPadding: 18
            font.pixelSize: Theme.titleFontSize + 2
            font.bold: true
            color: Theme.danger
        }
        onOpened: cancelChoice.forceActiveFocus() // Enter must never choose it by accident

        ColumnLayout {
            anchors.fill: parent
            spacing: 10
            Text {
                objectName: "suspiciousServerWarning"
                Layout.fillWidth: true
                text: confirm.warning
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                font.bold: true
                color: Theme.danger
            }
            Text {
                Layout.fillWidth: true
                text: confirm.url
                textFormat: Text.PlainText
                wrapMode: Text.WrapAnywhere
                font.family: "monospace"
                color: Theme.text
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 6
                spacing: 8
                Item { Layout.fillWidth: true }
                FlatButton {
                    objectName: "useSuspiciousServer"
                    text: qsTr("Use it anyway")
                    textColor: Theme.danger
                    onClicked: {
                        confirm.close()
                        root.serverChosen(confirm.url, confirm.warning)
                    }
                }
                FlatButton {
                    id: cancelChoice
                    objectName: "cancelSuspiciousServer"
                    primary: true
                    text: qsTr("Cancel")
                    onClicked: confirm.close()
                }
            }
        }
    }
}
