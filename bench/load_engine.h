#pragma once

#include "histogram.h"
#include "population.h"
#include "sample_text.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QUrl>

#include <memory>
#include <vector>

class QThread;

namespace confab::bench {

class Worker;

struct TrafficConfig {
    QUrl url;
    // Instances of one cluster (--url repeated): worker thread i connects to
    // instanceUrls[i % size], so with as many threads as instances each
    // instance gets an equal share of the connections.
    QList<QUrl> instanceUrls;
    int threads = 2;
    int contentBytes = 120;
    TextKind text = TextKind::Filler;
    double rate = 0;    // total send_message/s, open loop (send times fixed by the clock)
    int window = 0;     // > 0: closed loop instead, this many unacked sends per sender connection
    double dmShare = 0; // chance that a send goes to one of the sender's DMs rather than its group
    double warmupSeconds = 1;
    double durationSeconds = 5;
    int connectConcurrency = 64; // handshakes in flight per worker thread
};

// One connection per entry; it sends into `groups`/`dms` (indices into
// Population::rooms) when either is non-empty, else it only receives.
struct ConnectionSpec {
    int user = 0;
    QList<int> groups;
    QList<int> dms;
};

struct ConnectResult {
    int opened = 0;
    int failed = 0;
    double seconds = 0; // first open to last auth_ok
    QMap<QString, int> failures;
};

struct TrafficResult {
    qint64 sent = 0, acked = 0, errors = 0, unacked = 0;
    qint64 ackedInWindow = 0, deliveriesInWindow = 0;
    qint64 deliveries = 0, expectedDeliveries = 0, duplicates = 0, lost = 0, otherFrames = 0;
    qint64 disconnects = 0;
    double maxSendLagMs = 0; // how far the open-loop sender fell behind its schedule
    double drainSeconds = 0;
    QMap<QString, qint64> errorCodes;
    Histogram ackLatency;      // send -> message_ack, microseconds
    Histogram deliveryLatency; // send -> message on every member connection
};

// The load generator: `threads` workers, each a QThread with its own event
// loop that owns its share of the connections, so no lock or queue sits on
// the per-frame path. Sends are pre-serialized frames whose tempId digits are
// overwritten in place; the tempId carries the send time, so any worker
// measures send->delivery for any message without shared state. Counters are
// per-worker atomics on their own cache lines, read by the main thread only
// to decide when to stop.
class LoadEngine {
public:
    LoadEngine(const Population& population, QList<ConnectionSpec> connections, TrafficConfig config);
    ~LoadEngine();

    ConnectResult connectAll(int timeoutMs);
    void startTraffic();
    // Stops sending at the end of warm-up + duration, waits for outstanding
    // acks and deliveries (up to drainTimeoutMs) and collects the figures.
    TrafficResult runToEnd(int drainTimeoutMs);
    // Connections still open (the connections scenario holds them idle).
    int openConnections() const;

private:
    TrafficResult collect() const;

    Population m_population;
    TrafficConfig m_config;
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<Worker*> m_workers;
    qint64 m_startMicros = 0;
};

} // namespace confab::bench
