pragma Singleton
import QtQuick
import Confab.Client

// Colours and metrics for every view. Light or dark follows the system:
// Qt 6.4 has no styleHints.colorScheme, so the system palette's window
// colour decides (dark when its lightness is below one half). `mode` can
// force either (tests, screenshots).
QtObject {
    id: theme

    property string mode: "system" // "system", "light" or "dark"
    readonly property SystemPalette systemPalette: SystemPalette {
        colorGroup: SystemPalette.Active
    }
    readonly property bool dark: mode === "dark"
                                 || (mode === "system" && systemPalette.window.hslLightness < 0.5)

    readonly property color window: dark ? "#1a1c20" : "#ffffff"
    readonly property color sidebar: dark ? "#141619" : "#f2f4f7"
    readonly property color surface: dark ? "#23262b" : "#ffffff"
    readonly property color hover: dark ? "#2a2e34" : "#e8ebf0"
    readonly property color selected: dark ? "#24416a" : "#d6e4fa"
    readonly property color border: dark ? "#343840" : "#dde1e6"
    readonly property color text: dark ? "#e7e9ec" : "#1c2026"
    readonly property color subtleText: dark ? "#9ba3ae" : "#5b6470"
    readonly property color faintText: dark ? "#7a828d" : "#8a929c"
    readonly property color accent: dark ? "#5c9dff" : "#1d6fd8"
    readonly property color accentText: "#ffffff"
    readonly property color danger: dark ? "#ff7070" : "#c62828"
    readonly property color online: dark ? "#3fb950" : "#2c9c46"
    readonly property color offline: dark ? "#6e7681" : "#a3aab3"
    readonly property color unreadBadge: accent
    readonly property color mentionBadge: dark ? "#f0883e" : "#d9480f"
    readonly property color mention: dark ? "#79b0ff" : "#1d6fd8"
    readonly property color selfMention: dark ? "#ffb77a" : "#a33600"
    readonly property color selfMentionBackground: dark ? "#5a3a12" : "#ffe3a3"
    readonly property color mentionedRow: dark ? "#2f2816" : "#fff6dd"
    readonly property color mentionedBar: dark ? "#f0a03e" : "#e8a317"
    readonly property color newMessagesLine: dark ? "#f07a6e" : "#d93025"
    readonly property color jumpFlash: dark ? "#2c4a70" : "#cfe0fa" // a jumped-to message, for 1.8 s
    readonly property color searchMark: dark ? "#ffb454" : "#b34700" // search terms in results (bold)
    readonly property color link: dark ? "#79b0ff" : "#1d6fd8"
    readonly property color warningBackground: dark ? "#4a3a10" : "#fff3cd"
    readonly property color warningText: dark ? "#ffd98a" : "#6b4e00"
    readonly property color errorBackground: dark ? "#4d1f1f" : "#fde7e7"
    readonly property color errorText: dark ? "#ffb4b4" : "#8a1c1c"
    readonly property color shadow: dark ? "#80000000" : "#30000000"

    readonly property color editingBar: dark ? "#f0a03e" : "#e8a317"

    // Emoji-only text (reaction chips, the picker) asks for the colour font
    // by name: DejaVu Sans, the usual default here, has black-and-white
    // glyphs for some emoji (❤ ✅ ☕) and would win otherwise.
    readonly property string emojiFamily: "Noto Color Emoji"

    readonly property int fontSize: 14
    readonly property int smallFontSize: 12
    readonly property int titleFontSize: 16
    readonly property int radius: 6
    readonly property int spacing: 8
    readonly property int sidebarWidth: 300
    // Narrower than this, the room list moves into a drawer.
    readonly property int narrowWidth: 820

    // A stable colour per user for avatars.
    readonly property var avatarColors: ["#d9480f", "#2b8a3e", "#1864ab", "#862e9c", "#c2255c",
                                         "#0b7285", "#5f3dc4", "#e67700", "#364fc7", "#087f5b"]
    function avatarColor(id) {
        const n = Math.abs(Math.floor(id)) % avatarColors.length
        return avatarColors[n]
    }

    // A status as a short label (ProfileController.Status).
    function statusLabel(status) {
        return status === ProfileController.Away ? qsTr("Away")
             : status === ProfileController.Dnd ? qsTr("Do not disturb") : qsTr("Available")
    }
}
