#include "delivery/delivery.h"

#include "connection.h"
#include "hub.h"

#include "protocol/attention.h"
#include "protocol/event_names.h"
#include "protocol/groups.h"
#include "protocol/lifecycle.h"
#include "protocol/replies.h"
#include "protocol/reply_size.h"

#include <QTimer>

namespace confab::server {

Delivery::Delivery(Hub& hub)
    : m_hub(hub)
    , m_receipts([this](Id roomId, Id userId, Id messageId) { sendReceipt(roomId, userId, messageId); },
                 [&hub](qint64 delayMs, std::function<void()> then) {
                     QTimer::singleShot(std::chrono::milliseconds(delayMs), &hub, std::move(then));
                 })
{}

void Delivery::deliverCommitted(const QList<ChangeRecord>& changes)
{
    for (const ChangeRecord& change : changes)
        deliver(change, Source::Committed);
}

void Delivery::deliverLogged(const ChangeRecord& change)
{
    deliver(change, Source::Logged);
}

void Delivery::deliver(const ChangeRecord& change, Source source)
{
    switch (change.kind) {
    case ChangeRecord::Kind::Message:
        return message(change, source);
    case ChangeRecord::Kind::MessageUpdated:
        return messageUpdated(change);
    case ChangeRecord::Kind::Reaction:
        return reaction(change);
    case ChangeRecord::Kind::Read:
        return read(change);
    case ChangeRecord::Kind::Room:
        return room(change);
    case ChangeRecord::Kind::MemberLeft:
        return memberLeft(change);
    case ChangeRecord::Kind::UserDisabled:
    case ChangeRecord::Kind::CredentialsChanged:
    case ChangeRecord::Kind::PasswordChanged:
        return m_hub.applyAccessChange(change);
    case ChangeRecord::Kind::RoomSettings:
        return roomSettings(change);
    case ChangeRecord::Kind::UserUpdated:
        return userUpdated(change);
    case ChangeRecord::Kind::MemberJoined:
        return memberJoined(change);
    case ChangeRecord::Kind::RoomUpdated:
        return roomUpdated(change);
    case ChangeRecord::Kind::PinsChanged:
        return pinsChanged(change);
    }
}

void Delivery::sendToUserExcept(Id userId, const QByteArray& frame, quint64 except)
{
    if (except == 0)
        return m_hub.sendToUser(userId, frame);
    const Connection* skip = nullptr;
    for (const Connection* c : m_hub.sessions().connectionsOf(userId)) {
        if (c->serial() == except)
            skip = c;
    }
    m_hub.sendToUser(userId, frame, skip);
}

void Delivery::message(const ChangeRecord& change, Source source)
{
    if (!change.message)
        return; // the row is gone (read back from the log after a restore)
    // In a cluster, this instance's own message may also come back from the
    // log when its COMMIT reply was lost: whichever path comes first claims
    // it (ClusterNode::claimDelivery); the log's own messages are claimed there.
    if (source == Source::Committed && !m_hub.claimDelivery(change.messageId))
        return;
    const Message& m = *change.message;
    // Serialized once, sent to every connection of every member.
    m_hub.sendToUsers(m_hub.rooms().members(m.roomId),
                      Hub::frame(event::Message, MessageEvent{m}.toPayload()));
    if (!change.userIds.isEmpty()) {
        const auto mention =
            Hub::frame(event::Mention, MentionEvent{m.roomId, m.id, m.senderId, m.content}.toPayload());
        m_hub.sendToUsers(change.userIds, mention);
    }
}

void Delivery::messageUpdated(const ChangeRecord& change)
{
    if (!change.message)
        return;
    const Message& m = *change.message;
    auto it = m_updatedRevision.find(m.id);
    if (it != m_updatedRevision.end() && it.value() >= m.revision)
        return; // this state was sent already (two changes read back together)
    if (m_updatedRevision.size() >= kRememberedRevisions)
        m_updatedRevision.clear(); // forgetting only risks a repeat of the same state
    m_updatedRevision.insert(m.id, m.revision);
    m_hub.sendToUsers(m_hub.rooms().members(m.roomId),
                      Hub::frame(event::MessageUpdated, MessageUpdatedEvent{m}.toPayload()));
    if (!change.userIds.isEmpty() && !m.deleted) {
        const auto mention =
            Hub::frame(event::Mention, MentionEvent{m.roomId, m.id, m.senderId, m.content}.toPayload());
        m_hub.sendToUsers(change.userIds, mention);
    }
}

void Delivery::reaction(const ChangeRecord& change)
{
    const ReactionEvent event{change.roomId, change.messageId, change.emoji,
                              change.userId, change.on,        change.revision};
    m_hub.sendToUsers(m_hub.rooms().members(change.roomId), Hub::frame(event::Reaction, event.toPayload()));
}

void Delivery::read(const ChangeRecord& change)
{
    // The user's other connections; the one that asked had its `ok`.
    sendToUserExcept(change.userId,
                     Hub::frame(event::Read, ReadEvent{change.roomId, change.messageId}.toPayload()),
                     change.requester);
    // `on`: the marker moved forward and its user shows receipts.
    if (change.on && m_hub.config().receipts)
        m_receipts.offer(change.roomId, change.userId, change.messageId);
}

void Delivery::sendReceipt(Id roomId, Id userId, Id messageId)
{
    if (!m_hub.rooms().isMember(roomId, userId))
        return; // left while it was held
    m_hub.sendToUsers(m_hub.rooms().members(roomId),
                      Hub::frame(event::Receipt, ReceiptEvent{roomId, userId, messageId}.toPayload()));
}

void Delivery::roomSettings(const ChangeRecord& change)
{
    const auto level = notifyLevelFromName(change.emoji);
    if (!level)
        return;
    sendToUserExcept(change.userId,
                     Hub::frame(event::RoomSettings, RoomSettingsEvent{change.roomId, *level}.toPayload()),
                     change.requester);
}

void Delivery::userUpdated(const ChangeRecord& change)
{
    if (!change.user)
        return; // the user is gone (read back from the log)
    User own = m_hub.withPresence(*change.user);
    m_hub.setStatus(own.id, own.status, own.statusText);
    // The user's other connections get the own copy (with sendReceipts).
    sendToUserExcept(own.id, Hub::frame(event::UserUpdated, UserUpdatedEvent{own}.toPayload()),
                     change.requester);
    if (!change.on)
        return; // only sendReceipts changed: nothing others see
    User seen = own;
    seen.sendReceipts.reset();
    m_hub.sendToUsers(m_hub.rooms().contactsOf(own.id),
                      Hub::frame(event::UserUpdated, UserUpdatedEvent{seen}.toPayload()));
}

void Delivery::room(const ChangeRecord& change)
{
    if (change.membership)
        m_hub.rooms().setRoom(change.roomId, change.membership->type, change.membership->memberIds);
    const QList<Id> members = m_hub.rooms().members(change.roomId);
    if (change.room && change.room->type == RoomType::Group) {
        // A new group has no messages: the same view (counts, name) for everyone.
        Room seen = m_hub.withPresence(*change.room);
        replysize::fitRoom(seen); // after the registry has every member
        const auto push = Hub::frame(event::Room, RoomEvent{seen}.toPayload());
        for (Id member : members)
            sendToUserExcept(member, push, change.requester);
        return;
    }
    // A DM is named after the other member, and another instance's room may
    // have messages by now: each member's own view comes from the store.
    for (Id member : members) {
        if (!m_hub.sessions().isOnline(member))
            continue;
        const Id roomId = change.roomId;
        const quint64 except = change.requester;
        m_hub.db<Result<Room>>([roomId, member](Store& s) { return s.roomForUser(roomId, member); },
                               [this, member, except](Result<Room> view) {
                                   if (!view)
                                       return;
                                   Room seen = m_hub.withPresence(view.value());
                                   replysize::fitRoom(seen);
                                   sendToUserExcept(
                                       member, Hub::frame(event::Room, RoomEvent{seen}.toPayload()), except);
                               },
                               JobOrder::read(JobOrder::background().connection));
    }
}

void Delivery::memberLeft(const ChangeRecord& change)
{
    const Id roomId = change.roomId;
    const Id leaver = change.userId;
    for (Connection* c : m_hub.sessions().connectionsOf(leaver)) {
        if (c->typingRooms().contains(roomId))
            m_hub.setTyping(c, roomId, false);
    }
    if (change.membership)
        m_hub.rooms().setRoom(roomId, change.membership->type, change.membership->memberIds);
    else
        m_hub.rooms().removeMember(roomId, leaver);
    // Removed (groups): `on`, and who removed them; else the user left.
    RoomLeftEvent left{roomId, change.on ? QStringLiteral("removed") : QStringLiteral("left")};
    const Id by = change.on && !change.userIds.isEmpty() ? change.userIds.constFirst() : leaver;
    sendToUserExcept(leaver, Hub::frame(event::RoomLeft, left.toPayload()), change.on ? 0 : change.requester);
    m_hub.sendToUsers(m_hub.rooms().members(roomId),
                      Hub::frame(event::MemberLeft, MemberLeftEvent{roomId, leaver, by}.toPayload()));
}

} // namespace confab::server
