#pragma once

#include "protocol/ids.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace confab::server::cluster {

// Who is online on the other instances of a cluster, as far as their bus
// lines tell. An instance that has not been heard from for `timeoutMs` is
// presumed dead and its users offline; so is one that said bye. Pure state:
// the caller turns the returned user ids into presence events for the users
// it serves (a user online both here and elsewhere changes nothing).
class RemotePresence {
public:
    explicit RemotePresence(qint64 timeoutMs)
        : m_timeoutMs(timeoutMs)
    {}

    // Any line from `origin` proves it alive (and introduces a new instance).
    void heard(const QString& origin, qint64 now);
    // A user's first or last connection on `origin`. Returns true when the
    // user's remote state (online on at least one other instance) changed.
    bool set(const QString& origin, Id userId, bool online, qint64 now);
    // One part of `origin`'s snapshot. When the last part of a serial
    // arrives, the snapshot replaces what was known of `origin`; returns the
    // users whose remote state changed then (empty before that).
    QList<Id> snapshotPart(const QString& origin, quint64 serial, int part, int parts,
                           const QList<Id>& userIds, qint64 now);
    // Forgets `origin` (bye). Returns the users who are now offline remotely.
    QList<Id> drop(const QString& origin);
    // Drops every instance not heard from for the timeout.
    QList<Id> expire(qint64 now);
    // After our own bus was down nobody could be heard: restart every clock.
    void refreshAll(qint64 now);

    bool isOnline(Id userId) const { return m_count.contains(userId); }
    QList<QString> instances() const { return m_instances.keys(); }
    qint64 timeoutMs() const { return m_timeoutMs; }

private:
    struct Instance {
        QSet<Id> online;
        qint64 lastHeard = 0;
        quint64 pendingSerial = 0;
        int nextPart = 0; // the part expected next; 0 when no snapshot is arriving
        QSet<Id> pending;
    };
    // Adjusts m_count; true when the user's remote state changed.
    bool add(Id userId);
    bool remove(Id userId);
    QList<Id> replace(Instance& instance, const QSet<Id>& online);

    qint64 m_timeoutMs;
    QHash<QString, Instance> m_instances;
    QHash<Id, int> m_count; // instances on which the user is online (absent: none)
};

} // namespace confab::server::cluster
