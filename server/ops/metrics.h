#pragma once

// The server's live figures, rendered in the Prometheus text format (0.0.4)
// on the operations port (OpsServer: /metrics). Counters and histograms are
// atomics: the network thread and the store thread record without locks, and
// a scrape reads them from the network thread.

#include "protocol/error_code.h"

#include <QByteArray>
#include <QElapsedTimer>

#include <array>
#include <atomic>
#include <functional>

namespace confab::server {

// Cumulative histogram with fixed bucket bounds in seconds (Prometheus
// `le` buckets), from 100 µs to 10 s.
class LatencyHistogram {
public:
    static constexpr std::array<double, 14> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                       0.025,  0.05,    0.1,    0.25,  0.5,    1,     10};
    void record(qint64 nanoseconds);
    void render(QByteArray& out, const char* name, const char* help) const;

private:
    std::array<std::atomic<quint64>, kBounds.size() + 1> m_buckets{}; // the last is +Inf
    std::atomic<quint64> m_count{0};
    std::atomic<quint64> m_sumNanoseconds{0};
};

// Append only: the position is the metric's index.
enum class RateLimit {
    Send,
    LoginPerUser,
    LoginPerAddress,
    // Signing in (issue 12): register per address; the password hash queue.
    RegisterPerAddress,
    PasswordHashing,
    // One per class of request (RequestLimits, docs/deploy.md "Hostile clients").
    Typing,
    MarkRead,
    History,
    Search,
    Rooms,
    Ping,
    Auth,        // token checks, per client address
    Changes,     // edit_message, delete_message, react
    Attention,   // set_room_settings, fetch_receipts, set_profile, change_password
    Groups,      // add_members ... list_public_rooms (contract, second part: "Groups"); not join_room
    AvatarSet,   // set_avatar (issue 15)
    AvatarFetch, // fetch_avatar
    Files,       // upload_file, cancel_upload, fetch_file, cancel_fetch (issue 16)
};
constexpr size_t kRateLimitCount = size_t(RateLimit::Files) + 1;

class Metrics {
public:
    Metrics();

    std::atomic<quint64> handshakes{0};     // WebSocket upgrades accepted
    std::atomic<quint64> messagesStored{0}; // send_message acked, duplicates excluded
    std::atomic<quint64> deliveries{0};     // pushed event frames queued to sockets
    LatencyHistogram ackLatency;            // send_message received -> message_ack queued
    LatencyHistogram commitLatency;         // one database transaction's COMMIT (a whole batch)

    void countError(ErrorCode code);
    void countRateLimited(RateLimit limit);

    // Gauges read at scrape time (set by the server: connections, users).
    std::function<qint64()> openConnections;
    std::function<qint64()> onlineUsers;
    // Signing in (issue 12): argon2id work admitted and waiting for a hash
    // thread, and the hashes run since start (set by the hub).
    std::function<qint64()> passwordHashesWaiting;
    std::function<qint64()> passwordHashesRun;
    // Handshakes refused before the 101 (issue 12: ConnectionGate), by reason:
    // a foreign Origin, the per-address cap, the unauthenticated cap.
    std::function<quint64(int reason)> refusedHandshakes;
    // Bytes queued for client sockets and not yet taken by the kernel: in
    // all, and the largest queue of one connection.
    std::function<qint64()> queuedBytes;
    std::function<qint64()> largestQueue;

    // Messages stored per second over the last completed 10 s window
    // (for people reading /metrics without Prometheus's rate()).
    double messagesPerSecond();

    QByteArray render();

private:
    std::array<std::atomic<quint64>, 16> m_errors{};
    std::array<std::atomic<quint64>, kRateLimitCount> m_rateLimited{};
    QElapsedTimer m_uptime;
    qint64 m_windowStartMs = 0;
    quint64 m_windowStartCount = 0;
    double m_lastRate = 0;
};

} // namespace confab::server
