#pragma once

#include "protocol/files.h"
#include "protocol/limits.h"
#include "protocol/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// Client -> server payloads. fromPayload() is the one place a request's fields
// are type-checked: missing or ill-typed fields give bad_request, values over a
// size limit give too_large (content) or bad_request (names). toPayload() is the
// exact inverse, used by clients, tests and the benchmark.
//
// Optional paging limits: absent -> the default; a number is clamped into
// [1, max]; any other type is bad_request.
namespace confab {

struct RegisterRequest {
    QString username;
    QString password;
    QString displayName; // defaults to username when absent or empty
    QString invite;      // [ext] an invite code (servers with --registration invite); may be empty
    static Result<RegisterRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct LoginRequest {
    QString username; // not format-checked: a bad name is just invalid_credentials
    QString password;
    static Result<LoginRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct AuthRequest {
    QString token;
    static Result<AuthRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct CreateRoomRequest {
    QString name; // trimmed, 1..kRoomNameMaxLength
    QList<Id> memberIds;
    QString topic;                                     // contract, second part ("Groups"): optional
    RoomVisibility visibility = RoomVisibility::Private; // optional
    static Result<CreateRoomRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct OpenDmRequest {
    Id userId = 0;
    static Result<OpenDmRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// join_room and leave_room.
struct RoomRefRequest {
    Id roomId = 0;
    static Result<RoomRefRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct SendMessageRequest {
    Id roomId = 0;
    QString content;
    QString tempId;          // required, 1..kTempIdMaxLength
    QList<Mention> mentions; // as sent; the server verifies each span
    std::optional<Id> replyTo;
    // Files (issue 16): with attachments, content may be "".
    QList<AttachmentRef> attachments;
    // contentMaxLength: the server's configured limit in UTF-16 units.
    static Result<SendMessageRequest> fromPayload(const QJsonObject& p,
                                                  int contentMaxLength = limits::kDefaultContentMaxLength);
    QJsonObject toPayload() const;
};

struct FetchMessagesRequest {
    Id roomId = 0;
    std::optional<Id> beforeId;
    std::optional<Id> afterId; // beforeId and afterId together are bad_request
    int limit = limits::kHistoryDefaultLimit;
    // maxLimit: the server's page size (--history-page-size); the default
    // page is capped to it too.
    static Result<FetchMessagesRequest> fromPayload(const QJsonObject& p,
                                                    int maxLimit = limits::kHistoryMaxLimit);
    QJsonObject toPayload() const;
};

struct MarkReadRequest {
    Id roomId = 0;
    Id messageId = 0;
    static Result<MarkReadRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct ListMentionsRequest {
    std::optional<Id> beforeId;
    int limit = limits::kHistoryDefaultLimit;
    static Result<ListMentionsRequest> fromPayload(const QJsonObject& p,
                                                   int maxLimit = limits::kHistoryMaxLimit);
    QJsonObject toPayload() const;
};

struct TypingRequest {
    Id roomId = 0;
    bool isTyping = false;
    static Result<TypingRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct SearchUsersRequest {
    QString query; // may be empty: lists the first users by name
    std::optional<Id> roomId;
    int limit = limits::kUsersDefaultLimit;
    static Result<SearchUsersRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct SearchMessagesRequest {
    QString query; // trimmed, 1..kQueryMaxLength, else bad_request
    std::optional<Id> roomId;
    std::optional<Id> beforeId;
    int limit = limits::kSearchDefaultLimit;
    static Result<SearchMessagesRequest> fromPayload(const QJsonObject& p,
                                                     int maxLimit = limits::kSearchMaxLimit);
    QJsonObject toPayload() const;
};

} // namespace confab
