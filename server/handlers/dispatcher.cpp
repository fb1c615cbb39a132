#include "handlers/dispatcher.h"

#include "base/logging.h"
#include "connection.h"
#include "hub.h"

#include "protocol/event_names.h"
#include "protocol/file_chunk.h"

#include <QPointer>

#include <limits>

namespace confab::server {

Dispatcher::Dispatcher(Hub& hub)
    : m_hub(hub)
{
    using S = RoomScope;
    using L = std::optional<RateLimit>;
    auto add = [this](QLatin1String type, Handler handler, bool needsAuth, RoomScope scope, L limit) {
        m_routes.insert(QString(type), Route{handler, needsAuth, scope, limit});
    };
    add(event::Ping, handlePing, false, S::None, RateLimit::Ping);
    add(event::Register, handleRegister, false, S::None, {});
    add(event::Login, handleLogin, false, S::None, {});
    add(event::Auth, handleAuth, false, S::None, RateLimit::Auth);
    add(event::Logout, handleLogout, true, S::None, RateLimit::Rooms);
    add(event::CreateRoom, handleCreateRoom, true, S::None, RateLimit::Rooms);
    add(event::OpenDm, handleOpenDm, true, S::None, RateLimit::Rooms);
    add(event::ListRooms, handleListRooms, true, S::None, RateLimit::History);
    // Not room-scoped: a public group admits non-members (the store decides).
    add(event::JoinRoom, handleJoinRoom, true, S::None, RateLimit::Rooms);
    add(event::LeaveRoom, handleLeaveRoom, true, S::Required, RateLimit::Rooms);
    add(event::SendMessage, handleSendMessage, true, S::Required, {});
    add(event::FetchMessages, handleFetchMessages, true, S::Required, RateLimit::History);
    add(event::MarkRead, handleMarkRead, true, S::Required, RateLimit::MarkRead);
    add(event::ListMentions, handleListMentions, true, S::None, RateLimit::History);
    add(event::Typing, handleTyping, true, S::Required, RateLimit::Typing);
    add(event::SearchUsers, handleSearchUsers, true, S::Optional, RateLimit::Search);
    add(event::SearchMessages, handleSearchMessages, true, S::Optional, RateLimit::Search);
    add(event::EditMessage, handleEditMessage, true, S::None, RateLimit::Changes);
    add(event::DeleteMessage, handleDeleteMessage, true, S::None, RateLimit::Changes);
    add(event::React, handleReact, true, S::None, RateLimit::Changes);
    add(event::FetchChanges, handleFetchChanges, true, S::Required, RateLimit::History);
    add(event::SetRoomSettings, handleSetRoomSettings, true, S::Required, RateLimit::Attention);
    add(event::FetchReceipts, handleFetchReceipts, true, S::Required, RateLimit::Attention);
    add(event::SetProfile, handleSetProfile, true, S::None, RateLimit::Attention);
    add(event::ChangePassword, handleChangePassword, true, S::None, RateLimit::Attention);
    // Groups: a non-member is answered as for a missing room (the dispatcher
    // for roomId, the store for a message's room); the store checks roles.
    add(event::AddMembers, handleAddMembers, true, S::Required, RateLimit::Groups);
    add(event::RemoveMember, handleRemoveMember, true, S::Required, RateLimit::Groups);
    add(event::SetRole, handleSetRole, true, S::Required, RateLimit::Groups);
    add(event::TransferOwnership, handleTransferOwnership, true, S::Required, RateLimit::Groups);
    add(event::UpdateRoom, handleUpdateRoom, true, S::Required, RateLimit::Groups);
    add(event::PinMessage, handlePinMessage, true, S::None, RateLimit::Groups);
    add(event::ListPins, handleListPins, true, S::Required, RateLimit::Groups);
    add(event::ListPublicRooms, handleListPublicRooms, true, S::None, RateLimit::Groups);
    add(event::SetAvatar, handleSetAvatar, true, S::None, RateLimit::AvatarSet);
    add(event::FetchAvatar, handleFetchAvatar, true, S::None, RateLimit::AvatarFetch);
    // Files: a new upload names its room (checked here like every room-scoped
    // event); a resume names only its fileId.
    add(event::UploadFile, handleUploadFile, true, S::Optional, RateLimit::Files);
    add(event::CancelUpload, handleCancelUpload, true, S::None, RateLimit::Files);
    add(event::FetchFile, handleFetchFile, true, S::None, RateLimit::Files);
    add(event::CancelFetch, handleCancelFetch, true, S::None, RateLimit::Files);
}

void Dispatcher::dispatchText(Connection* connection, const QString& frame)
{
    Hub::RequestScope scope(m_hub, connection);
    QJsonValue id(QJsonValue::Undefined);
    auto parsed = Envelope::parse(frame.toUtf8(), &id);
    if (!parsed) {
        Hub::replyError(connection, parsed.error(), id);
        return;
    }
    const Envelope& request = parsed.value();
    const auto route = m_routes.constFind(request.type);
    if (route == m_routes.constEnd()) {
        Hub::replyError(
            connection,
            makeError(ErrorCode::BadRequest, QStringLiteral("unknown type: %1").arg(request.type)),
            request.id);
        return;
    }
    if (route->needsAuth && !connection->isAuthenticated()) {
        Hub::replyError(connection,
                        makeError(ErrorCode::Unauthenticated,
                                  QStringLiteral("authenticate first (register, login or auth)")),
                        request.id);
        return;
    }
    // Before the room check: members and others are refused alike. A
    // typing stop is never refused: it ends a state the room's members
    // see, and repeated stops cost nothing (TypingCoalescer drops them).
    const bool typingStop = route->limit == RateLimit::Typing &&
                            request.payload.value(QLatin1String("isTyping")) == QJsonValue(false);
    if (route->limit && !typingStop && !withinLimit(connection, request, *route->limit))
        return;
    if (route->roomScope != RoomScope::None) {
        Id roomId = 0;
        const Check check = authorizeRoom(connection, request, route->roomScope, &roomId);
        if (check == Check::Refused)
            return;
        // Behind a pending check even when allowed: a send must not overtake
        // an earlier one of the same connection.
        if (check == Check::AskStore || (roomId != 0 && connection->pendingRoomChecks() > 0))
            return confirmMembership(connection, request, *route, roomId);
    }
    route->handler(m_hub, connection, request);
}

void Dispatcher::dispatchBinary(Connection* connection, const QByteArray& frame)
{
    Hub::RequestScope scope(m_hub, connection);
    const QJsonValue push(QJsonValue::Undefined);
    if (!connection->isAuthenticated())
        return Hub::replyError(connection,
                               makeError(ErrorCode::Unauthenticated,
                                         QStringLiteral("authenticate first (register, login or auth)")),
                               push);
    const std::optional<filechunk::Chunk> chunk = filechunk::decode(frame);
    if (!chunk || chunk->kind != filechunk::Kind::Upload)
        return Hub::replyError(
            connection,
            makeError(ErrorCode::BadRequest, QStringLiteral("binary frames must be file chunks (see Files)")),
            push);
    // Ids and offsets past qint64 name nothing the server holds.
    constexpr quint64 kMax = quint64(std::numeric_limits<qint64>::max());
    if (chunk->fileId == 0 || chunk->fileId > kMax || chunk->offset > kMax)
        return Hub::replyError(connection, makeError(ErrorCode::NotFound, QStringLiteral("no such upload")),
                               push);
    handleUploadChunk(m_hub, connection, Id(chunk->fileId), qint64(chunk->offset), chunk->data.toByteArray());
}

bool Dispatcher::withinLimit(Connection* connection, const Envelope& request, RateLimit limit)
{
    // Per user, so that more connections buy no more; per connection
    // before sign-in (ping); token checks per client address, signed in or not.
    const QString key = limit == RateLimit::Auth ? QLatin1Char('a') + connection->peerAddress()
                        : connection->isAuthenticated()
                            ? QString::number(connection->userId())
                            : QLatin1Char('c') + QString::number(connection->serial());
    const qint64 wait = m_hub.requestLimits().take(limit, key, m_hub.monotonicMs());
    if (wait == 0)
        return true;
    m_hub.metrics().countRateLimited(limit);
    Error limited =
        makeError(ErrorCode::RateLimited, QStringLiteral("too many %1 requests").arg(request.type));
    limited.retryAfterMs = wait;
    Hub::replyError(connection, limited, request.id);
    return false;
}

Dispatcher::Check Dispatcher::authorizeRoom(Connection* connection, const Envelope& request, RoomScope scope,
                                            Id* roomId)
{
    const QJsonValue value = request.payload.value(QLatin1String("roomId"));
    if (value.isUndefined() || value.isNull()) {
        if (scope == RoomScope::Optional)
            return Check::Allowed;
        Hub::replyError(connection, makeError(ErrorCode::BadRequest, QStringLiteral("roomId is required")),
                        request.id);
        return Check::Refused;
    }
    if (!parseId(value, roomId)) {
        Hub::replyError(connection, makeError(ErrorCode::BadRequest, QStringLiteral("roomId must be an id")),
                        request.id);
        return Check::Refused;
    }
    if (m_hub.rooms().isMember(*roomId, connection->userId()))
        return Check::Allowed;
    if (m_hub.cluster() && *roomId > 0)
        return Check::AskStore;
    Hub::replyError(connection, makeError(ErrorCode::Forbidden, noSuchRoomMessage()), request.id);
    return Check::Refused;
}

void Dispatcher::confirmMembership(Connection* connection, const Envelope& request, const Route& route,
                                   Id roomId)
{
    connection->setPendingRoomChecks(connection->pendingRoomChecks() + 1);
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    m_hub.db<Result<Room>>([roomId, me](Store& s) { return s.roomForUser(roomId, me); },
                           [this, guard, me, roomId, request, handler = route.handler](Result<Room> room) {
                               if (!guard)
                                   return;
                               guard->setPendingRoomChecks(guard->pendingRoomChecks() - 1);
                               if (!room)
                                   return Hub::replyError(guard, room.error(), request.id);
                               QList<Id> members;
                               for (const User& member : room->members)
                                   members.append(member.id);
                               m_hub.rooms().setRoom(roomId, room->type, members); // the store is the truth
                               if (guard->userId() != me ||
                                   !m_hub.rooms().isMember(roomId, me)) // signed in as someone else meanwhile
                                   return Hub::replyError(
                                       guard, makeError(ErrorCode::Forbidden, noSuchRoomMessage()),
                                       request.id);
                               handler(m_hub, guard, request);
                           });
}

} // namespace confab::server
