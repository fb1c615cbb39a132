#pragma once

#include "store/store.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <optional>

namespace confab::server {

// Who is in which room, kept in memory on the network thread. It is the one
// source for the authorization check of room-scoped events and for fan-out
// (no database round trip per message). Loaded from the store at start and
// updated from the results of the store jobs that change membership.
class RoomRegistry {
public:
    void load(const QList<RoomMembership>& memberships);

    bool isMember(Id roomId, Id userId) const;
    bool exists(Id roomId) const { return m_rooms.contains(roomId); }
    std::optional<RoomType> type(Id roomId) const;
    QList<Id> members(Id roomId) const;
    QList<Id> roomsOf(Id userId) const;
    // Everyone who shares at least one room with userId, userId excluded.
    QSet<Id> contactsOf(Id userId) const;

    void setRoom(Id roomId, RoomType type, const QList<Id>& memberIds);
    void removeMember(Id roomId, Id userId);

private:
    struct Entry {
        RoomType type = RoomType::Group;
        QSet<Id> members;
    };
    QHash<Id, Entry> m_rooms;
    QHash<Id, QSet<Id>> m_roomsByUser;
};

} // namespace confab::server
