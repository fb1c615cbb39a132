#include "protocol/groups.h"

#include "protocol/request_fields.h"

namespace confab {

using namespace json;

namespace {

constexpr QLatin1String kRoomId("roomId");
constexpr QLatin1String kUserId("userId");
constexpr QLatin1String kUserIds("userIds");
constexpr QLatin1String kMessageId("messageId");
constexpr QLatin1String kByUserId("byUserId");

Error badRequest(QString message)
{
    return makeError(ErrorCode::BadRequest, std::move(message));
}

// The {roomId, userId} pair of remove_member and transfer_ownership.
template <typename Request>
Result<Request> readRoomAndUser(const QJsonObject& p)
{
    Request r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kUserId, &r.userId, &e))
        return e;
    return r;
}

QJsonObject roomAndUser(Id roomId, Id userId)
{
    return {{kRoomId, idToJson(roomId)}, {kUserId, idToJson(userId)}};
}

} // namespace

// --- requests --------------------------------------------------------------

Result<AddMembersRequest> AddMembersRequest::fromPayload(const QJsonObject& p)
{
    AddMembersRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) ||
        !readIdList(p, kUserIds, limits::kMaxRoomMembers, &r.userIds, &e))
        return e;
    if (r.userIds.isEmpty())
        return badRequest(QStringLiteral("userIds must name at least one user"));
    return r;
}

QJsonObject AddMembersRequest::toPayload() const
{
    QJsonArray ids;
    for (Id id : userIds)
        ids.append(idToJson(id));
    return {{kRoomId, idToJson(roomId)}, {kUserIds, ids}};
}

Result<RemoveMemberRequest> RemoveMemberRequest::fromPayload(const QJsonObject& p)
{
    return readRoomAndUser<RemoveMemberRequest>(p);
}

QJsonObject RemoveMemberRequest::toPayload() const
{
    return roomAndUser(roomId, userId);
}

Result<SetRoleRequest> SetRoleRequest::fromPayload(const QJsonObject& p)
{
    SetRoleRequest r;
    Error e;
    QString role;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kUserId, &r.userId, &e) ||
        !readString(p, QLatin1String("role"), &role, &e))
        return e;
    const std::optional<MemberRole> known = memberRoleFromName(role);
    if (!known || *known == MemberRole::Owner) // ownership moves only by transfer_ownership
        return badRequest(QStringLiteral("role must be \"admin\" or \"member\""));
    r.role = *known;
    return r;
}

QJsonObject SetRoleRequest::toPayload() const
{
    QJsonObject p = roomAndUser(roomId, userId);
    p.insert(QLatin1String("role"), memberRoleName(role));
    return p;
}

Result<TransferOwnershipRequest> TransferOwnershipRequest::fromPayload(const QJsonObject& p)
{
    return readRoomAndUser<TransferOwnershipRequest>(p);
}

QJsonObject TransferOwnershipRequest::toPayload() const
{
    return roomAndUser(roomId, userId);
}

Result<UpdateRoomRequest> UpdateRoomRequest::fromPayload(const QJsonObject& p)
{
    UpdateRoomRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readTopic(p, &r.topic, &e) ||
        !readVisibility(p, &r.visibility, &e))
        return e;
    const QJsonValue name = p.value(QLatin1String("name"));
    if (!name.isUndefined() && !name.isNull()) {
        QString trimmed;
        if (!readTrimmed(p, QLatin1String("name"), 1, limits::kRoomNameMaxLength, &trimmed, &e))
            return e;
        r.name = std::move(trimmed);
    }
    if (!r.name && !r.topic && !r.visibility)
        return badRequest(QStringLiteral("update_room needs name, topic or visibility"));
    return r;
}

QJsonObject UpdateRoomRequest::toPayload() const
{
    QJsonObject p{{kRoomId, idToJson(roomId)}};
    if (name)
        p.insert(QLatin1String("name"), *name);
    if (topic)
        p.insert(QLatin1String("topic"), *topic);
    if (visibility)
        p.insert(QLatin1String("visibility"), roomVisibilityName(*visibility));
    return p;
}

Result<PinMessageRequest> PinMessageRequest::fromPayload(const QJsonObject& p)
{
    PinMessageRequest r;
    Error e;
    if (!readId(p, kMessageId, &r.messageId, &e) || !readBool(p, QLatin1String("pinned"), &r.pinned, &e))
        return e;
    return r;
}

