#include "session_registry.h"

namespace confab::server {

bool SessionRegistry::attach(Id userId, Connection* connection)
{
    auto& list = m_byUser[userId];
    if (list.contains(connection))
        return false;
    list.append(connection);
    ++m_connections;
    return list.size() == 1;
}

bool SessionRegistry::detach(Id userId, Connection* connection)
{
    auto it = m_byUser.find(userId);
    if (it == m_byUser.end() || !it->removeOne(connection))
        return false;
    --m_connections;
    if (it->isEmpty()) {
        m_byUser.erase(it);
        return true;
    }
    return false;
}

} // namespace confab::server
