#pragma once

#include "store/store.h"

#include <optional>

namespace confab::server::cluster {

// A change another instance committed (a row of cluster_events), with what
// delivering it here needs, read by the bus in the same query.
struct RemoteChange {
    qint64 eventId = 0;
    // With its message (absent if the row is gone) or membership, as the
    // store's change log door reads them (Store::changesAfter).
    ChangeRecord change;
    // Committed by this instance (Kind::Message only: issue 12). Normally
    // delivered here already when it committed; not when the COMMIT's reply
    // was lost (ClusterNode::claimDelivery decides).
    bool own = false;
};

// How the cluster bus paces itself. Defaults suit a LAN; tests shorten them.
struct BusTimings {
    int heartbeatMs = 2'000;
    // An instance not heard from for this long is presumed dead.
    int instanceTimeoutMs = 6'000;
    // cluster_events is read at least this often even without a NOTIFY (a
    // wake-up lost with a dying instance or a dropped connection).
    int pollMs = 1'000;
    int reconnectMinMs = 200;
    int reconnectMaxMs = 5'000;
    // Change rows older than this are deleted. An instance that was cut off
    // from the database for longer than half of it cannot catch up from the
    // log and closes its clients' connections instead (they catch up by afterId).
    qint64 retentionMs = 10 * 60 * 1000;
};

} // namespace confab::server::cluster
