#include "protocol/types.h"

#include "protocol/attention.h"
#include "protocol/avatars.h"
#include "protocol/message_parts.h"

#include <cmath>
#include <limits>

namespace confab {

namespace json {

namespace {

bool fail(Error* error, QLatin1String key, const char* what)
{
    *error = makeError(ErrorCode::BadRequest, QString(key) + QLatin1String(what));
    return false;
}

} // namespace

bool readString(const QJsonObject& json, QLatin1String key, QString* out, Error* error)
{
    const QJsonValue value = json.value(key);
    if (!value.isString())
        return fail(error, key, " must be a string");
    *out = value.toString();
    return true;
}

bool readBool(const QJsonObject& json, QLatin1String key, bool* out, Error* error)
{
    const QJsonValue value = json.value(key);
    if (!value.isBool())
        return fail(error, key, " must be a boolean");
    *out = value.toBool();
    return true;
}

std::optional<qint64> toInt64(const QJsonValue& value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    // -2^63 is exact in a double, 2^63 is the first value past the range.
    constexpr double kLow = -9223372036854775808.0;
    if (!std::isfinite(d) || std::trunc(d) != d || d < kLow || d >= -kLow)
        return std::nullopt;
    // Exact even beyond 2^53 when the parser kept the literal as an integer.
    return value.toInteger();
}

bool readInt64(const QJsonObject& json, QLatin1String key, qint64* out, Error* error)
{
    const std::optional<qint64> value = toInt64(json.value(key));
    if (!value)
        return fail(error, key, " must be an integer");
    *out = *value;
    return true;
}

bool readInt(const QJsonObject& json, QLatin1String key, int* out, Error* error)
{
    const std::optional<qint64> value = toInt64(json.value(key));
    if (!value || *value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max())
        return fail(error, key, " must be an integer");
    *out = static_cast<int>(*value);
    return true;
}

bool readId(const QJsonObject& json, QLatin1String key, Id* out, Error* error)
{
    if (!parseId(json.value(key), out))
        return fail(error, key, " must be an id");
    return true;
}

bool readOptionalId(const QJsonObject& json, QLatin1String key, std::optional<Id>* out, Error* error)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull()) {
        out->reset();
        return true;
    }
    Id id = 0;
    if (!parseId(value, &id))
        return fail(error, key, " must be an id or null");
    *out = id;
    return true;
}

bool readArray(const QJsonObject& json, QLatin1String key, QJsonArray* out, Error* error)
{
    const QJsonValue value = json.value(key);
    if (!value.isArray())
        return fail(error, key, " must be an array");
    *out = value.toArray();
    return true;
}

bool readObject(const QJsonObject& json, QLatin1String key, QJsonObject* out, Error* error)
{
    const QJsonValue value = json.value(key);
    if (!value.isObject())
        return fail(error, key, " must be an object");
    *out = value.toObject();
    return true;
}

QJsonValue optionalIdToJson(const std::optional<Id>& id)
{
    return id ? idToJson(*id) : QJsonValue(QJsonValue::Null);
}

} // namespace json

using namespace json;

// --- User -----------------------------------------------------------------

QJsonObject User::toJson() const
{
    QJsonObject json{
        {QLatin1String("id"), idToJson(id)},
        {QLatin1String("username"), username},
        {QLatin1String("displayName"), displayName},
        {QLatin1String("online"), online},
        {QLatin1String("lastSeenAt"), lastSeenAt},
        {QLatin1String("statusText"), statusText},
        {QLatin1String("status"), userStatusName(status)},
    };
    if (sendReceipts)
        json.insert(QLatin1String("sendReceipts"), *sendReceipts);
    if (!avatarId.isEmpty())
        json.insert(QLatin1String("avatarId"), avatarId);
    writeMemberRole(json, *this);
    return json;
}

Result<User> User::fromJson(const QJsonObject& json)
{
    User u;
    Error e;
    if (!readId(json, QLatin1String("id"), &u.id, &e) ||
        !readString(json, QLatin1String("username"), &u.username, &e) ||
        !readString(json, QLatin1String("displayName"), &u.displayName, &e) ||
        !readBool(json, QLatin1String("online"), &u.online, &e) ||
        !readInt64(json, QLatin1String("lastSeenAt"), &u.lastSeenAt, &e) || !readMemberRole(json, &u, &e) ||
        !readUserAttentionFields(json, &u, &e) || !readAvatarId(json, &u.avatarId, &e))
        return e;
    return u;
}

