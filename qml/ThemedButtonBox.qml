import QtQuick
import QtQuick.Controls

// A dialog's button bar in the theme: FlatButtons on the dialog's surface,
// the accepting one filled. Buttons declared inside should be FlatButtons
// too (a destructive one with `textColor: Theme.danger`).
DialogButtonBox {
    id: box

    visible: count > 0
    alignment: Qt.AlignRight
    spacing: 8
    padding: 12
    leftPadding: 20
    rightPadding: 20
    background: Item {}
    delegate: FlatButton {
        primary: DialogButtonBox.buttonRole === DialogButtonBox.AcceptRole
    }
}
