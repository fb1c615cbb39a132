#pragma once

#include <QtGlobal>

// Field limits of the protocol, shared by server validation and client checks.
// The server's configurable limits (frame size, rate limits) live in its config.
namespace confab::limits {

inline constexpr int kUsernameMaxLength = 32;          // code points, contract: 1-32 characters
inline constexpr int kDisplayNameMaxLength = 64;       // UTF-16 units
inline constexpr int kPasswordMaxBytes = 1024;         // UTF-8 bytes; argon2 input bound
inline constexpr int kRoomNameMaxLength = 100;         // UTF-16 units
inline constexpr int kTempIdMaxLength = 128;           // UTF-16 units
inline constexpr int kTokenMaxLength = 256;            // characters
inline constexpr int kInviteMaxLength = 128;           // [ext] register.invite, characters
inline constexpr int kQueryMaxLength = 200;            // search query, UTF-16 units
inline constexpr int kMaxMentions = 100;               // spans per message
inline constexpr int kMaxRoomMembers = 5000;           // memberIds in create_room
inline constexpr int kDefaultContentMaxLength = 16000; // UTF-16 units; server config may lower it

inline constexpr int kHistoryDefaultLimit = 50;
inline constexpr int kHistoryMaxLimit = 100;
inline constexpr int kSearchDefaultLimit = 20;
inline constexpr int kSearchMaxLimit = 100;
inline constexpr int kUsersDefaultLimit = 20;
inline constexpr int kUsersMaxLimit = 100;

} // namespace confab::limits