bool operator==(const User& a, const User& b)
{
    return a.id == b.id && a.username == b.username && a.displayName == b.displayName &&
           a.online == b.online && a.lastSeenAt == b.lastSeenAt && a.role == b.role &&
           a.statusText == b.statusText && a.status == b.status && a.sendReceipts == b.sendReceipts &&
           a.avatarId == b.avatarId;
}

// --- Mention --------------------------------------------------------------

QJsonObject Mention::toJson() const
{
    return QJsonObject{
        {QLatin1String("userId"), idToJson(userId)},
        {QLatin1String("indexStart"), indexStart},
        {QLatin1String("indexEnd"), indexEnd},
    };
}

Result<Mention> Mention::fromJson(const QJsonObject& json)
{
    Mention m;
    Error e;
    if (!readId(json, QLatin1String("userId"), &m.userId, &e) ||
        !readInt(json, QLatin1String("indexStart"), &m.indexStart, &e) ||
        !readInt(json, QLatin1String("indexEnd"), &m.indexEnd, &e))
        return e;
    return m;
}

bool operator==(const Mention& a, const Mention& b)
{
    return a.userId == b.userId && a.indexStart == b.indexStart && a.indexEnd == b.indexEnd;
}

// --- Message --------------------------------------------------------------

QJsonObject Message::toJson() const
{
    QJsonObject json{
        {QLatin1String("id"), idToJson(id)},
        {QLatin1String("roomId"), idToJson(roomId)},
        {QLatin1String("senderId"), idToJson(senderId)},
        {QLatin1String("content"), content},
        {QLatin1String("mentions"), toJsonArray(mentions)},
        {QLatin1String("createdAt"), createdAt},
        {QLatin1String("tempId"), tempId},
        {QLatin1String("replyTo"), optionalIdToJson(replyTo)},
        {QLatin1String("editedAt"), editedAt ? QJsonValue(*editedAt) : QJsonValue(QJsonValue::Null)},
        {QLatin1String("deleted"), deleted},
    };
    if (truncated)
        json.insert(QLatin1String("truncated"), true);
    json.insert(QLatin1String("revision"), revision);
    json.insert(QLatin1String("reactions"), toJsonArray(reactions));
    json.insert(QLatin1String("attachments"), toJsonArray(attachments));
    json.insert(QLatin1String("kind"), messageKindName(kind));
    json.insert(QLatin1String("replyPreview"),
                replyPreview ? QJsonValue(replyPreview->toJson()) : QJsonValue(QJsonValue::Null));
    writeMessageSystem(json, *this);
    return json;
}

Result<Message> Message::fromJson(const QJsonObject& json)
{
    Message m;
    Error e;
    if (!readId(json, QLatin1String("id"), &m.id, &e) ||
        !readId(json, QLatin1String("roomId"), &m.roomId, &e) ||
        !readId(json, QLatin1String("senderId"), &m.senderId, &e) ||
        !readString(json, QLatin1String("content"), &m.content, &e) ||
        !readList(json, QLatin1String("mentions"), &m.mentions, &e) ||
        !readInt64(json, QLatin1String("createdAt"), &m.createdAt, &e) ||
        !readString(json, QLatin1String("tempId"), &m.tempId, &e) ||
        !readOptionalId(json, QLatin1String("replyTo"), &m.replyTo, &e) ||
        !readBool(json, QLatin1String("deleted"), &m.deleted, &e))
        return e;
    const QJsonValue editedAt = json.value(QLatin1String("editedAt"));
    if (!editedAt.isUndefined() && !editedAt.isNull()) {
        qint64 at = 0;
        if (!readInt64(json, QLatin1String("editedAt"), &at, &e)) {
            e.message = QStringLiteral("editedAt must be an integer or null");
            return e;
        }
        m.editedAt = at;
    }
    if (json.contains(QLatin1String("truncated")) &&
        !readBool(json, QLatin1String("truncated"), &m.truncated, &e))
        return e;
    if (!readMessageChangeFields(json, &m, &e) || !readMessageSystem(json, &m, &e))
        return e;
    return m;
}

