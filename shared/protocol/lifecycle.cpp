#include "protocol/lifecycle.h"

#include "protocol/request_fields.h"
#include "protocol/validation.h"

namespace confab {

using namespace json;

namespace {

constexpr QLatin1String kMessageId("messageId");
constexpr QLatin1String kRoomId("roomId");
constexpr QLatin1String kEmoji("emoji");

Error badRequest(QString message)
{
    return makeError(ErrorCode::BadRequest, std::move(message));
}

bool readMessage(const QJsonObject& p, Message* out, Error* error)
{
    QJsonObject object;
    if (!readObject(p, QLatin1String("message"), &object, error))
        return false;
    Result<Message> message = Message::fromJson(object);
    if (!message) {
        *error = message.error();
        error->message.prepend(QStringLiteral("message."));
        return false;
    }
    *out = std::move(message).value();
    return true;
}

} // namespace

// --- edit_message, delete_message, react, fetch_changes ------------------

Result<EditMessageRequest> EditMessageRequest::fromPayload(const QJsonObject& p, int contentMaxLength)
{
    EditMessageRequest r;
    Error e;
    if (!readId(p, kMessageId, &r.messageId, &e) || !readMessageContent(p, contentMaxLength, &r.content, &e) ||
        !readMentionSpans(p, &r.mentions, &e))
        return e;
    return r;
}

QJsonObject EditMessageRequest::toPayload() const
{
    QJsonObject p{{kMessageId, idToJson(messageId)}, {QLatin1String("content"), content}};
    if (!mentions.isEmpty())
        p.insert(QLatin1String("mentions"), toJsonArray(mentions));
    return p;
}

Result<DeleteMessageRequest> DeleteMessageRequest::fromPayload(const QJsonObject& p)
{
    DeleteMessageRequest r;
    Error e;
    if (!readId(p, kMessageId, &r.messageId, &e))
        return e;
    return r;
}

QJsonObject DeleteMessageRequest::toPayload() const
{
    return {{kMessageId, idToJson(messageId)}};
}

Result<ReactRequest> ReactRequest::fromPayload(const QJsonObject& p)
{
    ReactRequest r;
    Error e;
    if (!readId(p, kMessageId, &r.messageId, &e) || !readString(p, kEmoji, &r.emoji, &e) ||
        !readBool(p, QLatin1String("on"), &r.on, &e))
        return e;
    if (const QString problem = validation::emojiProblem(r.emoji); !problem.isEmpty())
        return badRequest(problem);
    return r;
}

QJsonObject ReactRequest::toPayload() const
{
    return {{kMessageId, idToJson(messageId)}, {kEmoji, emoji}, {QLatin1String("on"), on}};
}

Result<FetchChangesRequest> FetchChangesRequest::fromPayload(const QJsonObject& p, int maxLimit)
{
    FetchChangesRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readInt64(p, QLatin1String("afterRevision"), &r.afterRevision, &e) ||
        !readPageLimit(p, std::min(limits::kHistoryDefaultLimit, maxLimit), maxLimit, &r.limit, &e))
        return e;
    if (r.afterRevision < 0)
        return badRequest(QStringLiteral("afterRevision must not be negative"));
    return r;
}

QJsonObject FetchChangesRequest::toPayload() const
{
    return {{kRoomId, idToJson(roomId)},
            {QLatin1String("afterRevision"), afterRevision},
            {QLatin1String("limit"), limit}};
}

// --- message_updated, reaction, changes ----------------------------------

QJsonObject MessageUpdatedEvent::toPayload() const
{
    return {{QLatin1String("message"), message.toJson()}};
}

Result<MessageUpdatedEvent> MessageUpdatedEvent::fromPayload(const QJsonObject& p)
{
    MessageUpdatedEvent r;
    Error e;
    if (!readMessage(p, &r.message, &e))
        return e;
    return r;
}

QJsonObject ReactionEvent::toPayload() const
{
    return {{kRoomId, idToJson(roomId)},     {kMessageId, idToJson(messageId)},
            {kEmoji, emoji},                 {QLatin1String("userId"), idToJson(userId)},
            {QLatin1String("on"), on},       {QLatin1String("revision"), revision}};
}

Result<ReactionEvent> ReactionEvent::fromPayload(const QJsonObject& p)
{
    ReactionEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kMessageId, &r.messageId, &e) ||
        !readString(p, kEmoji, &r.emoji, &e) || !readId(p, QLatin1String("userId"), &r.userId, &e) ||
        !readBool(p, QLatin1String("on"), &r.on, &e) || !readInt64(p, QLatin1String("revision"), &r.revision, &e))
        return e;
    return r;
}

bool operator==(const ReactionEvent& a, const ReactionEvent& b)
{
    return a.roomId == b.roomId && a.messageId == b.messageId && a.emoji == b.emoji && a.userId == b.userId &&
           a.on == b.on && a.revision == b.revision;
}

QJsonObject ChangesReply::toPayload() const
{
    return {{kRoomId, idToJson(roomId)},
            {QLatin1String("messages"), toJsonArray(messages)},
            {QLatin1String("hasMore"), hasMore}};
}

Result<ChangesReply> ChangesReply::fromPayload(const QJsonObject& p)
{
    ChangesReply r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readList(p, QLatin1String("messages"), &r.messages, &e) ||
        !readBool(p, QLatin1String("hasMore"), &r.hasMore, &e))
        return e;
    return r;
}

} // namespace confab
