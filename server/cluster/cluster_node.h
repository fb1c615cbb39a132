#pragma once

#include "cluster/bus_line.h"
#include "cluster/remote_change.h"
#include "cluster/remote_presence.h"
#include "store/database_url.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>

namespace confab::server {
class Hub;
}

namespace confab::server::cluster {

class BusWorker;

// This instance's membership in a cluster of servers sharing one PostgreSQL
// database (docs/cluster.md). Lives on the network thread beside the Hub:
// - tells the others about local typing and presence, and that changes were
//   committed (the changes themselves are rows of cluster_events, written by
//   the store in the change's own transaction);
// - delivers the others' changes, typing and presence to local connections
//   and keeps the room registry in step with their membership changes;
// - tracks who is online elsewhere, presuming an instance dead when it has
//   been silent for BusTimings::instanceTimeoutMs.
class ClusterNode : public QObject {
    Q_OBJECT
public:
    ClusterNode(Hub& hub, const DatabaseUrl& url, const BusTimings& timings);
    ~ClusterNode() override;

    // Starts the bus thread, connects and subscribes (blocking: start-up only)
    // and asks the others for their online users.
    Result<void> start();
    // Says bye and stops the bus thread.
    void stop();

    const QString& origin() const { return m_origin; }
    bool isOnlineElsewhere(Id userId) const { return m_presence.isOnline(userId); }
    bool isBusUp() const { return m_busUp; }

    // --- from the hub
    void localPresence(Id userId, bool online, qint64 at);
    void localTyping(Id roomId, Id userId, bool isTyping);
    void changesCommitted();

private:
    void publish(const QList<BusLine>& lines);
    void onLines(const QList<BusLine>& lines);
    void onChanges(const QList<RemoteChange>& changes);
    void onBusState(bool up, qint64 downMs);
    void checkLiveness();
    void publishSnapshot();
    // Presence events for users whose state elsewhere changed, unless they are
    // also online here (then nothing changed for anyone).
    void announceRemote(const QList<Id>& userIds, qint64 at);
    void deliverRoomChange(const RemoteChange& remote);
    void deliverMemberLeft(const RemoteChange& remote);

    Hub& m_hub;
    DatabaseUrl m_url;
    BusTimings m_timings;
    QString m_origin;
    QThread m_thread;
    BusWorker* m_worker = nullptr; // lives in m_thread
    RemotePresence m_presence;
    QElapsedTimer m_clock;
    QTimer m_liveness;
    quint64 m_snapshotSerial = 0;
    bool m_busUp = false;
    qint64 m_busUpSince = 0;
};

} // namespace confab::server::cluster
