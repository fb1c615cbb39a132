#pragma once

#include "message_list_model.h"
#include "pins_controller.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// The open room: which one it is, its messages (paged, caught up after a
// reconnect), who is typing, jumping to a message, read markers.
class ConversationController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.conversation")
    Q_PROPERTY(confab::client::MessageListModel* messages READ messages CONSTANT)
    Q_PROPERTY(double roomId READ roomId NOTIFY roomChanged)
    // For a DM the other member's name, with "(@username)" when I or another DM partner share it.
    Q_PROPERTY(QString roomName READ roomName NOTIFY roomNameChanged)
    Q_PROPERTY(bool isDm READ isDm NOTIFY roomChanged)
    Q_PROPERTY(QString typingText READ typingText NOTIFY typingTextChanged) // "Alice is typing…"
    Q_PROPERTY(bool loadingOlder READ loadingOlder NOTIFY loadingOlderChanged)
    // The open room's pins (ChatClient.pins), for the views that show the room.
    Q_PROPERTY(confab::client::PinsController* pins READ pins CONSTANT)

public:
    explicit ConversationController(ClientCore* core);

    MessageListModel* messages() const;
    double roomId() const;
    QString roomName() const;
    bool isDm() const;
    QString typingText() const;
    bool loadingOlder() const;
    PinsController* pins() const;
    // The open room's newest page (or a jump's page) is still on its way.
    bool isLoading() const;

    Q_INVOKABLE void openRoom(double roomId); // newest page; marks read
    Q_INVOKABLE void loadOlder();             // beforeId = oldest loaded
    // Opens the room with the message loaded (older pages as needed) and emits scrollToMessage.
    Q_INVOKABLE void jumpToMessage(double roomId, double messageId);
    Q_INVOKABLE void setTyping(bool typing);
    Q_INVOKABLE void markRead(); // everything loaded
    // The view showed the room down to `messageId`: the read marker moves
    // there (never back), the room's unread count follows.
    Q_INVOKABLE void markSeen(double messageId);
    // Scrolls back to the "New messages" line (unreadDividerPlaced).
    Q_INVOKABLE void jumpToFirstUnread();

signals:
    void roomChanged();
    void roomNameChanged();
    // The page openRoom() or jumpToMessage() asked for has been shown (ok),
    // or could not be loaded (offline, an error): the room shows what it can.
    void roomLoaded(double roomId, bool ok);
    void typingTextChanged();
    void loadingOlderChanged();
    void scrollToMessage(int row);
    // The room opened with unread messages: the line is above `row`; show it.
    void unreadDividerPlaced(int row);

private:
    ClientCore* const d;
};

} // namespace confab::client
