#include "user_directory.h"

#include "display_names.h"

#include <utility>

namespace confab::client {

void UserDirectory::upsert(const User& given)
{
    if (given.id == 0)
        return;
    User user = given;
    if (!m_presenceLive)
        user.online = false;
    auto it = m_users.find(user.id);
    if (it != m_users.end() && *it == user)
        return;
    const bool renamed =
        it == m_users.end() || it->displayName != user.displayName || it->username != user.username;
    m_users.insert(user.id, user);
    if (renamed) {
        m_skeletons.insert(user.id, nameSkeleton(displayName(user.id)));
        for (auto room = m_rooms.begin(); room != m_rooms.end(); ++room) {
            if (!room->members.contains(user.id))
                continue;
            const bool wasAmbiguous = room->ambiguous.contains(user.id);
            const QSet<Id> before = room->ambiguous;
            refreshRoster(room.key(), *room);
            // A new username changes the handle even when nobody's ambiguity did.
            if (wasAmbiguous && before == room->ambiguous)
                emit handlesChanged(room.key());
        }
    }
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
    if (!m_presenceLive)
        online = false;
    auto it = m_users.find(userId);
    if (it == m_users.end() || (it->online == online && it->lastSeenAt == lastSeenAt))
        return;
    it->online = online;
    it->lastSeenAt = lastSeenAt;
    emit userChanged(userId);
}

void UserDirectory::setPresenceLive(bool live)
{
    if (live == m_presenceLive)
        return;
    m_presenceLive = live;
    if (live)
        return; // the server's snapshot and events bring it back
    QList<Id> changed;
    for (auto it = m_users.begin(); it != m_users.end(); ++it) {
        if (std::exchange(it->online, false))
            changed.append(it.key());
    }
    for (Id userId : std::as_const(changed))
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
    m_skeletons.clear();
    m_rooms.clear();
}

void UserDirectory::setRoomMembers(Id roomId, const QList<Id>& userIds)
{
    Roster& roster = m_rooms[roomId];
    if (roster.members == userIds)
        return;
    roster.members = userIds;
    refreshRoster(roomId, roster);
}

void UserDirectory::removeRoomMember(Id roomId, Id userId)
{
    const auto it = m_rooms.find(roomId);
    if (it == m_rooms.end() || it->members.removeAll(userId) == 0)
        return;
    refreshRoster(roomId, *it);
}

void UserDirectory::removeRoom(Id roomId)
{
    m_rooms.remove(roomId);
}

QList<Id> UserDirectory::roomMembers(Id roomId) const
{
    return m_rooms.value(roomId).members;
}

QString UserDirectory::skeletonOf(Id userId) const
{
    const auto it = m_skeletons.constFind(userId);
    return it != m_skeletons.cend() ? *it : nameSkeleton(displayName(userId));
}

QSet<Id> UserDirectory::ambiguousAmong(const QList<Id>& people) const
{
    QHash<QString, QList<Id>> bySkeleton;
    for (const Id id : people) {
        QList<Id>& group = bySkeleton[skeletonOf(id)];
        if (!group.contains(id))
            group.append(id);
    }
    QSet<Id> ambiguous;
    for (const QList<Id>& group : std::as_const(bySkeleton)) {
        if (group.size() > 1)
            ambiguous.unite(QSet<Id>(group.cbegin(), group.cend()));
    }
    return ambiguous;
}

void UserDirectory::refreshRoster(Id roomId, Roster& roster)
{
    QSet<Id> ambiguous = ambiguousAmong(roster.members);
    if (ambiguous == roster.ambiguous)
        return;
    roster.ambiguous = std::move(ambiguous);
    emit handlesChanged(roomId);
}

QString UserDirectory::handleAmong(const QList<Id>& people, Id userId) const
{
    const QString skeleton = skeletonOf(userId);
    QList<Id> namesakes;
    for (const Id other : people) {
        if (other != userId && skeletonOf(other) == skeleton && !namesakes.contains(other))
            namesakes.append(other);
    }
    if (namesakes.isEmpty())
        return {};
    const QString username = m_users.value(userId).username;
    if (username.isEmpty())
        return QStringLiteral("#%1").arg(userId);
    QString handle = QLatin1Char('@') + username;
    const QString usernameSkeleton = nameSkeleton(username);
    for (const Id other : std::as_const(namesakes)) {
        if (nameSkeleton(m_users.value(other).username) == usernameSkeleton) {
            handle += QStringLiteral(" #%1").arg(userId);
            break;
        }
    }
    return handle;
}

QString UserDirectory::handleIn(Id roomId, Id userId) const
{
    const auto room = m_rooms.constFind(roomId);
    if (room == m_rooms.cend())
        return {};
    // A member who shares nobody's name needs no handle; the list walk below
    // is only for the rare ambiguous one (and for former members).
    if (room->members.contains(userId) && !room->ambiguous.contains(userId))
        return {};
    return handleAmong(room->members, userId);
}

QString UserDirectory::labelIn(Id roomId, Id userId) const
{
    const QString handle = handleIn(roomId, userId);
    const QString name = displayName(userId);
    return handle.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, handle);
}

} // namespace confab::client
