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

PinsController* ConversationController::pins() const
{
    return d->pins.get();
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
    if (d->currentRoom == 0 || d->pageLoading || d->loadingOlder || !d->messages->hasMoreOlder() ||
        d->messages->oldestId() == 0)
        return;
    d->fetchOlder(d->roomSerial, [](bool) {});
}

void ClientCore::fetchOlder(quint64 serial, std::function<void(bool ok)> done)
{
    setLoadingOlder(true);
    FetchMessagesRequest request;
    request.roomId = currentRoom;
    request.beforeId = messages->oldestId();
    request.limit = kPageSize;
    session->request(event::FetchMessages, request.toPayload(), [this, serial, done](const Envelope& reply) {
        if (serial != roomSerial)
            return;
        const auto history = HistoryReply::fromPayload(reply.payload);
        const bool ok = !isErrorReply(reply) && history;
        if (ok)
            messages->prependOlder(history->messages, history->hasMore);
        setLoadingOlder(false); // after the rows: views see the finished page
        done(ok);
    });
}

void ClientCore::placeUnreadDivider(quint64 serial, bool scroll, int pagesLeft)
{
    if (serial != roomSerial)
        return;
    placingDivider = false;
    std::optional<Id> first = messages->firstUnreadAmong(unreadAtOpen);
    if (!first && pagesLeft > 0 && !loadingOlder) {
        placingDivider = true;
        fetchOlder(serial, [=](bool ok) { placeUnreadDivider(serial, scroll, ok ? pagesLeft - 1 : 0); });
        return;
    }
    if (!first) // too far back: the line goes above the oldest loaded
        first = messages->firstUnreadAmong(std::min(unreadAtOpen, messages->countFromOthersAfter(0)));
    messages->setFirstUnreadId(first.value_or(0));
    const int row = messages->rowOfMessage(first.value_or(0));
    if (scroll && row >= 0)
        emit conversation->unreadDividerPlaced(row);
}

void ClientCore::markReadUnlessReading()
{
    if (windowActive && !placingDivider && messages->firstUnreadId() == 0)
        conversation->markRead();
}

void ConversationController::jumpToFirstUnread()
{
    const int row = d->messages->rowOfMessage(d->messages->firstUnreadId());
    if (row >= 0)
        emit unreadDividerPlaced(row);
}

void ConversationController::markSeen(double messageId)
{
    const Id room = d->currentRoom;
    const Id seen = Id(messageId);
    if (room == 0 || d->pageLoading || d->placingDivider || !d->windowActive || seen == 0)
        return;
    if (seen >= d->messages->newestId()) {
        markRead(); // down to the newest: nothing left unread
        return;
    }
    if (d->markedRead.value(room) >= seen)
        return;
    d->markedRead.insert(room, seen);
    d->rooms->setUnreadCount(room, d->messages->countFromOthersAfter(seen));
    d->markReadUpTo(room, seen); // offline (rows from the cache): kept, and sent after the reconnect
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
    d->notifications->clearRoom(room);
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
