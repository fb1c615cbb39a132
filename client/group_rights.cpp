#include "group_rights.h"

namespace confab::client::rights {

namespace {
bool isGroup(RoomType type)
{
    return type == RoomType::Group;
}
bool leads(std::optional<MemberRole> role) // owner or admin
{
    return role == MemberRole::Owner || role == MemberRole::Admin;
}
} // namespace

bool canEdit(RoomType type, std::optional<MemberRole> mine)
{
    return isGroup(type) && leads(mine);
}

bool canAdd(RoomType type, std::optional<MemberRole> mine)
{
    return isGroup(type) && leads(mine);
}

bool canRemove(RoomType type, std::optional<MemberRole> mine, Id self, Id target,
               std::optional<MemberRole> theirs)
{
    if (!isGroup(type) || target == self || !theirs)
        return false; // oneself leaves with leave_room
    if (mine == MemberRole::Owner)
        return true;
    return mine == MemberRole::Admin && theirs == MemberRole::Member;
}

bool canSetRole(RoomType type, std::optional<MemberRole> mine, Id self, Id target,
                std::optional<MemberRole> theirs)
{
    return isGroup(type) && mine == MemberRole::Owner && target != self && theirs &&
           theirs != MemberRole::Owner;
}

bool canTransfer(RoomType type, std::optional<MemberRole> mine, Id self, Id target,
                 std::optional<MemberRole> theirs)
{
    return canSetRole(type, mine, self, target, theirs);
}

bool canLeave(RoomType type)
{
    return isGroup(type);
}

std::optional<MemberRole> roleOf(const Room& room, Id userId)
{
    if (!isGroup(room.type))
        return std::nullopt;
    for (const User& member : room.members) {
        if (member.id == userId)
            return member.role;
    }
    return std::nullopt;
}

} // namespace confab::client::rights
