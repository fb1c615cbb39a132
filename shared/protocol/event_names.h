#pragma once

#include <QLatin1String>

// Every event type that crosses the wire. Append only: never rename, remove or
// reuse a name (clients written from docs/protocol.md depend on them).
namespace confab::event {

// Client -> server
inline constexpr QLatin1String Register{"register"};
inline constexpr QLatin1String Login{"login"};
inline constexpr QLatin1String Auth{"auth"};
inline constexpr QLatin1String Logout{"logout"};
inline constexpr QLatin1String CreateRoom{"create_room"};
inline constexpr QLatin1String OpenDm{"open_dm"};
inline constexpr QLatin1String ListRooms{"list_rooms"};
inline constexpr QLatin1String JoinRoom{"join_room"};
inline constexpr QLatin1String LeaveRoom{"leave_room"};
inline constexpr QLatin1String SendMessage{"send_message"};
inline constexpr QLatin1String FetchMessages{"fetch_messages"};
inline constexpr QLatin1String MarkRead{"mark_read"};
inline constexpr QLatin1String ListMentions{"list_mentions"};
inline constexpr QLatin1String Typing{"typing"}; // also server -> client
inline constexpr QLatin1String SearchUsers{"search_users"};
inline constexpr QLatin1String SearchMessages{"search_messages"};
inline constexpr QLatin1String Ping{"ping"};
// Contract, second part: message changes and catch-up.
inline constexpr QLatin1String EditMessage{"edit_message"};
inline constexpr QLatin1String DeleteMessage{"delete_message"};
inline constexpr QLatin1String React{"react"};
inline constexpr QLatin1String FetchChanges{"fetch_changes"};
// Contract, second part: groups
inline constexpr QLatin1String AddMembers{"add_members"};
inline constexpr QLatin1String RemoveMember{"remove_member"};
inline constexpr QLatin1String SetRole{"set_role"};
inline constexpr QLatin1String TransferOwnership{"transfer_ownership"};
inline constexpr QLatin1String UpdateRoom{"update_room"};
inline constexpr QLatin1String PinMessage{"pin_message"};
inline constexpr QLatin1String ListPins{"list_pins"};
inline constexpr QLatin1String ListPublicRooms{"list_public_rooms"};
// Contract, second part: attention.
inline constexpr QLatin1String SetRoomSettings{"set_room_settings"};
inline constexpr QLatin1String FetchReceipts{"fetch_receipts"};
inline constexpr QLatin1String SetProfile{"set_profile"};
inline constexpr QLatin1String ChangePassword{"change_password"};
// Issue 15: avatars (docs/protocol.md, "Avatars").
inline constexpr QLatin1String SetAvatar{"set_avatar"};
inline constexpr QLatin1String FetchAvatar{"fetch_avatar"};
// Issue 16: files (docs/protocol.md, "Files").
inline constexpr QLatin1String UploadFile{"upload_file"};
inline constexpr QLatin1String CancelUpload{"cancel_upload"};
inline constexpr QLatin1String FetchFile{"fetch_file"};
inline constexpr QLatin1String CancelFetch{"cancel_fetch"};

// Server -> client
inline constexpr QLatin1String AuthOk{"auth_ok"};
inline constexpr QLatin1String Ok{"ok"};
inline constexpr QLatin1String Error{"error"};
inline constexpr QLatin1String Room{"room"};
inline constexpr QLatin1String Rooms{"rooms"};
inline constexpr QLatin1String Joined{"joined"};
inline constexpr QLatin1String MessageAck{"message_ack"};
inline constexpr QLatin1String Message{"message"};
inline constexpr QLatin1String History{"history"};
inline constexpr QLatin1String Read{"read"};
inline constexpr QLatin1String Mention{"mention"};
inline constexpr QLatin1String Mentions{"mentions"};
inline constexpr QLatin1String Presence{"presence"};
inline constexpr QLatin1String Users{"users"};
inline constexpr QLatin1String SearchResults{"search_results"};
inline constexpr QLatin1String Pong{"pong"};
// Extension: sent to a user's other connections after leave_room.
inline constexpr QLatin1String RoomLeft{"room_left"};
// Extension: sent to the remaining members after someone leaves a group.
inline constexpr QLatin1String MemberLeft{"member_left"};
// Contract, second part: message changes and catch-up.
inline constexpr QLatin1String MessageUpdated{"message_updated"};
inline constexpr QLatin1String Reaction{"reaction"};
inline constexpr QLatin1String Changes{"changes"};
// Contract, second part: groups
inline constexpr QLatin1String MemberJoined{"member_joined"};
inline constexpr QLatin1String RoomUpdated{"room_updated"};
inline constexpr QLatin1String PinsChanged{"pins_changed"};
inline constexpr QLatin1String Pins{"pins"};
inline constexpr QLatin1String PublicRooms{"public_rooms"};
// Contract, second part: attention.
inline constexpr QLatin1String RoomSettings{"room_settings"};
inline constexpr QLatin1String Receipts{"receipts"};
inline constexpr QLatin1String Receipt{"receipt"};
inline constexpr QLatin1String User{"user"}; // the answer to set_profile
inline constexpr QLatin1String UserUpdated{"user_updated"};
inline constexpr QLatin1String Avatar{"avatar"}; // the answer to fetch_avatar
inline constexpr QLatin1String Upload{"upload"}; // the answer to upload_file
inline constexpr QLatin1String UploadProgress{"upload_progress"};
inline constexpr QLatin1String UploadDone{"upload_done"};
inline constexpr QLatin1String File{"file"}; // the answer to fetch_file

} // namespace confab::event
