import QtQuick
import QtTest
import Confab.Ui

// The login page's list of servers found on the LAN, fed from a ListModel
// (tst_discovery covers the real model and the network).
Item {
    id: root
    width: 400
    height: 300

    ListModel {
        id: fakeServers
    }

    DiscoveredServers {
        id: list
        width: parent.width
        active: false // no network here
        servers: fakeServers
    }

    SignalSpy {
        id: chosen
        target: list
        signalName: "serverChosen"
    }

    TestCase {
        name: "DiscoveredServers"
        when: windowShown

        function init() {
            fakeServers.clear()
            chosen.clear()
        }

        function test_hiddenWhenNothingIsFound() {
            compare(list.visible, false)
        }

        function test_listsServersAsPlainTextAndChoosesOnClick() {
            const hostile = "<b>Boss</b><img src=\"http://example.invalid/x.png\">"
            fakeServers.append({ name: hostile, host: "10.0.0.5", port: 7860, url: "ws://10.0.0.5:7860/",
                                 tls: false, fingerprint: "", warning: "" })
            fakeServers.append({ name: "Secure", host: "10.0.0.6", port: 7443, url: "wss://10.0.0.6:7443/",
                                 tls: true, fingerprint: "AB:CD:EF:01:23:45:67:89", warning: "" })
            tryCompare(list, "visible", true)
            compare(list.count, 2)

            const first = findChild(list, "discoveredServer_0")
            verify(first)
            const name = findChild(first, "serverName")
            compare(name.text, hostile)
            compare(name.textFormat, Text.PlainText)
            compare(findChild(first, "tlsBadge").visible, false)
            compare(findChild(first, "serverAddress").text, "10.0.0.5:7860")

            const second = findChild(list, "discoveredServer_1")
            compare(findChild(second, "tlsBadge").visible, true)
            compare(findChild(second, "serverAddress").text, "10.0.0.6:7443  ·  AB:CD:EF:01…")

            compare(findChild(first, "serverWarning").visible, false)
            compare(findChild(first, "plainBadge").visible, false)

            mouseClick(second)
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], "wss://10.0.0.6:7443/")
            compare(chosen.signalArguments[0][1], "")
        }

        // Issue 12: a plain ws:// copy of a known name is its own entry, says
        // why it is suspicious in red words, and choosing it takes a second,
        // deliberate click on a dialog that repeats the warning.
        function test_suspiciousServerWarnsAndAsksFirst() {
            const why = "Not encrypted (ws://), while another server announces “Team chat” with TLS."
            fakeServers.append({ name: "Team chat", host: "10.0.0.6", port: 7443, url: "wss://10.0.0.6:7443/",
                                 tls: true, fingerprint: "AB:CD:EF:01:23:45:67:89", warning: "" })
            fakeServers.append({ name: "Team chat", host: "10.0.0.9", port: 7860, url: "ws://10.0.0.9:7860/",
                                 tls: false, fingerprint: "", warning: why })
            tryCompare(list, "count", 2)
            tryVerify(() => findChild(list, "discoveredServer_1") !== null) // laid out
            const fake = findChild(list, "discoveredServer_1")
            const warning = findChild(fake, "serverWarning")
            verify(warning.visible)
            compare(warning.text, "Warning: " + why)
            compare(warning.textFormat, Text.PlainText)
            verify(Qt.colorEqual(warning.color, Theme.danger))
            verify(findChild(fake, "plainBadge").visible)
            verify(!findChild(findChild(list, "discoveredServer_0"), "serverWarning").visible)

            const dialog = list.confirmDialog
            verify(dialog)
            mouseClick(fake)
            compare(chosen.count, 0) // not yet
            tryCompare(dialog, "opened", true)
            compare(findChild(dialog, "suspiciousServerWarning").text, why)
            mouseClick(findChild(dialog, "cancelSuspiciousServer"))
            tryCompare(dialog, "opened", false)
            compare(chosen.count, 0)

            mouseClick(fake)
            tryCompare(dialog, "opened", true)
            mouseClick(findChild(dialog, "useSuspiciousServer"))
            tryCompare(dialog, "opened", false)
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], "ws://10.0.0.9:7860/")
            compare(chosen.signalArguments[0][1], why)
        }
    }
}
