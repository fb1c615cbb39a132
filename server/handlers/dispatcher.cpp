#include "handlers/dispatcher.h"

#include "connection.h"
#include "hub.h"
#include "logging.h"

#include "protocol/event_names.h"

namespace confab::server {

Dispatcher::Dispatcher(Hub& hub)
    : m_hub(hub)
{
    using S = RoomScope;
    auto add = [this](QLatin1String type, Handler handler, bool needsAuth, RoomScope scope) {
        m_routes.insert(QString(type), Route{handler, needsAuth, scope});
    };
    add(event::Ping, handlePing, false, S::None);
    add(event::Register, handleRegister, false, S::None);
    add(event::Login, handleLogin, false, S::None);
    add(event::Auth, handleAuth, false, S::None);
    add(event::Logout, handleLogout, true, S::None);
    add(event::CreateRoom, handleCreateRoom, true, S::None);
    add(event::OpenDm, handleOpenDm, true, S::None);
    add(event::ListRooms, handleListRooms, true, S::None);
    add(event::JoinRoom, handleJoinRoom, true, S::Required);
    add(event::LeaveRoom, handleLeaveRoom, true, S::Required);
    add(event::SendMessage, handleSendMessage, true, S::Required);
    add(event::FetchMessages, handleFetchMessages, true, S::Required);
    add(event::MarkRead, handleMarkRead, true, S::Required);
    add(event::ListMentions, handleListMentions, true, S::None);
    add(event::Typing, handleTyping, true, S::Required);
    add(event::SearchUsers, handleSearchUsers, true, S::Optional);
    add(event::SearchMessages, handleSearchMessages, true, S::Optional);
}

void Dispatcher::dispatchText(Connection* connection, const QString& frame)
{
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
    if (route->roomScope != RoomScope::None && !authorizeRoom(connection, request, route->roomScope))
        return;
    route->handler(m_hub, connection, request);
}

void Dispatcher::dispatchBinary(Connection* connection)
{
    Hub::replyError(connection,
                    makeError(ErrorCode::BadRequest,
                              QStringLiteral("binary frames are not supported; send JSON text frames")),
                    QJsonValue(QJsonValue::Undefined));
}

bool Dispatcher::authorizeRoom(Connection* connection, const Envelope& request, RoomScope scope)
{
    const QJsonValue value = request.payload.value(QLatin1String("roomId"));
    if (value.isUndefined() || value.isNull()) {
        if (scope == RoomScope::Optional)
            return true;
        Hub::replyError(connection, makeError(ErrorCode::BadRequest, QStringLiteral("roomId is required")),
                        request.id);
        return false;
    }
    Id roomId = 0;
    if (!parseId(value, &roomId)) {
        Hub::replyError(connection, makeError(ErrorCode::BadRequest, QStringLiteral("roomId must be an id")),
                        request.id);
        return false;
    }
    if (!m_hub.rooms().isMember(roomId, connection->userId())) {
        Hub::replyError(connection, makeError(ErrorCode::Forbidden, noSuchRoomMessage()), request.id);
        return false;
    }
    return true;
}

} // namespace confab::server
