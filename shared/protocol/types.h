#pragma once

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// The protocol's value types. Each converts to and from its JSON object form
// exactly as docs/protocol.md shows it; fromJson rejects ill-typed or missing
// required fields with bad_request.
namespace confab {

struct User {
    Id id = 0;
    QString username;
    QString displayName;
    bool online = false;
    qint64 lastSeenAt = 0; // ms since epoch

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

struct Message {
    Id id = 0;
    Id roomId = 0;
    Id senderId = 0;
    QString content;
    QList<Mention> mentions;
    qint64 createdAt = 0;
    QString tempId;
    std::optional<Id> replyTo;     // null on the wire when absent
    std::optional<qint64> editedAt; // null on the wire when absent
    bool deleted = false;

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
    int unreadCount = 0;  // for the user the room is sent to
    int mentionCount = 0; // for the user the room is sent to
    std::optional<Message> lastMessage; // null on the wire when absent
    // Extensions:
    Id ownerId = 0;     // 0 (null on the wire) for DMs
    qint64 createdAt = 0;

    QJsonObject toJson() const;
    static Result<Room> fromJson(const QJsonObject& json);
    friend bool operator==(const Room& a, const Room& b);
};

} // namespace confab