QJsonObject PinMessageRequest::toPayload() const
{
    return {{kMessageId, idToJson(messageId)}, {QLatin1String("pinned"), pinned}};
}

Result<ListPinsRequest> ListPinsRequest::fromPayload(const QJsonObject& p)
{
    ListPinsRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e))
        return e;
    return r;
}

QJsonObject ListPinsRequest::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}};
}

Result<ListPublicRoomsRequest> ListPublicRoomsRequest::fromPayload(const QJsonObject& p)
{
    ListPublicRoomsRequest r;
    Error e;
    const QLatin1String query("query");
    if (p.contains(query) && !p.value(query).isNull() &&
        !readTrimmed(p, query, 0, limits::kQueryMaxLength, &r.query, &e))
        return e;
    if (!readPageLimit(p, limits::kPublicRoomsDefaultLimit, limits::kPublicRoomsMaxLimit, &r.limit, &e))
        return e;
    return r;
}

QJsonObject ListPublicRoomsRequest::toPayload() const
{
    QJsonObject p{{QLatin1String("limit"), limit}};
    if (!query.isEmpty())
        p.insert(QLatin1String("query"), query);
    return p;
}

// --- events and replies ----------------------------------------------------

QJsonObject MemberJoinedEvent::toPayload() const
{
    return {
        {kRoomId, idToJson(roomId)}, {QLatin1String("user"), user.toJson()}, {kByUserId, idToJson(byUserId)}};
}

Result<MemberJoinedEvent> MemberJoinedEvent::fromPayload(const QJsonObject& p)
{
    MemberJoinedEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readNested(p, QLatin1String("user"), &r.user, &e) ||
        !readId(p, kByUserId, &r.byUserId, &e))
        return e;
    return r;
}

QJsonObject RoomLeftEvent::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {QLatin1String("reason"), reason}};
}

Result<RoomLeftEvent> RoomLeftEvent::fromPayload(const QJsonObject& p)
{
    RoomLeftEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e))
        return e;
    const QLatin1String reason("reason");
    if (p.contains(reason) && !p.value(reason).isNull() && !readString(p, reason, &r.reason, &e))
        return e;
    if (r.reason != QLatin1String("left") && r.reason != QLatin1String("removed"))
        return badRequest(QStringLiteral("reason must be \"left\" or \"removed\""));
    return r;
}

QJsonObject RoomUpdatedEvent::toPayload() const
{
    return {{QLatin1String("room"), room.toJson()}};
}

Result<RoomUpdatedEvent> RoomUpdatedEvent::fromPayload(const QJsonObject& p)
{
    RoomUpdatedEvent r;
    Error e;
    if (!readNested(p, QLatin1String("room"), &r.room, &e))
        return e;
    return r;
}

QJsonObject PinsChangedEvent::toPayload() const
{
    return {{kRoomId, idToJson(roomId)},
            {kMessageId, idToJson(messageId)},
            {QLatin1String("pinned"), pinned},
            {kByUserId, idToJson(byUserId)}};
}

Result<PinsChangedEvent> PinsChangedEvent::fromPayload(const QJsonObject& p)
{
    PinsChangedEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kMessageId, &r.messageId, &e) ||
        !readBool(p, QLatin1String("pinned"), &r.pinned, &e) || !readId(p, kByUserId, &r.byUserId, &e))
        return e;
    return r;
}

bool operator==(const PinsChangedEvent& a, const PinsChangedEvent& b)
{
    return a.roomId == b.roomId && a.messageId == b.messageId && a.pinned == b.pinned &&
           a.byUserId == b.byUserId;
}

QJsonObject PinsReply::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {QLatin1String("messages"), toJsonArray(messages)}};
}

Result<PinsReply> PinsReply::fromPayload(const QJsonObject& p)
{
    PinsReply r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readList(p, QLatin1String("messages"), &r.messages, &e))
        return e;
    return r;
}

QJsonObject PublicRoomsReply::toPayload() const
{
    return {{QLatin1String("rooms"), toJsonArray(rooms)}};
}

Result<PublicRoomsReply> PublicRoomsReply::fromPayload(const QJsonObject& p)
{
    PublicRoomsReply r;
    Error e;
    if (!readList(p, QLatin1String("rooms"), &r.rooms, &e))
        return e;
    return r;
}

} // namespace confab
