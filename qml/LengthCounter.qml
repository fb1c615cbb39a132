import QtQuick

// How many characters are left before the server's limit, shown only near
// it; past it, how many are over, in the danger colour (the composer then
// does not send, and keeps the text).
Text {
    id: counter
    objectName: "lengthCounter"

    property int length: 0
    property int maximum: 16000
    // Shown from this many characters before the limit.
    property int warnBefore: Math.min(500, Math.floor(maximum / 10))
    readonly property int remaining: maximum - length
    readonly property bool over: remaining < 0

    visible: remaining <= warnBefore
    text: String(remaining)
    textFormat: Text.PlainText
    font.pixelSize: Theme.smallFontSize
    font.bold: over
    color: over ? Theme.danger : Theme.subtleText

    PlainToolTip {
        visible: hover.hovered
        text: counter.over ? qsTr("%n character(s) over the limit: shorten the message to send it.", "",
                                  -counter.remaining)
                           : qsTr("%n character(s) left", "", counter.remaining)
    }
    HoverHandler {
        id: hover
    }
}
