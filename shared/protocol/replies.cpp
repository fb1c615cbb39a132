#include "protocol/replies.h"

namespace confab {

using namespace json;

namespace {

constexpr QLatin1String kRoomId("roomId");
constexpr QLatin1String kMessageId("messageId");
constexpr QLatin1String kUserId("userId");
constexpr QLatin1String kHasMore("hasMore");

} // namespace

QJsonObject AuthOk::toPayload() const
{
    return {{QLatin1String("token"), token}, {QLatin1String("user"), user.toJson()}};
}

Result<AuthOk> AuthOk::fromPayload(const QJsonObject& p)
{
    AuthOk r;
    Error e;
    if (!readString(p, QLatin1String("token"), &r.token, &e) ||
        !readNested(p, QLatin1String("user"), &r.user, &e))
        return e;
    return r;
}

QJsonObject RoomEvent::toPayload() const
{
    return {{QLatin1String("room"), room.toJson()}};
}

Result<RoomEvent> RoomEvent::fromPayload(const QJsonObject& p)
{
    RoomEvent r;
    Error e;
    if (!readNested(p, QLatin1String("room"), &r.room, &e))
        return e;
    return r;
}

QJsonObject RoomsReply::toPayload() const
{
    QJsonObject payload{{QLatin1String("rooms"), toJsonArray(rooms)}};
    if (hasMore)
        payload.insert(kHasMore, true);
    return payload;
}

Result<RoomsReply> RoomsReply::fromPayload(const QJsonObject& p)
{
    RoomsReply r;
    Error e;
    if (!readList(p, QLatin1String("rooms"), &r.rooms, &e))
        return e;
    if (p.contains(kHasMore) && !readBool(p, kHasMore, &r.hasMore, &e))
        return e;
    return r;
}

QJsonObject RoomIdPayload::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}};
}

Result<RoomIdPayload> RoomIdPayload::fromPayload(const QJsonObject& p)
{
    RoomIdPayload r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e))
        return e;
    return r;
}

QJsonObject MemberLeftEvent::toPayload() const
{
    QJsonObject p{{kRoomId, idToJson(roomId)}, {kUserId, idToJson(userId)}};
    if (byUserId != 0)
        p.insert(QLatin1String("byUserId"), idToJson(byUserId));
    return p;
}

Result<MemberLeftEvent> MemberLeftEvent::fromPayload(const QJsonObject& p)
{
    MemberLeftEvent r;
    Error e;
    std::optional<Id> by;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kUserId, &r.userId, &e) ||
        !readOptionalId(p, QLatin1String("byUserId"), &by, &e))
        return e;
    r.byUserId = by.value_or(0);
    return r;
}

QJsonObject MessageAck::toPayload() const
{
    return {
        {QLatin1String("tempId"), tempId},
        {kMessageId, idToJson(messageId)},
        {QLatin1String("createdAt"), createdAt},
    };
}

Result<MessageAck> MessageAck::fromPayload(const QJsonObject& p)
{
    MessageAck r;
    Error e;
    if (!readString(p, QLatin1String("tempId"), &r.tempId, &e) || !readId(p, kMessageId, &r.messageId, &e) ||
        !readInt64(p, QLatin1String("createdAt"), &r.createdAt, &e))
        return e;
    return r;
}

QJsonObject MessageEvent::toPayload() const
{
    return {{QLatin1String("message"), message.toJson()}};
}

Result<MessageEvent> MessageEvent::fromPayload(const QJsonObject& p)
{
    MessageEvent r;
    Error e;
    if (!readNested(p, QLatin1String("message"), &r.message, &e))
        return e;
    return r;
}

QJsonObject HistoryReply::toPayload() const
{
    return {
        {kRoomId, idToJson(roomId)},
        {QLatin1String("messages"), toJsonArray(messages)},
        {kHasMore, hasMore},
    };
}

