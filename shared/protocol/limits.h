#pragma once

#include <QtGlobal>

// Field limits of the protocol, shared by server validation and client checks.
// The server's configurable limits (frame size, rate limits) live in its config.
namespace confab::limits {

inline constexpr int kUsernameMaxLength = 32;          // code points, contract: 1-32 characters
inline constexpr int kDisplayNameMaxLength = 64;       // UTF-16 units
inline constexpr int kStatusTextMaxLength = 100;       // set_profile.statusText, UTF-16 units
inline constexpr int kPasswordMaxBytes = 1024;         // UTF-8 bytes; argon2 input bound
inline constexpr int kRoomNameMaxLength = 100;         // UTF-16 units
inline constexpr int kTempIdMaxLength = 128;           // UTF-16 units
inline constexpr int kTokenMaxLength = 256;            // characters
inline constexpr int kInviteMaxLength = 128;           // [ext] register.invite, characters
inline constexpr int kQueryMaxLength = 200;            // search query, UTF-16 units
inline constexpr int kMaxMentions = 100;               // spans per message
inline constexpr int kMaxRoomMembers = 5000;           // memberIds in create_room
inline constexpr int kDefaultContentMaxLength = 16000; // UTF-16 units; server config may lower it
inline constexpr int kEmojiMaxLength = 32;             // react.emoji, UTF-16 units (contract)
inline constexpr int kMaxDistinctReactions = 20;       // distinct emoji per message (contract)
inline constexpr int kTopicMaxLength = 500;            // a group's topic, UTF-16 units
inline constexpr int kMaxPinsPerRoom = 50;             // pin_message (contract)
inline constexpr int kPublicRoomsDefaultLimit = 20;    // list_public_rooms
inline constexpr int kPublicRoomsMaxLimit = 100;
// Avatars (issue 15): a PNG or JPEG of at most this many bytes, sent as
// base64 (4 characters per 3 bytes, padded) in set_avatar and avatar.
inline constexpr qint64 kAvatarMaxBytes = 256 * 1024;
inline constexpr qint64 kAvatarBase64MaxLength = (kAvatarMaxBytes + 2) / 3 * 4;
// The frame a signed-in connection may send (a set_avatar with the largest
// avatar and its envelope); before sign-in the server's --max-frame-bytes
// (256 KiB) applies unchanged.
inline constexpr qint64 kSignedInFrameBytes = 512 * 1024;
static_assert(kAvatarBase64MaxLength + 4096 < kSignedInFrameBytes);

// Files (issue 16, docs/protocol.md "Files"): bytes travel in binary
// frames of one chunk each (a 17-byte header, then 1..kFileChunkBytes of data).
inline constexpr qint64 kFileChunkBytes = 256 * 1024;
inline constexpr qint64 kDefaultMaxFileBytes = 25 * 1024 * 1024; // --max-file-bytes
inline constexpr qint64 kDefaultUserQuotaBytes = qint64(1) << 30; // --user-quota-bytes
inline constexpr int kFileNameMaxLength = 255;                      // UTF-16 units, after trimming
inline constexpr int kFileMimeMaxLength = 100;
inline constexpr int kFileDimensionMax = 65535;     // declared width and height
inline constexpr int kMaxAttachments = 10;          // per message
inline constexpr qint64 kThumbnailMaxBytes = 256 * 1024;
inline constexpr int kMaxDownloadsPerConnection = 4;
static_assert(kFileChunkBytes + 17 < kSignedInFrameBytes, "an upload chunk must fit a signed-in frame");

inline constexpr int kHistoryDefaultLimit = 50;
inline constexpr int kHistoryMaxLimit = 100;
inline constexpr int kSearchDefaultLimit = 20;
inline constexpr int kSearchMaxLimit = 100;
inline constexpr int kUsersDefaultLimit = 20;
inline constexpr int kUsersMaxLimit = 100;

// --- what a reply may weigh (issue 12: replies the client accepts) ---
// The largest frame Confab's desktop client accepts (QWebSocket's
// maxAllowedIncomingFrameSize and ...MessageSize). The one place that knows it:
// the client sets it and the server keeps every reply below it.
inline constexpr qint64 kClientMaxFrameBytes = 1024 * 1024;
// The payload budget of a page of message bodies (fetch_messages,
// list_mentions, search_messages): a page stops early, with hasMore, rather
// than pass it. Well under the client's limit: the envelope and the echoed id
// come on top, and a page this size is already slow to render.
inline constexpr qint64 kPageBudgetBytes = 512 * 1024;
// The payload budget of room objects (the rooms reply, a room event): member
// lists are cut, then rooms left out, past it (see protocol/reply_size.h).
// Larger than the page budget so that a group of 5,000 members with ordinary
// names (~525 KB) still travels whole.
inline constexpr qint64 kRoomsBudgetBytes = 768 * 1024;
// A cut member list keeps this many members (the first to join).
inline constexpr int kCutMemberListLength = 100;
// room.lastMessage carries a preview: its content cut to this many UTF-16
// units (the contract's replyPreview uses the same length).
inline constexpr int kPreviewMaxLength = 200;
// The highest --max-content-length: one message of it (3 UTF-8 bytes a unit
// at worst once control characters are refused) fits in a page with room to spare.
inline constexpr int kContentMaxLengthCap = 100000;
static_assert(3 * qint64(kContentMaxLengthCap) + 64 * 1024 < kPageBudgetBytes,
              "one message must always fit in a page");
static_assert(kPageBudgetBytes < kClientMaxFrameBytes && kRoomsBudgetBytes < kClientMaxFrameBytes);
static_assert(kAvatarBase64MaxLength + 4096 < kClientMaxFrameBytes, "an avatar reply must reach the client");

} // namespace confab::limits