bool operator==(const Message& a, const Message& b)
{
    return a.id == b.id && a.roomId == b.roomId && a.senderId == b.senderId && a.content == b.content &&
           a.mentions == b.mentions && a.createdAt == b.createdAt && a.tempId == b.tempId &&
           a.replyTo == b.replyTo && a.editedAt == b.editedAt && a.deleted == b.deleted &&
           a.truncated == b.truncated && a.revision == b.revision && a.reactions == b.reactions &&
           a.kind == b.kind && a.replyPreview == b.replyPreview && a.system == b.system &&
           a.attachments == b.attachments;
}

// --- Room -----------------------------------------------------------------

QString roomTypeName(RoomType type)
{
    return type == RoomType::Dm ? QStringLiteral("dm") : QStringLiteral("group");
}

QJsonObject Room::toJson() const
{
    QJsonObject json{
        {QLatin1String("id"), idToJson(id)},
        {QLatin1String("type"), roomTypeName(type)},
        {QLatin1String("name"), name},
        {QLatin1String("members"), toJsonArray(members)},
        {QLatin1String("unreadCount"), unreadCount},
        {QLatin1String("mentionCount"), mentionCount},
        {QLatin1String("lastMessage"), lastMessage ? QJsonValue(lastMessage->toJson()) : QJsonValue()},
        {QLatin1String("ownerId"), ownerId != 0 ? idToJson(ownerId) : QJsonValue()},
        {QLatin1String("createdAt"), createdAt},
        {QLatin1String("notify"), notifyLevelName(notify)},
    };
    if (memberCount > members.size())
        json.insert(QLatin1String("memberCount"), memberCount);
    writeRoomGroupFields(json, *this);
    return json;
}

// lastMessage and ownerId are nullable and may be absent. The extensions
// ownerId and createdAt may be absent too, so a peer that implements only the
// core contract's room shape still parses.
Result<Room> Room::fromJson(const QJsonObject& json)
{
    Room r;
    Error e;
    QString type;
    if (!readId(json, QLatin1String("id"), &r.id, &e) || !readString(json, QLatin1String("type"), &type, &e))
        return e;
    if (type == QLatin1String("dm"))
        r.type = RoomType::Dm;
    else if (type == QLatin1String("group"))
        r.type = RoomType::Group;
    else
        return makeError(ErrorCode::BadRequest, QStringLiteral("type must be \"dm\" or \"group\""));

    std::optional<Id> ownerId;
    if (!readString(json, QLatin1String("name"), &r.name, &e) ||
        !readList(json, QLatin1String("members"), &r.members, &e) ||
        !readInt(json, QLatin1String("unreadCount"), &r.unreadCount, &e) ||
        !readInt(json, QLatin1String("mentionCount"), &r.mentionCount, &e) ||
        !readOptionalId(json, QLatin1String("ownerId"), &ownerId, &e))
        return e;
    r.ownerId = ownerId.value_or(0);
    if (json.contains(QLatin1String("createdAt")) &&
        !readInt64(json, QLatin1String("createdAt"), &r.createdAt, &e))
        return e;
    if (json.contains(QLatin1String("memberCount")) &&
        !readInt(json, QLatin1String("memberCount"), &r.memberCount, &e))
        return e;
    if (!readRoomGroupFields(json, &r, &e) || !readRoomNotify(json, &r.notify, &e))
        return e;

    const QJsonValue last = json.value(QLatin1String("lastMessage"));
    if (last.isObject()) {
        Result<Message> message = Message::fromJson(last.toObject());
        if (!message) {
            e = message.error();
            e.message.prepend(QStringLiteral("lastMessage."));
            return e;
        }
        r.lastMessage = std::move(message).value();
    } else if (!last.isUndefined() && !last.isNull()) {
        return makeError(ErrorCode::BadRequest, QStringLiteral("lastMessage must be an object or null"));
    }
    return r;
}

bool operator==(const Room& a, const Room& b)
{
    return a.id == b.id && a.type == b.type && a.name == b.name && a.members == b.members &&
           a.unreadCount == b.unreadCount && a.mentionCount == b.mentionCount &&
           a.lastMessage == b.lastMessage && a.ownerId == b.ownerId && a.createdAt == b.createdAt &&
           a.memberCount == b.memberCount && a.topic == b.topic && a.visibility == b.visibility &&
           a.notify == b.notify;
}

} // namespace confab
