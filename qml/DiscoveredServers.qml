import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confab.Client

// Confab servers announced on the local network (DNS-SD over mDNS), for the
// login page. Clicking one emits serverChosen(url). Names and fingerprints
// come from anyone on the LAN: shown as plain text, and a TLS server's
// fingerprint still has to be confirmed when connecting (docs/discovery.md).
ColumnLayout {
    id: root
    objectName: "discoveredServers"

    // Browse while true (the login page binds its visibility here).
    property bool active: true
    // Any model with the roles of DiscoveredServersModel; tests give a ListModel.
    property var servers: discovered
    readonly property int count: list.count

    signal serverChosen(string url)

    spacing: 4
    visible: list.count > 0

    DiscoveredServersModel {
        id: discovered
        active: root.active
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
        Layout.preferredHeight: Math.min(contentHeight, 3 * 48)
        clip: true
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

            width: ListView.view.width
            height: 48
            leftPadding: 8
            rightPadding: 8
            onClicked: root.serverChosen(entry.url)

            background: Rectangle {
                radius: Theme.radius
                color: entry.hovered ? Theme.hover : "transparent"
                border.color: Theme.border
            }

            contentItem: ColumnLayout {
                spacing: 0
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
                    // A text badge, not a lock glyph: emoji fonts are not
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
            }
        }
    }
}
