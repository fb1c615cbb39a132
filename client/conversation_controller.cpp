// ConversationController: opening a room, paging back, jumping to a message,
// typing and read markers. Loading and catching up are ClientCore's
// (chat_client_rooms.cpp).
#include "conversation_controller.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"

namespace confab::client {

namespace {
constexpr int kPageSize = 50;
} // namespace

ConversationController::ConversationController(ClientCore* core)
    : d(core)
{}

MessageListModel* ConversationController::messages() const
{
    return d->messages.get();
}

QString ConversationController::typingText() const
{
    return d->typing->text();
}

bool ConversationController::loadingOlder() const
{
    return d->loadingOlder;
}

void ConversationController::openRoom(double roomId)
{
    const Id id = Id(roomId);
    if (id == 0) {
        d->closeRoom();
        return;
    }
    if (id == d->currentRoom && !d->pageLoading) {
        markRead();
        return;
    }
    d->loadRoom(id, std::nullopt, {});
}

void ConversationController::jumpToMessage(double roomId, double messageId)
{
    const Id room = Id(roomId);
    const Id message = Id(messageId);
    if (room == d->currentRoom && !d->pageLoading) {
        const int row = d->messages->rowOfMessage(message);
        if (row >= 0) {
            emit scrollToMessage(row);
            return;
        }
    }
    d->loadRoom(room, message, {});
}

void ConversationController::loadOlder()
{
    const Id oldest = d->messages->oldestId();
    if (d->currentRoom == 0 || d->pageLoading || d->loadingOlder || !d->messages->hasMoreOlder() ||
        oldest == 0)
        return;
    d->setLoadingOlder(true);
    FetchMessagesRequest request;
    request.roomId = d->currentRoom;
    request.beforeId = oldest;
    request.limit = kPageSize;
    const quint64 serial = d->roomSerial;
    d->session->request(event::FetchMessages, request.toPayload(), [this, serial](const Envelope& reply) {
        if (serial != d->roomSerial)
            return;
        const auto history = HistoryReply::fromPayload(reply.payload);
        if (!isErrorReply(reply) && history)
            d->messages->prependOlder(history->messages, history->hasMore);
        d->setLoadingOlder(false); // after the rows: views see the finished page
    });
}

void ConversationController::setTyping(bool typing)
{
    d->typing->setLocalTyping(d->currentRoom, typing);
}

void ConversationController::markRead()
{
    const Id room = d->currentRoom;
    if (room == 0 || d->pageLoading)
        return;
    d->rooms->markRead(room);
    const Id newest = d->messages->newestId();
    if (newest == 0 || d->markedRead.value(room) >= newest)
        return;
    d->markedRead.insert(room, newest);
    d->markReadUpTo(room, newest); // offline: kept, and sent after the reconnect
}

double ConversationController::roomId() const
{
    return double(d->currentRoom);
}

QString ConversationController::roomName() const
{
    return d->rooms->displayName(d->currentRoom);
}

bool ConversationController::isLoading() const
{
    return d->pageLoading;
}

bool ConversationController::isDm() const
{
    return d->rooms->room(d->currentRoom).type == RoomType::Dm;
}

} // namespace confab::client
