import QtQuick

// The app mark (a chat bubble on a blue tile), drawn with plain items: Qt on
// the target systems has no SVG support.
Rectangle {
    id: logo

    implicitWidth: 64
    implicitHeight: 64
    radius: width * 0.22
    gradient: Gradient {
        GradientStop { position: 0; color: "#3b8cf0" }
        GradientStop { position: 1; color: "#1d5fc0" }
    }

    Rectangle {
        id: bubble
        x: logo.width * 0.16
        y: logo.height * 0.28
        width: logo.width * 0.68
        height: logo.height * 0.40
        radius: logo.width * 0.09
        color: "#ffffff"
    }
    Rectangle { // the bubble's tail
        x: logo.width * 0.33
        y: bubble.y + bubble.height - height * 0.6
        width: logo.width * 0.14
        height: width
        rotation: 45
        color: "#ffffff"
    }
    Row {
        anchors.centerIn: bubble
        spacing: logo.width * 0.08
        Repeater {
            model: ["#1d5fc0", "#1d5fc0", "#f08c3b"]
            Rectangle {
                required property string modelData
                width: logo.width * 0.09
                height: width
                radius: width / 2
                color: modelData
            }
        }
    }
}
