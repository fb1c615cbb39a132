#pragma once

#include "protocol/group_types.h"
#include "protocol/ids.h"
#include "protocol/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLatin1String>
#include <QList>
#include <QString>

#include <optional>

// The protocol's value types. Each converts to and from its JSON object form
// exactly as docs/protocol.md shows it; fromJson rejects ill-typed or missing
// required fields with bad_request.
namespace confab {

// Contract, second part (Attention). Defined in attention.cpp.
// How much a room may notify its member: "all" | "mentions" | "none".
enum class NotifyLevel { All, Mentions, None };
QString notifyLevelName(NotifyLevel level);
std::optional<NotifyLevel> notifyLevelFromName(const QString& name);
// What a user tells others about being reachable: "available" | "away" | "dnd".
enum class UserStatus { Available, Away, Dnd };
QString userStatusName(UserStatus status);
std::optional<UserStatus> userStatusFromName(const QString& name);

struct User {
    Id id = 0;
    QString username;
    QString displayName;
    bool online = false;
    qint64 lastSeenAt = 0; // ms since epoch
    // Groups: in a room's `members` only, the member's role there.
    std::optional<MemberRole> role;
    // Attention: always on the wire; absent (a core-contract peer) reads as
    // "" and "available".
    QString statusText;
    UserStatus status = UserStatus::Available;
    // Only in the user's own copies (auth_ok, the `user` reply): whether the
    // user's read markers are shown to the room. On the wire only when set.
    std::optional<bool> sendReceipts;
    // Avatars (issue 15): lowercase hex SHA-256 of the user's avatar image,
    // "" when none. On the wire only when set; a value that is not 64
    // lowercase hex digits is refused (a client names cache files by it).
    QString avatarId;

    QJsonObject toJson() const;
    static Result<User> fromJson(const QJsonObject& json);
    friend bool operator==(const User& a, const User& b);
};

// A span of message content, in UTF-16 code units, end exclusive.
struct Mention {
    Id userId = 0;
    int indexStart = 0;
    int indexEnd = 0;

    QJsonObject toJson() const;
    static Result<Mention> fromJson(const QJsonObject& json);
    friend bool operator==(const Mention& a, const Mention& b);
};

// One emoji on a message and who put it there, in order of reacting.
struct Reaction {
    QString emoji;
    QList<Id> userIds;

    QJsonObject toJson() const;
    static Result<Reaction> fromJson(const QJsonObject& json);
    friend bool operator==(const Reaction& a, const Reaction& b);
};

// Files (issue 16, docs/protocol.md "Files"): a stored file as messages and
// uploads describe it. `mime`, `width` and `height` are what the uploader
// declared; `name` is data, never a path. Defined in files.cpp.
struct FileInfo {
    Id id = 0;
    QString name;
    qint64 size = 0;
    QString mime;
    QString sha256; // 64 lowercase hex digits
    std::optional<int> width;
    std::optional<int> height;
    std::optional<Id> thumbnailId; // on an attachment only

    QJsonObject toJson() const;
    static Result<FileInfo> fromJson(const QJsonObject& json);
    friend bool operator==(const FileInfo& a, const FileInfo& b);
};

// What a reply shows of the message it answers: content cut to
// limits::kPreviewMaxLength UTF-16 units, empty when that message is deleted.
struct ReplyPreview {
    Id id = 0;
    Id senderId = 0;
    QString content;
    bool deleted = false;

    QJsonObject toJson() const;
    static Result<ReplyPreview> fromJson(const QJsonObject& json);
    friend bool operator==(const ReplyPreview& a, const ReplyPreview& b);
};

// "text": written by a user; "system": written by the server (a member
// joined, the topic changed), never editable.
enum class MessageKind { Text, System };
QString messageKindName(MessageKind kind); // "text" | "system"

struct Message {
    Id id = 0;
    Id roomId = 0;
    Id senderId = 0;
    QString content;
    QList<Mention> mentions;
    qint64 createdAt = 0;
    QString tempId;
    std::optional<Id> replyTo;      // null on the wire when absent
    std::optional<qint64> editedAt; // null on the wire when absent
    bool deleted = false;
    // Extension: true when `content` is a preview cut from a longer message
    // (room.lastMessage); on the wire only when true.
    bool truncated = false;
    // Contract, second part (message changes): raised server-wide by every
    // change to the message; reactions in order of first use.
    qint64 revision = 0;
    QList<Reaction> reactions;
    MessageKind kind = MessageKind::Text;
    std::optional<ReplyPreview> replyPreview; // null on the wire when absent
    std::optional<SystemInfo> system;         // kind System only; absent on the wire otherwise
    // Files (issue 16): in the order sent; [] when none and once deleted.
    // Absent on the wire (a core-contract peer) reads as none.
    QList<FileInfo> attachments;

