import QtQuick
import QtQuick.Controls

// A Switch in the theme's colours: its label and track stay readable inside a
// popup, where Qt 6.4 passes no palette on (see ThemedDialog).
Switch {
    id: control

    palette.windowText: Theme.text
    palette.dark: Theme.accent // the track when on
    palette.midlight: Theme.offline // the track when off
    palette.window: Theme.dark ? "#c9ced6" : "#ffffff" // the handle
    palette.light: Theme.dark ? "#e7e9ec" : "#f2f4f7" // the handle, pressed
    palette.mid: Theme.subtleText // the handle's edge
    palette.highlight: Theme.accent
    font.pixelSize: Theme.fontSize

    contentItem: Text { // wraps: the labels here are sentences
        leftPadding: control.indicator.width + control.spacing
        text: control.text
        textFormat: Text.PlainText
        font: control.font
        wrapMode: Text.Wrap
        verticalAlignment: Text.AlignVCenter
        color: control.enabled ? Theme.text : Theme.faintText
    }
}
