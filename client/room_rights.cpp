#include "room_rights.h"

namespace confab::client {

bool isModerator(const Room& room, Id me)
{
    if (room.type != RoomType::Group)
        return false;
    for (const User& member : room.members) {
        if (member.id == me && member.role)
            return *member.role == MemberRole::Owner || *member.role == MemberRole::Admin;
    }
    return room.ownerId != 0 && room.ownerId == me;
}

bool canPinIn(const Room& room, Id me)
{
    if (room.id == 0 || me == 0)
        return false;
    if (room.type == RoomType::Dm)
        return true; // the room list holds only DMs I am a side of
    return isModerator(room, me);
}

} // namespace confab::client
