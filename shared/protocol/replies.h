#pragma once

#include "protocol/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// Server -> client payloads: direct replies and pushed events.
namespace confab {

struct AuthOk { // auth_ok
    QString token;
    User user;
    QJsonObject toPayload() const;
    static Result<AuthOk> fromPayload(const QJsonObject& p);
};

struct RoomEvent { // room
    Room room;
    QJsonObject toPayload() const;
    static Result<RoomEvent> fromPayload(const QJsonObject& p);
};

struct RoomsReply { // rooms
    QList<Room> rooms;
    // Extension: the rooms did not all fit in one reply under the client's
    // frame limit, so the least recently active are left out; on the wire
    // only when true.
    bool hasMore = false;
    QJsonObject toPayload() const;
    static Result<RoomsReply> fromPayload(const QJsonObject& p);
};

struct RoomIdPayload { // joined, room_left
    Id roomId = 0;
    QJsonObject toPayload() const;
    static Result<RoomIdPayload> fromPayload(const QJsonObject& p);
};

struct MemberLeftEvent { // member_left (extension; contract, second part: byUserId)
    Id roomId = 0;
    Id userId = 0;
    Id byUserId = 0; // who removed the user; the user themself for a leave; 0: absent
    QJsonObject toPayload() const;
    static Result<MemberLeftEvent> fromPayload(const QJsonObject& p);
};

struct MessageAck { // message_ack
    QString tempId;
    Id messageId = 0;
    qint64 createdAt = 0;
    QJsonObject toPayload() const;
    static Result<MessageAck> fromPayload(const QJsonObject& p);
};

struct MessageEvent { // message
    Message message;
    QJsonObject toPayload() const;
    static Result<MessageEvent> fromPayload(const QJsonObject& p);
};

struct HistoryReply { // history
    Id roomId = 0;
    QList<Message> messages; // ascending by id
    bool hasMore = false;
    QJsonObject toPayload() const;
    static Result<HistoryReply> fromPayload(const QJsonObject& p);
};

struct ReadEvent { // read
    Id roomId = 0;
    Id messageId = 0;
    QJsonObject toPayload() const;
    static Result<ReadEvent> fromPayload(const QJsonObject& p);
};

struct MentionEvent { // mention
    Id roomId = 0;
    Id messageId = 0;
    Id fromUserId = 0;
    QString content;
    QJsonObject toPayload() const;
    static Result<MentionEvent> fromPayload(const QJsonObject& p);
};

struct MentionsReply {    // mentions
    QList<Message> items; // newest first
    bool hasMore = false; // extension
    QJsonObject toPayload() const;
    static Result<MentionsReply> fromPayload(const QJsonObject& p);
};

struct PresenceEvent { // presence
    Id userId = 0;
    bool online = false;
    qint64 lastSeenAt = 0;
    QJsonObject toPayload() const;
    static Result<PresenceEvent> fromPayload(const QJsonObject& p);
};

struct TypingEvent { // typing (server -> client)
    Id roomId = 0;
    Id userId = 0;
    bool isTyping = false;
    QJsonObject toPayload() const;
    static Result<TypingEvent> fromPayload(const QJsonObject& p);
};

struct UsersReply { // users
    QList<User> users;
    QJsonObject toPayload() const;
    static Result<UsersReply> fromPayload(const QJsonObject& p);
};

struct SearchResultsReply {  // search_results
    QList<Message> messages; // newest first
    bool hasMore = false;
    // Extension: pass as beforeId to continue; absent when hasMore is false.
    std::optional<Id> nextBeforeId;
    QJsonObject toPayload() const;
    static Result<SearchResultsReply> fromPayload(const QJsonObject& p);
};

} // namespace confab
