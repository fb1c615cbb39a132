#pragma once

#include "protocol/envelope.h"
#include "protocol/ids.h"

#include <QByteArray>

// One function per client event. The dispatcher has already checked
// authentication and, for room-scoped events, membership of payload.roomId;
// each handler parses its typed request and answers with the envelope's id.
namespace confab::server {

class Hub;
class Connection;

using Handler = void (*)(Hub& hub, Connection* connection, const Envelope& request);

void handlePing(Hub&, Connection*, const Envelope&);
void handleRegister(Hub&, Connection*, const Envelope&);
void handleLogin(Hub&, Connection*, const Envelope&);
void handleAuth(Hub&, Connection*, const Envelope&);
void handleLogout(Hub&, Connection*, const Envelope&);
// Signs in with a token presented in the WebSocket handshake (no request id).
void authenticateWithToken(Hub&, Connection*, const QString& token, const QJsonValue& id);

void handleCreateRoom(Hub&, Connection*, const Envelope&);
void handleOpenDm(Hub&, Connection*, const Envelope&);
void handleListRooms(Hub&, Connection*, const Envelope&);
void handleLeaveRoom(Hub&, Connection*, const Envelope&);

void handleSendMessage(Hub&, Connection*, const Envelope&);
void handleFetchMessages(Hub&, Connection*, const Envelope&);
void handleMarkRead(Hub&, Connection*, const Envelope&);
void handleListMentions(Hub&, Connection*, const Envelope&);
void handleTyping(Hub&, Connection*, const Envelope&);

// The message lifecycle (lifecycle_handlers.cpp).
void handleEditMessage(Hub&, Connection*, const Envelope&);
void handleDeleteMessage(Hub&, Connection*, const Envelope&);
void handleReact(Hub&, Connection*, const Envelope&);
void handleFetchChanges(Hub&, Connection*, const Envelope&);

// Attention (attention_handlers.cpp, account_handlers.cpp).
void handleSetRoomSettings(Hub&, Connection*, const Envelope&);
void handleFetchReceipts(Hub&, Connection*, const Envelope&);
void handleSetProfile(Hub&, Connection*, const Envelope&);
void handleChangePassword(Hub&, Connection*, const Envelope&);
// A place in the password hash queue for the request, or `rate_limited`
// answered (auth_handlers.cpp).
bool admitHash(Hub& hub, Connection* connection, const QJsonValue& id, quint64* ticket);

// Groups (group_handlers.cpp).
void handleAddMembers(Hub&, Connection*, const Envelope&);
void handleRemoveMember(Hub&, Connection*, const Envelope&);
void handleSetRole(Hub&, Connection*, const Envelope&);
void handleTransferOwnership(Hub&, Connection*, const Envelope&);
void handleUpdateRoom(Hub&, Connection*, const Envelope&);
void handlePinMessage(Hub&, Connection*, const Envelope&);
void handleListPins(Hub&, Connection*, const Envelope&);
void handleListPublicRooms(Hub&, Connection*, const Envelope&);
// Avatars (issue 15; avatar_handlers.cpp).
void handleSetAvatar(Hub&, Connection*, const Envelope&);
void handleFetchAvatar(Hub&, Connection*, const Envelope&);
// Files (issue 16; file_handlers.cpp).
void handleUploadFile(Hub&, Connection*, const Envelope&);
void handleCancelUpload(Hub&, Connection*, const Envelope&);
void handleFetchFile(Hub&, Connection*, const Envelope&);
void handleCancelFetch(Hub&, Connection*, const Envelope&);
// An upload chunk (a binary frame the dispatcher decoded): `data` is stored
// at `offset` of the user's upload `fileId`; answered by pushes.
void handleUploadChunk(Hub&, Connection*, Id fileId, qint64 offset, QByteArray data);
// A member: joined; a public group: the user joins it; else as a missing room.
void handleJoinRoom(Hub&, Connection*, const Envelope&);

void handleSearchUsers(Hub&, Connection*, const Envelope&);
void handleSearchMessages(Hub&, Connection*, const Envelope&);

} // namespace confab::server
