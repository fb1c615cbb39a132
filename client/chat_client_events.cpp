// ClientCore: the live events of the connection (`message`, `mention`,
// `message_updated`, `reaction`) applied to the rooms, the open room and the
// mentions inbox. Loading and catching up are in chat_client_rooms.cpp.
#include "chat_client.h"
#include "chat_client_private.h"

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
    rooms->applyMessage(m, open && windowActive);
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
    if (windowActive)
        return;
    const Room room = rooms->room(mention.roomId);
    const QString sender = users->labelIn(mention.roomId, mention.fromUserId);
    const QString title = room.type == RoomType::Dm || room.name.isEmpty()
                              ? ChatClient::tr("%1 mentioned you").arg(sender)
                              : ChatClient::tr("%1 mentioned you in %2").arg(sender, room.name);
    QString body = mention.content.simplified();
    if (body.size() > 200)
        body = body.left(199) + QChar(0x2026);
    notifier->notify(title, body);
    emit q->mentionNotification(title, body, double(mention.roomId), double(mention.messageId));
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