Result<HistoryReply> HistoryReply::fromPayload(const QJsonObject& p)
{
    HistoryReply r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readList(p, QLatin1String("messages"), &r.messages, &e) ||
        !readBool(p, kHasMore, &r.hasMore, &e))
        return e;
    return r;
}

QJsonObject ReadEvent::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {kMessageId, idToJson(messageId)}};
}

Result<ReadEvent> ReadEvent::fromPayload(const QJsonObject& p)
{
    ReadEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kMessageId, &r.messageId, &e))
        return e;
    return r;
}

QJsonObject MentionEvent::toPayload() const
{
    return {
        {kRoomId, idToJson(roomId)},
        {kMessageId, idToJson(messageId)},
        {QLatin1String("fromUserId"), idToJson(fromUserId)},
        {QLatin1String("content"), content},
    };
}

Result<MentionEvent> MentionEvent::fromPayload(const QJsonObject& p)
{
    MentionEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kMessageId, &r.messageId, &e) ||
        !readId(p, QLatin1String("fromUserId"), &r.fromUserId, &e) ||
        !readString(p, QLatin1String("content"), &r.content, &e))
        return e;
    return r;
}

QJsonObject MentionsReply::toPayload() const
{
    return {{QLatin1String("items"), toJsonArray(items)}, {kHasMore, hasMore}};
}

// hasMore is an extension: absent (a core-contract peer) reads as false.
Result<MentionsReply> MentionsReply::fromPayload(const QJsonObject& p)
{
    MentionsReply r;
    Error e;
    if (!readList(p, QLatin1String("items"), &r.items, &e))
        return e;
    if (p.contains(kHasMore) && !readBool(p, kHasMore, &r.hasMore, &e))
        return e;
    return r;
}

QJsonObject PresenceEvent::toPayload() const
{
    return {
        {kUserId, idToJson(userId)},
        {QLatin1String("online"), online},
        {QLatin1String("lastSeenAt"), lastSeenAt},
    };
}

Result<PresenceEvent> PresenceEvent::fromPayload(const QJsonObject& p)
{
    PresenceEvent r;
    Error e;
    if (!readId(p, kUserId, &r.userId, &e) || !readBool(p, QLatin1String("online"), &r.online, &e) ||
        !readInt64(p, QLatin1String("lastSeenAt"), &r.lastSeenAt, &e))
        return e;
    return r;
}

QJsonObject TypingEvent::toPayload() const
{
    return {
        {kRoomId, idToJson(roomId)},
        {kUserId, idToJson(userId)},
        {QLatin1String("isTyping"), isTyping},
    };
}

Result<TypingEvent> TypingEvent::fromPayload(const QJsonObject& p)
{
    TypingEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kUserId, &r.userId, &e) ||
        !readBool(p, QLatin1String("isTyping"), &r.isTyping, &e))
        return e;
    return r;
}

QJsonObject UsersReply::toPayload() const
{
    return {{QLatin1String("users"), toJsonArray(users)}};
}

Result<UsersReply> UsersReply::fromPayload(const QJsonObject& p)
{
    UsersReply r;
    Error e;
    if (!readList(p, QLatin1String("users"), &r.users, &e))
        return e;
    return r;
}

QJsonObject SearchResultsReply::toPayload() const
{
    QJsonObject p{{QLatin1String("messages"), toJsonArray(messages)}, {kHasMore, hasMore}};
    if (nextBeforeId)
        p.insert(QLatin1String("nextBeforeId"), idToJson(*nextBeforeId));
    return p;
}

Result<SearchResultsReply> SearchResultsReply::fromPayload(const QJsonObject& p)
{
    SearchResultsReply r;
    Error e;
    if (!readList(p, QLatin1String("messages"), &r.messages, &e) || !readBool(p, kHasMore, &r.hasMore, &e) ||
        !readOptionalId(p, QLatin1String("nextBeforeId"), &r.nextBeforeId, &e))
        return e;
    return r;
}

} // namespace confab
