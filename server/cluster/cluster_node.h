#pragma once

#include "cluster/bus_line.h"
#include "cluster/remote_change.h"
#include "cluster/remote_presence.h"
#include "store/database_url.h"

#include <QElapsedTimer>
#include <QHash>
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
// - hands the others' changes to Delivery (the same path as this
//   instance's) and delivers their typing and presence;
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

    // --- delivery of this instance's messages (issue 12: a lost COMMIT reply)
    // A message committed here reaches its members from one of two places:
    // the handler that stored it, when the COMMIT's reply arrived; or, when
    // it was lost (the database committed, the store saw an error and the
    // client's retry is a duplicate that delivers nothing), the bus, which
    // reads this instance's message rows too. Whichever comes first claims
    // the delivery; the other one finds it claimed and sends nothing, so a
    // message is delivered here exactly once. The bus waits kOwnGraceMs
    // before claiming, so that the handler (whose reply to the sender, the
    // message_ack, goes first) normally wins. Remembered claims are dropped
    // when both sides have come, or after kClaimMemoryMs.
    bool claimDelivery(Id messageId);
    static constexpr int kOwnGraceMs = 1'000;
    static constexpr qint64 kClaimMemoryMs = 10 * 60 * 1000;
    int rememberedClaims() const { return int(m_claims.size()); }

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
    void deliverOwnMessages();

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
    // Delivery claims (claimDelivery): message id -> when first claimed
    // (m_clock); own messages the bus read, waiting out kOwnGraceMs.
    QHash<Id, qint64> m_claims;
    qint64 m_claimsPrunedAt = 0;
    QList<std::pair<qint64, RemoteChange>> m_ownPending;
    QTimer m_ownTimer;
};

} // namespace confab::server::cluster
