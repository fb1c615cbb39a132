import QtQuick
import QtQuick.Controls

// A CheckBox in the theme's colours: the box, its tick and its label stay
// readable inside a popup, where Qt 6.4 passes no palette on (see ThemedDialog).
CheckBox {
    palette.windowText: Theme.text
    palette.base: Theme.surface // the box
    palette.light: Theme.hover // the box, pressed
    palette.text: Theme.text // the tick
    palette.mid: Theme.subtleText // the box's edge
    palette.midlight: Theme.border // the edge, disabled
    palette.highlight: Theme.accent
    font.pixelSize: Theme.fontSize
}
