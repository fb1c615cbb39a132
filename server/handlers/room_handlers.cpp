// create_room, open_dm, list_rooms, join_room, leave_room.
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"

#include "logging.h"

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
    hub.db<Result<Room>>([r = parsed.value(), ownerId,
                          now](Store& s) { return s.createGroup(r.name, ownerId, r.memberIds, now); },
                         [&hub, guard, id](Result<Room> created) {
                             if (!created) {
                                 if (guard)
                                     Hub::replyError(guard, created.error(), id);
                                 return;
                             }
                             hub.changesCommitted();
                             Room room = hub.withPresence(created.value());
                             const QList<Id> members = memberIds(room);
                             hub.rooms().setRoom(room.id, RoomType::Group, members);
                             replysize::fitRoom(room); // after the registry has every member
                             const QJsonObject payload = RoomEvent{room}.toPayload();
                             if (guard)
                                 Hub::reply(guard, event::Room, payload, id);
                             // A new room has no messages: the same counts hold for every member.
                             const auto push = Hub::frame(event::Room, payload);
                             for (Id member : members)
                                 hub.sendToUser(member, push, guard);
                         });
}

void handleOpenDm(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = OpenDmRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    struct Opened {
        DmRoom mine;
        std::optional<Room> theirs; // only when created and not a note-to-self
    };
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const Id other = parsed->userId;
    const qint64 now = hub.nowMs();
    const QJsonValue id = request.id;
    hub.db<Result<Opened>>(
        [me, other, now](Store& s) -> Result<Opened> {
            auto dm = s.openDm(me, other, now);
            if (!dm)
                return dm.error();
            Opened opened{dm.value(), std::nullopt};
            if (dm->created && other != me) {
                auto theirs = s.roomForUser(dm->room.id, other);
                if (theirs)
                    opened.theirs = theirs.value();
            }
            return opened;
        },
        [&hub, guard, me, other, id](Result<Opened> opened) {
            if (!opened) {
                if (guard)
                    Hub::replyError(guard, opened.error(), id);
                return;
            }
            const Room room = hub.withPresence(opened->mine.room);
            hub.rooms().setRoom(room.id, RoomType::Dm, memberIds(room));
            const QJsonObject payload = RoomEvent{room}.toPayload();
            if (guard)
                Hub::reply(guard, event::Room, payload, id);
            if (opened->mine.created) {
                hub.changesCommitted();
                hub.sendToUser(me, Hub::frame(event::Room, payload), guard);
                if (opened->theirs)
                    hub.sendToUser(
                        other,
                        Hub::frame(event::Room, RoomEvent{hub.withPresence(*opened->theirs)}.toPayload()));
            }
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

void handleJoinRoom(Hub&, Connection* connection, const Envelope& request)
{
    // Membership was checked by the dispatcher; the connection already gets
    // every event of the user's rooms, so joining is that check alone.
    auto parsed = RoomRefRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    Hub::reply(connection, event::Joined, RoomIdPayload{parsed->roomId}.toPayload(), request.id);
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
    hub.db<Result<void>>(
        [roomId, me](Store& s) { return s.leaveRoom(roomId, me); },
        [&hub, guard, roomId, me, id](Result<void> left) {
            if (!left) {
                if (guard)
                    Hub::replyError(guard, left.error(), id);
                return;
            }
            for (Connection* c : hub.sessions().connectionsOf(me)) {
                if (c->typingRooms().contains(roomId))
                    hub.setTyping(c, roomId, false);
            }
            hub.changesCommitted();
            hub.rooms().removeMember(roomId, me);
            if (guard)
                Hub::reply(guard, event::Ok, QJsonObject(), id);
            hub.sendToUser(me, Hub::frame(event::RoomLeft, RoomIdPayload{roomId}.toPayload()), guard);
            hub.sendToUsers(hub.rooms().members(roomId),
                            Hub::frame(event::MemberLeft, MemberLeftEvent{roomId, me}.toPayload()));
        });
}

} // namespace confab::server