    QJsonObject toJson() const;
    static Result<Message> fromJson(const QJsonObject& json);
    friend bool operator==(const Message& a, const Message& b);
};

enum class RoomType { Dm, Group };
QString roomTypeName(RoomType type); // "dm" | "group"

struct Room {
    Id id = 0;
    RoomType type = RoomType::Group;
    QString name;
    QList<User> members;
    int unreadCount = 0;                // for the user the room is sent to
    int mentionCount = 0;               // for the user the room is sent to
    std::optional<Message> lastMessage; // null on the wire when absent
    // Extensions:
    Id ownerId = 0; // 0 (null on the wire) for DMs
    qint64 createdAt = 0;
    // How many members the room has when `members` lists only the first of
    // them (a reply cut to the client's frame limit); on the wire only then.
    int memberCount = 0;
    // Contract, second part ("Groups").
    QString topic;
    RoomVisibility visibility = RoomVisibility::Private;
    // Attention: the requesting user's notify level for this room; always on
    // the wire, absent reads as "all".
    NotifyLevel notify = NotifyLevel::All;

    QJsonObject toJson() const;
    static Result<Room> fromJson(const QJsonObject& json);
    friend bool operator==(const Room& a, const Room& b);
};

} // namespace confab

// Field readers behind every fromJson()/fromPayload() of this library. They are
// public so that events added later parse their fields with the same rules and
// the same bad_request messages ("roomId must be an id"). Each reader returns
// false and sets *error when the field is missing or ill-typed; *out is only
// written on success.
namespace confab::json {

bool readString(const QJsonObject& json, QLatin1String key, QString* out, Error* error);
bool readBool(const QJsonObject& json, QLatin1String key, bool* out, Error* error);
// A JSON number with no fractional part, in qint64 (readInt64) or int (readInt) range.
bool readInt64(const QJsonObject& json, QLatin1String key, qint64* out, Error* error);
bool readInt(const QJsonObject& json, QLatin1String key, int* out, Error* error);
// parseId() rules: a number or a string; anything else is ill-typed.
bool readId(const QJsonObject& json, QLatin1String key, Id* out, Error* error);
// Absent or null -> std::nullopt; otherwise as readId().
bool readOptionalId(const QJsonObject& json, QLatin1String key, std::optional<Id>* out, Error* error);
bool readArray(const QJsonObject& json, QLatin1String key, QJsonArray* out, Error* error);
bool readObject(const QJsonObject& json, QLatin1String key, QJsonObject* out, Error* error);

// The integer value of a JSON number with no fractional part, within qint64.
std::optional<qint64> toInt64(const QJsonValue& value);

// The id as a JSON number, or null when absent.
QJsonValue optionalIdToJson(const std::optional<Id>& id);

// Reads an array of objects through T::fromJson(). An element's error names
// it, e.g. "members[2].id must be an id".
template <typename T>
bool readList(const QJsonObject& json, QLatin1String key, QList<T>* out, Error* error)
{
    QJsonArray array;
    if (!readArray(json, key, &array, error))
        return false;
    QList<T> items;
    items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = QString(key) + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
        if (!array.at(i).isObject()) {
            *error = makeError(ErrorCode::BadRequest, where + QStringLiteral(" must be an object"));
            return false;
        }
        Result<T> item = T::fromJson(array.at(i).toObject());
        if (!item) {
            *error = item.error();
            error->message.prepend(where + QLatin1Char('.'));
            return false;
        }
        items.append(std::move(item).value());
    }
    *out = std::move(items);
    return true;
}

// Reads one nested object through T::fromJson(); its errors name the field
// ("user.id must be an id").
template <typename T>
bool readNested(const QJsonObject& p, QLatin1String key, T* out, Error* error)
{
    QJsonObject json;
    if (!readObject(p, key, &json, error))
        return false;
    Result<T> value = T::fromJson(json);
    if (!value) {
        *error = value.error();
        error->message.prepend(QString(key) + QLatin1Char('.'));
        return false;
    }
    *out = std::move(value).value();
    return true;
}

template <typename T>
QJsonArray toJsonArray(const QList<T>& items)
{
    QJsonArray array;
    for (const T& item : items)
        array.append(item.toJson());
    return array;
}

} // namespace confab::json
