import QtQuick
import Confab.Client

// The chat's keyboard shortcuts, as Slack and Element users expect them:
// Ctrl+K the quick switcher, Ctrl+F search, Alt+Up/Down the previous/next
// room in the sidebar's order, Alt+Shift+Up/Down the previous/next room with
// unread messages. Esc is not here: it belongs to whatever has the focus
// first (a popup, the composer cancelling an edit), so the page handles it
// as a key that nothing else took (ChatPage's Keys.onEscapePressed).
Item {
    id: shortcuts

    required property RoomsController rooms
    required property ConversationController conversation
    // The sidebar's filter: the rooms it hides are skipped.
    property string filter: ""
    signal switcherRequested()
    signal searchRequested()
    signal roomRequested(double roomId)

    function step(by, unreadOnly) {
        const roomId = shortcuts.rooms.model.adjacentRoom(shortcuts.conversation.roomId, by, unreadOnly,
                                                            shortcuts.filter)
        if (roomId !== 0)
            shortcuts.roomRequested(roomId)
    }

    Shortcut {
        objectName: "switcherShortcut"
        sequences: ["Ctrl+K"]
        onActivated: shortcuts.switcherRequested()
    }
    Shortcut {
        sequences: [StandardKey.Find]
        onActivated: shortcuts.searchRequested()
    }
    Shortcut {
        sequences: ["Alt+Up"]
        onActivated: shortcuts.step(-1, false)
    }
    Shortcut {
        sequences: ["Alt+Down"]
        onActivated: shortcuts.step(1, false)
    }
    Shortcut {
        sequences: ["Alt+Shift+Up"]
        onActivated: shortcuts.step(-1, true)
    }
    Shortcut {
        sequences: ["Alt+Shift+Down"]
        onActivated: shortcuts.step(1, true)
    }
}
