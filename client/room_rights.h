#pragma once

#include "protocol/types.h"

namespace confab::client {

// What my role in a room lets me do (contract: "Groups"), shared by the
// controllers that offer the actions, so that the views never work it out.

// A group's owner and admins may delete anyone's message at any time and
// pin. A room from a server without roles has only its ownerId to go by.
bool isModerator(const Room& room, Id me);
// Pinning and unpinning: owner and admins in a group, either side in a DM.
bool canPinIn(const Room& room, Id me);

} // namespace confab::client
