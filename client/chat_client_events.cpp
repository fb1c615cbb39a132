// ClientCore: the live events of the connection (`message`, `mention`,
// `message_updated`, `reaction`) applied to the rooms, the open room and the
// mentions inbox. Loading and catching up are in chat_client_rooms.cpp.
#include "chat_client.h"
#include "chat_client_private.h"

#include "notification_rule.h"

#include <QDateTime>

namespace confab::client {

namespace {
constexpr int kRecentMessages = 256;
} // namespace

void ClientCore::onMessage(const Message& m)
{
    rememberRecent(m);
    if (m.senderId == me.id && outbox->contains(m.tempId))
        outbox->markStored(m.tempId);
    const bool open = m.roomId == currentRoom;
    const std::optional<Message> previous = rooms->room(m.roomId).lastMessage;
    const bool fresh = !previous || m.id > previous->id;
    rooms->applyMessage(m, open && windowActive);
    if (fresh) // not a repeat, nor one that a catch-up already brought
        notifyAbout(m);
    if (!open)
        return;
    typing->userSent(m.senderId);
    if (pageLoading)
        liveWhileLoading.append(m);
    else
        messages->upsert(m);
    if (windowActive)
        markReadSoon.start();
}

void ClientCore::onMention(const MentionEvent& mention)
{
    const bool seen = mention.roomId == currentRoom && windowActive;
    rooms->applyMention(mention.roomId, seen);
    Message message = recent.value(mention.messageId);
    if (message.id == 0) { // the `message` event normally comes first
        message.id = mention.messageId;
        message.roomId = mention.roomId;
        message.senderId = mention.fromUserId;
        message.content = mention.content;
        message.createdAt = QDateTime::currentMSecsSinceEpoch();
    }
    mentions->prepend(message);
}

void ClientCore::notifyAbout(const Message& m)
{
    const Room room = rooms->room(m.roomId);
    if (room.id == 0)
        return;
    const bool inView = m.roomId == currentRoom && windowActive;
    const auto outcome =
        NotificationRule::decide(NotificationRule::inputFor(m, room, me.id, session->user().status, inView));
    if (outcome == NotificationRule::Outcome::Silent)
        return;
    const bool dm = room.type == RoomType::Dm;
    notifications->setWindowActive(windowActive);
    const NotificationCenter::Shown shown = notifications->show(
        m.roomId, m.id, rooms->displayName(m.roomId), dm, users->labelIn(m.roomId, m.senderId), m.content,
        outcome == NotificationRule::Outcome::Mention);
    emit attention->notified(shown.title, shown.body, double(m.roomId), double(m.id), shown.desktop);
}

void ClientCore::onMessageUpdated(const Message& m)
{
    if (recent.contains(m.id))
        recent.insert(m.id, m);
    rooms->applyUpdate(m);
    mentions->applyUpdate(m, me.id);
    searchResults->applyUpdate(m);
    if (m.deleted && m.id == editingId)
        composer->cancelEdit(); // nothing left to edit
    if (m.deleted && m.id == replyToId)
        composer->cancelReply();
    if (m.roomId != currentRoom)
        return;
    if (pageLoading)
        updatesWhileLoading.append(m);
    else
        messages->applyUpdate(m);
}

void ClientCore::onReaction(const ReactionEvent& r)
{
    if (r.roomId != currentRoom)
        return;
    if (pageLoading)
        reactionsWhileLoading.append(r);
    else
        messages->applyReaction(r.messageId, r.emoji, r.userId, r.on, r.revision);
}

void ClientCore::rememberRecent(const Message& m)
{
    if (recent.contains(m.id))
        return;
    recent.insert(m.id, m);
    recentOrder.append(m.id);
    while (recentOrder.size() > kRecentMessages)
        recent.remove(recentOrder.takeFirst());
}

} // namespace confab::client
