#pragma once

#include "protocol/types.h"

#include <optional>

namespace confab::client {

// What the signed-in user may do in a room, by role: the one place the
// client decides which group actions to offer (docs/protocol.md, "Groups",
// "Who may do what"). The server decides again; this only keeps the views
// from offering what it would refuse. A DM has no roles: none of these.
namespace rights {

// Add people, rename, change the topic or visibility: owner and admins.
bool canEdit(RoomType type, std::optional<MemberRole> mine);
bool canAdd(RoomType type, std::optional<MemberRole> mine);
// The owner removes anyone else; an admin removes members only.
bool canRemove(RoomType type, std::optional<MemberRole> mine, Id self, Id target,
               std::optional<MemberRole> theirs);
// set_role (make or unmake an admin) and transfer_ownership: the owner
// only, to another member (never the owner, who is themself).
bool canSetRole(RoomType type, std::optional<MemberRole> mine, Id self, Id target,
                std::optional<MemberRole> theirs);
bool canTransfer(RoomType type, std::optional<MemberRole> mine, Id self, Id target,
                 std::optional<MemberRole> theirs);
bool canLeave(RoomType type); // leave_room: groups only

// My role in `room` (from its members), nullopt when not listed or a DM.
std::optional<MemberRole> roleOf(const Room& room, Id userId);

} // namespace rights
} // namespace confab::client
