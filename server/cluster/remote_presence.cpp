#include "cluster/remote_presence.h"

namespace confab::server::cluster {

void RemotePresence::heard(const QString& origin, qint64 now)
{
    m_instances[origin].lastHeard = now;
}

bool RemotePresence::add(Id userId)
{
    return ++m_count[userId] == 1;
}

bool RemotePresence::remove(Id userId)
{
    auto it = m_count.find(userId);
    if (it == m_count.end())
        return false;
    if (--*it > 0)
        return false;
    m_count.erase(it);
    return true;
}

bool RemotePresence::set(const QString& origin, Id userId, bool online, qint64 now)
{
    Instance& instance = m_instances[origin];
    instance.lastHeard = now;
    if (online == instance.online.contains(userId))
        return false;
    if (online) {
        instance.online.insert(userId);
        return add(userId);
    }
    instance.online.remove(userId);
    return remove(userId);
}

QList<Id> RemotePresence::replace(Instance& instance, const QSet<Id>& online)
{
    QList<Id> changed;
    for (Id userId : std::as_const(instance.online)) {
        if (!online.contains(userId) && remove(userId))
            changed.append(userId);
    }
    for (Id userId : online) {
        if (!instance.online.contains(userId) && add(userId))
            changed.append(userId);
    }
    instance.online = online;
    return changed;
}

QList<Id> RemotePresence::snapshotPart(const QString& origin, quint64 serial, int part, int parts,
                                       const QList<Id>& userIds, qint64 now)
{
    Instance& instance = m_instances[origin];
    instance.lastHeard = now;
    if (part == 1) {
        instance.pendingSerial = serial;
        instance.pending.clear();
        instance.nextPart = 1;
    }
    if (instance.pendingSerial != serial)
        return {}; // a part of another snapshot (we joined in its middle): ignored
    if (instance.nextPart != part) {
        instance.nextPart = 0; // a part went missing: wait for the next snapshot
        return {};
    }
    for (Id userId : userIds)
        instance.pending.insert(userId);
    if (part < parts) {
        instance.nextPart = part + 1;
        return {};
    }
    instance.nextPart = 0;
    const QSet<Id> complete = std::exchange(instance.pending, {});
    return replace(instance, complete);
}

QList<Id> RemotePresence::drop(const QString& origin)
{
    auto it = m_instances.find(origin);
    if (it == m_instances.end())
        return {};
    QList<Id> changed = replace(*it, {});
    m_instances.erase(it);
    return changed;
}

QList<Id> RemotePresence::expire(qint64 now)
{
    QList<QString> dead;
    for (auto it = m_instances.cbegin(); it != m_instances.cend(); ++it) {
        if (now - it->lastHeard > m_timeoutMs)
            dead.append(it.key());
    }
    QList<Id> changed;
    for (const QString& origin : dead)
        changed += drop(origin);
    return changed;
}

void RemotePresence::refreshAll(qint64 now)
{
    for (Instance& instance : m_instances)
        instance.lastHeard = now;
}

} // namespace confab::server::cluster
