#include "room_registry.h"

namespace confab::server {

void RoomRegistry::load(const QList<RoomMembership>& memberships)
{
    m_rooms.clear();
    m_roomsByUser.clear();
    for (const auto& m : memberships)
        setRoom(m.roomId, m.type, m.memberIds);
}

bool RoomRegistry::isMember(Id roomId, Id userId) const
{
    auto it = m_rooms.constFind(roomId);
    return it != m_rooms.constEnd() && it->members.contains(userId);
}

std::optional<RoomType> RoomRegistry::type(Id roomId) const
{
    auto it = m_rooms.constFind(roomId);
    if (it == m_rooms.constEnd())
        return std::nullopt;
    return it->type;
}

QList<Id> RoomRegistry::members(Id roomId) const
{
    auto it = m_rooms.constFind(roomId);
    return it == m_rooms.constEnd() ? QList<Id>() : QList<Id>(it->members.begin(), it->members.end());
}

QList<Id> RoomRegistry::roomsOf(Id userId) const
{
    const QSet<Id> rooms = m_roomsByUser.value(userId);
    return QList<Id>(rooms.begin(), rooms.end());
}

QSet<Id> RoomRegistry::contactsOf(Id userId) const
{
    QSet<Id> contacts;
    for (Id roomId : m_roomsByUser.value(userId))
        contacts.unite(m_rooms.value(roomId).members);
    contacts.remove(userId);
    return contacts;
}

void RoomRegistry::setRoom(Id roomId, RoomType type, const QList<Id>& memberIds)
{
    auto& entry = m_rooms[roomId];
    for (Id old : std::as_const(entry.members))
        m_roomsByUser[old].remove(roomId);
    entry.type = type;
    entry.members = QSet<Id>(memberIds.begin(), memberIds.end());
    for (Id member : memberIds)
        m_roomsByUser[member].insert(roomId);
}

void RoomRegistry::removeMember(Id roomId, Id userId)
{
    auto it = m_rooms.find(roomId);
    if (it != m_rooms.end())
        it->members.remove(userId);
    auto byUser = m_roomsByUser.find(userId);
    if (byUser != m_roomsByUser.end()) {
        byUser->remove(roomId);
        if (byUser->isEmpty())
            m_roomsByUser.erase(byUser);
    }
}

} // namespace confab::server
