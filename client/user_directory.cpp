#include "user_directory.h"

namespace confab::client {

void UserDirectory::upsert(const User& user)
{
    if (user.id == 0)
        return;
    auto it = m_users.find(user.id);
    if (it != m_users.end() && *it == user)
        return;
    m_users.insert(user.id, user);
    emit userChanged(user.id);
}

void UserDirectory::upsertAll(const QList<User>& users)
{
    for (const User& user : users)
        upsert(user);
}

void UserDirectory::setPresence(Id userId, bool online, qint64 lastSeenAt)
{
    // An unknown user is not recorded: every user the client can show arrives
    // with a snapshot of its presence (room members, search results).
    auto it = m_users.find(userId);
    if (it == m_users.end() || (it->online == online && it->lastSeenAt == lastSeenAt))
        return;
    it->online = online;
    it->lastSeenAt = lastSeenAt;
    emit userChanged(userId);
}

QString UserDirectory::displayName(Id userId) const
{
    const auto it = m_users.constFind(userId);
    if (it != m_users.cend()) {
        if (!it->displayName.isEmpty())
            return it->displayName;
        if (!it->username.isEmpty())
            return it->username;
    }
    return QStringLiteral("user %1").arg(userId);
}

void UserDirectory::clear()
{
    m_users.clear();
}

} // namespace confab::client
