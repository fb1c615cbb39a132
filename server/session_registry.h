#pragma once

#include "protocol/ids.h"

#include <QHash>
#include <QList>

namespace confab::server {

class Connection;

// The authenticated connections of each user (a user may be signed in on
// several devices). Presence is derived from it: online = at least one.
class SessionRegistry {
public:
    // Returns true when this is the user's first connection (came online).
    bool attach(Id userId, Connection* connection);
    // Returns true when it was the user's last connection (went offline).
    bool detach(Id userId, Connection* connection);

    bool isOnline(Id userId) const { return m_byUser.contains(userId); }
    QList<Connection*> connectionsOf(Id userId) const { return m_byUser.value(userId); }
    int userCount() const { return int(m_byUser.size()); }
    QList<Id> onlineUsers() const { return m_byUser.keys(); }
    // Authenticated connections, all users together.
    int connectionCount() const { return m_connections; }

private:
    QHash<Id, QList<Connection*>> m_byUser;
    int m_connections = 0;
};

} // namespace confab::server
