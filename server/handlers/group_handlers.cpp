// add_members, remove_member, set_role, transfer_ownership, update_room,
// pin_message, list_pins, list_public_rooms and join_room (contract, second
// part: "Groups"). Each validates, asks the store (which checks membership
// and the role rules in the change's transaction) and replies to its caller;
// what the members receive goes out through Delivery.
#include "connection.h"
#include "handlers/handlers.h"
#include "handlers/ok_or_error.h"
#include "hub.h"

#include "protocol/event_names.h"
#include "protocol/groups.h"
#include "protocol/replies.h"
#include "protocol/reply_size.h"
#include "protocol/requests.h"

#include <QPointer>

namespace confab::server {
void handleAddMembers(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = AddMembersRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    const QJsonValue id = request.id;
    hub.db<Result<Room>>(
        [r = parsed.value(), me, now](Store& s) { return s.addMembers(r.roomId, me, r.userIds, now); },
        [&hub, guard, id](Result<Room> room) {
            if (!guard)
                return;
            if (!room)
                return Hub::replyError(guard, room.error(), id);
            // The added users' `room` and the others' member_joined: Delivery,
            // right after this (the registry then has the added users).
            Room seen = hub.withPresence(room.value());
            replysize::fitRoom(seen);
            Hub::reply(guard, event::Room, RoomEvent{seen}.toPayload(), id);
        });
}

void handleRemoveMember(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = RemoveMemberRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    hub.db<Result<void>>(
        [r = parsed.value(), me, now](Store& s) { return s.removeMember(r.roomId, me, r.userId, now); },
        okOrError(connection, request.id));
}

void handleSetRole(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = SetRoleRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    hub.db<Result<void>>(
        [r = parsed.value(), me, now](Store& s) { return s.setRole(r.roomId, me, r.userId, r.role, now); },
        okOrError(connection, request.id));
}

void handleTransferOwnership(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = TransferOwnershipRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    hub.db<Result<void>>(
        [r = parsed.value(), me, now](Store& s) { return s.transferOwnership(r.roomId, me, r.userId, now); },
        okOrError(connection, request.id));
}

void handleUpdateRoom(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = UpdateRoomRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    RoomUpdate update{parsed->roomId, connection->userId(), parsed->name,
                      parsed->topic,  parsed->visibility,   hub.nowMs()};
    hub.db<Result<void>>([update](Store& s) { return s.updateRoom(update); },
                         okOrError(connection, request.id));
}

void handlePinMessage(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = PinMessageRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    hub.db<Result<void>>(
        [r = parsed.value(), me, now](Store& s) { return s.pinMessage(r.messageId, me, r.pinned, now); },
        okOrError(connection, request.id));
}

void handleListPins(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = ListPinsRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const Id roomId = parsed->roomId;
    const Id me = connection->userId();
    const QJsonValue id = request.id;
    hub.db<Result<QList<Message>>>(
        [roomId, me](Store& s) { return s.listPins(roomId, me); },
        [guard, roomId, id](Result<QList<Message>> pins) {
            if (!guard)
                return;
            if (!pins)
                return Hub::replyError(guard, pins.error(), id);
            Hub::reply(guard, event::Pins, PinsReply{roomId, pins.value()}.toPayload(), id);
        },
        JobOrder::read(connection->serial()));
}

void handleListPublicRooms(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = ListPublicRoomsRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    hub.db<Result<QList<PublicRoom>>>(
        [r = parsed.value()](Store& s) { return s.listPublicRooms(r.query, r.limit); },
        [guard, id](Result<QList<PublicRoom>> rooms) {
            if (!guard)
                return;
            if (!rooms)
                return Hub::replyError(guard, rooms.error(), id);
            Hub::reply(guard, event::PublicRooms, PublicRoomsReply{rooms.value()}.toPayload(), id);
        },
        JobOrder::read(connection->serial()));
}

void handleJoinRoom(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = RoomRefRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id roomId = parsed->roomId;
    // A member already gets every event of the room: joining is that check.
    if (hub.rooms().isMember(roomId, connection->userId()))
        return Hub::reply(connection, event::Joined, RoomIdPayload{roomId}.toPayload(), request.id);
    // Else only a public group lets the user in (the store decides, in the
    // join's transaction); anything else is answered as a missing room.
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    const QJsonValue id = request.id;
    hub.db<Result<JoinedRoom>>([roomId, me, now](Store& s) { return s.joinRoom(roomId, me, now); },
                               [guard, roomId, id](Result<JoinedRoom> joined) {
                                   if (!guard)
                                       return;
                                   if (!joined)
                                       return Hub::replyError(guard, joined.error(), id);
                                   // The room itself comes as `room` from Delivery, right after this.
                                   Hub::reply(guard, event::Joined, RoomIdPayload{roomId}.toPayload(), id);
                               });
}

} // namespace confab::server
