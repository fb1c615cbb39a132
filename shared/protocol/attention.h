#pragma once

#include "protocol/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// Attention (contract, second part): notify levels per room, read receipts,
// the user's profile and status, password change; and the server policy a
// client learns at sign-in. Same conventions as requests.h and replies.h.
// The enums NotifyLevel and UserStatus live in types.h (User and Room carry them).
namespace confab {

// --- client -> server

struct SetRoomSettingsRequest { // set_room_settings -> ok
    Id roomId = 0;
    NotifyLevel notify = NotifyLevel::All;
    static Result<SetRoomSettingsRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct FetchReceiptsRequest { // fetch_receipts -> receipts
    Id roomId = 0;
    static Result<FetchReceiptsRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// set_profile -> user. Each field may be absent (or null): unchanged.
// displayName: trimmed, NFC, 1..kDisplayNameMaxLength, register's character
// rules; statusText: trimmed, 0..kStatusTextMaxLength, the same rules ("" clears it).
struct SetProfileRequest {
    std::optional<QString> displayName;
    std::optional<QString> statusText;
    std::optional<UserStatus> status;
    std::optional<bool> sendReceipts;
    static Result<SetProfileRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
    bool isEmpty() const { return !displayName && !statusText && !status && !sendReceipts; }
};

// change_password -> ok. Both 1..kPasswordMaxBytes UTF-8 bytes.
struct ChangePasswordRequest {
    QString oldPassword;
    QString newPassword;
    static Result<ChangePasswordRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// --- server -> client

struct RoomSettingsEvent { // room_settings: to the user's other connections
    Id roomId = 0;
    NotifyLevel notify = NotifyLevel::All;
    QJsonObject toPayload() const;
    static Result<RoomSettingsEvent> fromPayload(const QJsonObject& p);
    friend bool operator==(const RoomSettingsEvent& a, const RoomSettingsEvent& b);
};

// How far one member has read a room.
struct ReceiptMarker {
    Id userId = 0;
    Id messageId = 0;
    QJsonObject toJson() const;
    static Result<ReceiptMarker> fromJson(const QJsonObject& json);
    friend bool operator==(const ReceiptMarker& a, const ReceiptMarker& b);
};

struct ReceiptsReply { // receipts
    Id roomId = 0;
    QList<ReceiptMarker> markers;
    QJsonObject toPayload() const;
    static Result<ReceiptsReply> fromPayload(const QJsonObject& p);
};

struct ReceiptEvent { // receipt: a member's marker moved forward
    Id roomId = 0;
    Id userId = 0;
    Id messageId = 0;
    QJsonObject toPayload() const;
    static Result<ReceiptEvent> fromPayload(const QJsonObject& p);
    friend bool operator==(const ReceiptEvent& a, const ReceiptEvent& b);
};

struct UserReply { // user: the answer to set_profile, the user's own copy
    User user;
    QJsonObject toPayload() const;
    static Result<UserReply> fromPayload(const QJsonObject& p);
};

struct UserUpdatedEvent { // user_updated: to people who share a room with the user
    User user;
    QJsonObject toPayload() const;
    static Result<UserUpdatedEvent> fromPayload(const QJsonObject& p);
};

// Extension: what the server allows, in auth_ok's `policy`, so that a client
// offers edit and delete only while the server would accept them and shows
// receipts only when the server keeps them.
struct ServerPolicy {
    qint64 editWindowS = 86400;   // --edit-window-s
    qint64 deleteWindowS = 86400; // --delete-window-s
    bool receipts = true;         // --receipts on|off
    QJsonObject toJson() const;
    static Result<ServerPolicy> fromJson(const QJsonObject& json);
    friend bool operator==(const ServerPolicy& a, const ServerPolicy& b);
};

} // namespace confab

namespace confab::json {
// The attention fields of a user object (statusText, status, sendReceipts),
// each optional; a present one must be well-typed.
bool readUserAttentionFields(const QJsonObject& json, User* user, Error* error);
// room.notify: absent reads as "all".
bool readRoomNotify(const QJsonObject& json, NotifyLevel* notify, Error* error);
} // namespace confab::json
