import QtQuick
import QtQuick.Controls

// A Dialog in the theme's colours. Qt 6.4 does not pass the window's palette
// on to a popup's header, footer and content (a dark window showed white
// button bars, dark titles and white check boxes), so every dialog states
// its palette here.
Dialog {
    palette.window: Theme.surface
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
}
