#pragma once

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// The value types of groups (contract, second part: "Groups") that the core
// types carry: a member's role, a room's visibility, and what a system
// message says happened. Included by types.h; the requests and events that
// use them are in groups.h.
namespace confab {

enum class MemberRole { Owner, Admin, Member };
QString memberRoleName(MemberRole role); // "owner" | "admin" | "member"
std::optional<MemberRole> memberRoleFromName(const QString& name);

enum class RoomVisibility { Private, Public };
QString roomVisibilityName(RoomVisibility visibility); // "private" | "public"
std::optional<RoomVisibility> roomVisibilityFromName(const QString& name);

enum class SystemAction {
    Created,
    MemberAdded,
    MemberRemoved,
    MemberLeft,
    RoleChanged,
    OwnerChanged,
    Renamed,
    TopicChanged,
    Pinned,
    Unpinned,
};
QString systemActionName(SystemAction action); // "created", "member_added", ...
std::optional<SystemAction> systemActionFromName(const QString& name);

// `system` of a message with kind "system": who did what, to whom. Which of
// userIds, name and topic an action carries is in docs/protocol.md; the
// others stay absent on the wire.
struct SystemInfo {
    SystemAction action = SystemAction::Created;
    Id actorId = 0;
    QList<Id> userIds;
    std::optional<QString> name;
    std::optional<QString> topic;
    std::optional<Id> messageId; // pinned / unpinned: the message (extension)
    // role_changed: the role given (extension), so that history, read long
    // after the room_updated that said it, tells a promotion from a demotion.
    std::optional<MemberRole> role;

    QJsonObject toJson() const;
    static Result<SystemInfo> fromJson(const QJsonObject& json);
    friend bool operator==(const SystemInfo& a, const SystemInfo& b);
};

// One entry of public_rooms: what a non-member may see of a public group.
struct PublicRoom {
    Id id = 0;
    QString name;
    QString topic;
    int memberCount = 0;

    QJsonObject toJson() const;
    static Result<PublicRoom> fromJson(const QJsonObject& json);
    friend bool operator==(const PublicRoom& a, const PublicRoom& b);
};

struct User;
struct Room;
struct Message;

} // namespace confab

// The group fields of the core types, read and written here so that types.cpp
// keeps the core contract's shape. A peer that speaks only the core contract
// sends none of them: each may be absent (no role, topic "", "private", no
// system), but a present one must be well-typed.
namespace confab::json {

bool readMemberRole(const QJsonObject& json, User* user, Error* error);
void writeMemberRole(QJsonObject& json, const User& user);
bool readRoomGroupFields(const QJsonObject& json, Room* room, Error* error);
void writeRoomGroupFields(QJsonObject& json, const Room& room);
bool readMessageSystem(const QJsonObject& json, Message* message, Error* error);
void writeMessageSystem(QJsonObject& json, const Message& message);

} // namespace confab::json
