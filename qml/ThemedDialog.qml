import QtQuick
import QtQuick.Controls

// A Dialog in the theme's colours. Qt 6.4 does not pass a palette on to a
// popup's header, footer and content (a dark window showed white button
// bars, dark titles and white check boxes, even with the palette set on the
// Dialog), so the title, the button bar and the frame here take the theme's
// colours directly, and controls inside use ThemedSwitch/ThemedCheckBox.
Dialog {
    id: dialog

    padding: 20
    topPadding: 12
    bottomPadding: 8

    background: Rectangle {
        radius: Theme.radius * 2
        color: Theme.surface
        border.color: Theme.border
    }
    header: Text {
        text: dialog.title
        visible: text !== ""
        textFormat: Text.PlainText
        elide: Text.ElideRight
        leftPadding: 20
        rightPadding: 20
        topPadding: 16
        font.pixelSize: Theme.titleFontSize
        font.bold: true
        color: Theme.text
    }
    footer: ThemedButtonBox {}

    // What the Basic style still reads from the palette (a ToolTip, the
    // selection of a TextField) inside a dialog.
    palette.window: Theme.surface
    palette.windowText: Theme.text
    palette.base: Theme.surface
    palette.text: Theme.text
    palette.button: Theme.hover
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.faintText
}
