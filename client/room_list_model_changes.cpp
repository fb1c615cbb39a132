// RoomListModel: the live changes to rooms already listed (members
// leaving, new messages, edits, mentions, read markers, notification levels).
#include "room_list_model.h"

#include "user_directory.h"

#include <algorithm>

namespace confab::client {

void RoomListModel::removeMember(Id roomId, Id userId)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    Room& room = m_rooms[row];
    const auto removed = room.members.removeIf([userId](const User& u) { return u.id == userId; });
    // A big group's list may come cut: memberCount is the real size, and the
    // one who left may be among those not listed.
    const bool cut = room.memberCount > room.members.size() + removed;
    if (cut)
        --room.memberCount;
    if (removed == 0 && !cut)
        return;
    m_users->removeRoomMember(roomId, userId);
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {MemberCountRole, NameRole, OnlineRole, PeerUserIdRole});
}

void RoomListModel::addMember(Id roomId, const User& user)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    Room& room = m_rooms[row];
    const auto known = std::find_if(room.members.begin(), room.members.end(),
                                    [&](const User& u) { return u.id == user.id; });
    if (known != room.members.end()) {
        *known = user; // a repeat: the newer copy (role, presence)
    } else {
        room.members.append(user);
        if (room.memberCount > 0) // a cut list: the real size grows too
            ++room.memberCount;
    }
    m_users->upsert(user);
    m_users->setRoomMembers(roomId, memberIds(room));
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {MemberCountRole, MyRankRole});
}

void RoomListModel::applyMessage(const Message& message, bool roomIsOpen)
{
    const int row = rowOf(message.roomId);
    if (row < 0)
        return;
    Room& room = m_rooms[row];
    // Ids increase within a room: an id we already passed (a catch-up page,
    // a repeated event) is not new and was counted by the server already.
    if (room.lastMessage && message.id <= room.lastMessage->id)
        return;
    room.lastMessage = message;
    QList<int> roles{LastMessageTextRole, LastSenderNameRole, LastActivityRole};
    // A system line ("Mei added Dave") is never unread (docs/protocol.md, Groups).
    if (message.senderId != m_self && !roomIsOpen && message.kind == MessageKind::Text) {
        ++room.unreadCount;
        roles.append(UnreadCountRole);
    }
    const int now = placeRow(row);
    const QModelIndex changed = index(now);
    emit dataChanged(changed, changed, roles);
    updateTotalUnread();
}

void RoomListModel::applyUpdate(const Message& message)
{
    const int row = rowOf(message.roomId);
    if (row < 0 || !m_rooms.at(row).lastMessage || m_rooms.at(row).lastMessage->id != message.id)
        return;
    m_rooms[row].lastMessage = message;
    emit dataChanged(index(row), index(row), {LastMessageTextRole});
}

void RoomListModel::applyMention(Id roomId, bool roomIsOpen)
{
    const int row = rowOf(roomId);
    if (row < 0 || roomIsOpen)
        return;
    ++m_rooms[row].mentionCount;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {MentionCountRole});
}

void RoomListModel::markRead(Id roomId)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    Room& room = m_rooms[row];
    if (room.unreadCount == 0 && room.mentionCount == 0)
        return;
    room.unreadCount = 0;
    room.mentionCount = 0;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, {UnreadCountRole, MentionCountRole});
    updateTotalUnread();
}

void RoomListModel::setUnreadCount(Id roomId, int count)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    if (count <= 0)
        return markRead(roomId);
    Room& room = m_rooms[row];
    if (count >= room.unreadCount)
        return;
    room.unreadCount = count;
    emit dataChanged(index(row), index(row), {UnreadCountRole});
    updateTotalUnread();
}

void RoomListModel::setTyping(Id roomId, Id userId, bool typing)
{
    // No role shows typing in the room list; the controller keeps typing state.
    Q_UNUSED(roomId)
    Q_UNUSED(userId)
    Q_UNUSED(typing)
}

void RoomListModel::setNotifyLevel(Id roomId, NotifyLevel level)
{
    const int row = rowOf(roomId);
    if (row < 0 || m_rooms.at(row).notify == level)
        return;
    m_rooms[row].notify = level;
    emit dataChanged(index(row), index(row), {NotifyLevelRole, MutedRole});
    updateTotalUnread();
}

} // namespace confab::client
