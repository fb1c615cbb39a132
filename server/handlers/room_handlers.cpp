// create_room, open_dm, list_rooms, leave_room (join_room: group_handlers.cpp).
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"

#include "base/logging.h"

#include "protocol/event_names.h"
#include "protocol/replies.h"
#include "protocol/reply_size.h"
#include "protocol/requests.h"

#include <QPointer>

namespace confab::server {
namespace {

QList<Id> memberIds(const Room& room)
{
    QList<Id> ids;
    ids.reserve(room.members.size());
    for (const User& member : room.members)
        ids.append(member.id);
    return ids;
}

} // namespace

void handleCreateRoom(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = CreateRoomRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const Id ownerId = connection->userId();
    const qint64 now = hub.nowMs();
    const QJsonValue id = request.id;
    hub.db<Result<Room>>(
        [r = parsed.value(), ownerId, now](Store& s) {
            return s.createGroup(r.name, ownerId, r.memberIds, now, r.topic, r.visibility);
        },
        [&hub, guard, id](Result<Room> created) {
            if (!created) {
                if (guard)
                    Hub::replyError(guard, created.error(), id);
                return;
            }
            Room room = hub.withPresence(created.value());
            hub.rooms().setRoom(room.id, RoomType::Group, memberIds(room));
            replysize::fitRoom(room); // after the registry has every member
            // The members' `room`: Delivery, right after this.
            if (guard)
                Hub::reply(guard, event::Room, RoomEvent{room}.toPayload(), id);
        });
}

void handleOpenDm(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = OpenDmRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const Id other = parsed->userId;
    const qint64 now = hub.nowMs();
    const QJsonValue id = request.id;
    hub.db<Result<DmRoom>>([me, other, now](Store& s) { return s.openDm(me, other, now); },
                           [&hub, guard, id](Result<DmRoom> opened) {
                               if (!opened) {
                                   if (guard)
                                       Hub::replyError(guard, opened.error(), id);
                                   return;
                               }
                               const Room room = hub.withPresence(opened->room);
                               hub.rooms().setRoom(room.id, RoomType::Dm, memberIds(room));
                               // When created, both members' `room`: Delivery, right after this.
                               if (guard)
                                   Hub::reply(guard, event::Room, RoomEvent{room}.toPayload(), id);
                           });
}

void handleListRooms(Hub& hub, Connection* connection, const Envelope& request)
{
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const QJsonValue id = request.id;
    hub.db<Result<QList<Room>>>([me](Store& s) { return s.roomsForUser(me); },
                                [&hub, guard, id](Result<QList<Room>> rooms) {
                                    if (!guard)
                                        return;
                                    if (!rooms)
                                        return Hub::replyError(guard, rooms.error(), id);
                                    RoomsReply reply;
                                    for (const Room& room : rooms.value())
                                        reply.rooms.append(hub.withPresence(room));
                                    // Under the client's frame limit, whatever the user was added to.
                                    const replysize::RoomsFit fit = replysize::fitRooms(reply.rooms);
                                    reply.hasMore = fit.leftOut > 0;
                                    if (fit.cutMemberLists > 0 || fit.leftOut > 0)
                                        qCWarning(lcServer)
                                            << "rooms of user" << guard->userId()
                                            << "cut to fit a reply:" << fit.cutMemberLists
                                            << "member lists cut," << fit.leftOut << "rooms left out";
                                    Hub::reply(guard, event::Rooms, reply.toPayload(), id);
                                },
                                JobOrder::read(connection->serial()));
}

void handleLeaveRoom(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = RoomRefRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id roomId = parsed->roomId;
    if (hub.rooms().type(roomId) == RoomType::Dm) {
        return Hub::replyError(
            connection, makeError(ErrorCode::Forbidden, QStringLiteral("cannot leave a direct message")),
            request.id);
    }
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const QJsonValue id = request.id;
    hub.db<Result<void>>([roomId, me](Store& s) { return s.leaveRoom(roomId, me); },
                         [guard, id](Result<void> left) {
                             if (!guard)
                                 return;
                             if (!left)
                                 return Hub::replyError(guard, left.error(), id);
                             // Typing ends, the registry and the others hear of it: Delivery, right after
                             // this.
                             Hub::reply(guard, event::Ok, QJsonObject(), id);
                         });
}

} // namespace confab::server
