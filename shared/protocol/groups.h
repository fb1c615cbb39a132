#pragma once

#include "protocol/limits.h"
#include "protocol/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// Groups (contract, second part: "Groups"): membership, roles, the room's
// name, topic and visibility, pins and the directory of public groups, and
// what the server answers and pushes for them. Same conventions as
// requests.h and replies.h. The value types they carry are in group_types.h.
namespace confab {

// --- client -> server

struct AddMembersRequest { // add_members -> room {room}
    Id roomId = 0;
    QList<Id> userIds; // 1..kMaxRoomMembers, duplicates dropped
    static Result<AddMembersRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct RemoveMemberRequest { // remove_member -> ok
    Id roomId = 0;
    Id userId = 0;
    static Result<RemoveMemberRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct SetRoleRequest { // set_role -> ok
    Id roomId = 0;
    Id userId = 0;
    MemberRole role = MemberRole::Member; // Admin or Member: "owner" is bad_request
    static Result<SetRoleRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct TransferOwnershipRequest { // transfer_ownership -> ok
    Id roomId = 0;
    Id userId = 0;
    static Result<TransferOwnershipRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct UpdateRoomRequest { // update_room -> ok; at least one of the three
    Id roomId = 0;
    std::optional<QString> name;  // trimmed, 1..kRoomNameMaxLength
    std::optional<QString> topic; // trimmed, 0..kTopicMaxLength
    std::optional<RoomVisibility> visibility;
    static Result<UpdateRoomRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct PinMessageRequest { // pin_message -> ok
    Id messageId = 0;
    bool pinned = true;
    static Result<PinMessageRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct ListPinsRequest { // list_pins -> pins
    Id roomId = 0;
    static Result<ListPinsRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

struct ListPublicRoomsRequest { // list_public_rooms -> public_rooms
    QString query;              // trimmed, 0..kQueryMaxLength; "" lists all
    int limit = limits::kPublicRoomsDefaultLimit;
    static Result<ListPublicRoomsRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// --- server -> client

struct MemberJoinedEvent { // member_joined: to the members already there
    Id roomId = 0;
    User user; // with its role
    Id byUserId = 0;
    QJsonObject toPayload() const;
    static Result<MemberJoinedEvent> fromPayload(const QJsonObject& p);
};

// room_left: the user's own connections. `reason` "left" (the user left) or
// "removed"; absent from a peer that speaks only the core contract ("left").
struct RoomLeftEvent {
    Id roomId = 0;
    QString reason = QStringLiteral("left");
    QJsonObject toPayload() const;
    static Result<RoomLeftEvent> fromPayload(const QJsonObject& p);
};

struct RoomUpdatedEvent { // room_updated: roles, owner, name, topic, visibility
    Room room;
    QJsonObject toPayload() const;
    static Result<RoomUpdatedEvent> fromPayload(const QJsonObject& p);
};

struct PinsChangedEvent { // pins_changed
    Id roomId = 0;
    Id messageId = 0;
    bool pinned = false;
    Id byUserId = 0;
    QJsonObject toPayload() const;
    static Result<PinsChangedEvent> fromPayload(const QJsonObject& p);
    friend bool operator==(const PinsChangedEvent& a, const PinsChangedEvent& b);
};

struct PinsReply { // pins: newest pin first
    Id roomId = 0;
    QList<Message> messages;
    QJsonObject toPayload() const;
    static Result<PinsReply> fromPayload(const QJsonObject& p);
};

struct PublicRoomsReply { // public_rooms
    QList<PublicRoom> rooms;
    QJsonObject toPayload() const;
    static Result<PublicRoomsReply> fromPayload(const QJsonObject& p);
};

} // namespace confab
