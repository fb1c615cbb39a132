#pragma once

#include "protocol/attention.h"
#include "protocol/types.h"

namespace confab::client {

// Whether a new message should raise a desktop notification, and as what.
// The whole rule in one place so that it can be tested row by row:
//  - never for my own messages, system lines or deleted ones, nor for the
//    room the user is looking at (open in the active window);
//  - nothing at all while my status is "do not disturb";
//  - a room set to "nothing" never notifies, not even for a mention;
//  - a mention of me notifies unless the room is "nothing";
//  - otherwise the room's level decides: "all" notifies every message,
//    "mentions" only mentions. DMs have the same levels; their default
//    (like every room's) is "all".
class NotificationRule {
public:
    enum class Outcome { Silent, Message, Mention };

    struct Input {
        NotifyLevel roomLevel = NotifyLevel::All;
        UserStatus myStatus = UserStatus::Available;
        bool fromMe = false;
        bool mentionsMe = false;
        bool systemOrDeleted = false;
        bool roomInView = false; // open in the active window
    };

    static Outcome decide(const Input& in);
    // The input for `message` in `room` as seen by `self`.
    static Input inputFor(const Message& message, const Room& room, Id self, UserStatus myStatus,
                          bool roomInView);
};

} // namespace confab::client
