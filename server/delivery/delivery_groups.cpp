// Delivery of the group changes (contract, second part: "Groups"): members
// added or joined, rooms updated, pins. Removal is memberLeft() (the same
// change as leave_room, so a removed user gets nothing more of the room from
// the moment the registry drops them, on every instance).
#include "delivery/delivery.h"

#include "connection.h"
#include "hub.h"

#include "protocol/event_names.h"
#include "protocol/groups.h"
#include "protocol/replies.h"
#include "protocol/reply_size.h"

namespace confab::server {

void Delivery::memberJoined(const ChangeRecord& change)
{
    if (change.membership)
        m_hub.rooms().setRoom(change.roomId, RoomType::Group, change.membership->memberIds);
    if (change.userIds.isEmpty())
        return;
    if (change.room)
        return sendJoined(change, *change.room);
    // Another instance's change: the added users' view from the store (the
    // registry above is already current, so the system message that follows
    // reaches them).
    const Id roomId = change.roomId;
    const Id first = change.userIds.constFirst();
    m_hub.db<Result<Room>>([roomId, first](Store& s) { return s.roomForUser(roomId, first); },
                           [this, change](Result<Room> view) {
                               if (view)
                                   sendJoined(change, view.value());
                           },
                           JobOrder::read(JobOrder::background().connection));
}

void Delivery::sendJoined(const ChangeRecord& change, const Room& view)
{
    Room seen = m_hub.withPresence(view);
    replysize::fitRoom(seen);
    // The added users' every connection: a join_room's caller had `joined`
    // only, an adder's `room` is not theirs.
    const QByteArray push = Hub::frame(event::Room, RoomEvent{seen}.toPayload());
    QList<Id> added;
    for (Id userId : change.userIds) {
        if (!m_hub.rooms().isMember(change.roomId, userId))
            continue; // removed again meanwhile
        added.append(userId);
        m_hub.sendToUser(userId, push);
    }
    const QList<Id> members = m_hub.rooms().members(change.roomId);
    for (Id userId : std::as_const(added)) {
        User user;
        for (const User& member : std::as_const(view.members)) {
            if (member.id == userId)
                user = member;
        }
        if (user.id == 0)
            continue; // cut from a view too large for a frame: the room's members list has it
        const QByteArray joined =
            Hub::frame(event::MemberJoined,
                       MemberJoinedEvent{change.roomId, m_hub.withPresence(user), change.userId}.toPayload());
        for (Id member : members) {
            if (!change.userIds.contains(member))
                sendToUserExcept(member, joined, change.requester);
        }
    }
}

void Delivery::roomUpdated(const ChangeRecord& change)
{
    // room_updated carries the room as each member sees it (counts, notify):
    // every online member's view, read in one job.
    QList<Id> online;
    for (Id member : m_hub.rooms().members(change.roomId)) {
        if (m_hub.sessions().isOnline(member))
            online.append(member);
    }
    if (online.isEmpty())
        return;
    const Id roomId = change.roomId;
    using Views = QList<QPair<Id, Room>>;
    m_hub.db<Result<Views>>(
        [roomId, online](Store& s) -> Result<Views> {
            Views views;
            for (Id member : online) {
                Result<Room> view = s.roomForUser(roomId, member);
                if (view)
                    views.append({member, view.value()});
                else if (view.error().code != ErrorCode::Forbidden)
                    return view.error(); // not a member any more: skipped
            }
            return views;
        },
        [this, roomId](Result<Views> views) {
            if (!views)
                return;
            for (const auto& [member, view] : views.value()) {
                if (!m_hub.rooms().isMember(roomId, member))
                    continue; // left while it was read
                Room seen = m_hub.withPresence(view);
                replysize::fitRoom(seen);
                m_hub.sendToUser(member, Hub::frame(event::RoomUpdated, RoomUpdatedEvent{seen}.toPayload()));
            }
        },
        JobOrder::read(JobOrder::background().connection));
}

void Delivery::pinsChanged(const ChangeRecord& change)
{
    const PinsChangedEvent event{change.roomId, change.messageId, change.on, change.userId};
    m_hub.sendToUsers(m_hub.rooms().members(change.roomId),
                      Hub::frame(event::PinsChanged, event.toPayload()));
}

} // namespace confab::server
