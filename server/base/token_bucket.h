#pragma once

#include <QHash>
#include <QString>
#include <QtGlobal>

namespace confab::server {

// A token bucket: `burst` tokens, refilled at `ratePerSecond`. Times are
// monotonic milliseconds supplied by the caller, which keeps it testable.
class TokenBucket {
public:
    TokenBucket() = default;
    TokenBucket(double ratePerSecond, double burst, qint64 nowMs);

    // 0 when a token is available now, else milliseconds until one is.
    qint64 msUntilAvailable(qint64 nowMs);
    void consume(qint64 nowMs);
    // Consumes one token if available; returns 0, or the wait in ms.
    qint64 take(qint64 nowMs);
    // True when the bucket is full again (it can be forgotten).
    bool isFull(qint64 nowMs);
    // Returns one token taken earlier (never above the burst): a login
    // charged when admitted gets it back when the password was right.
    void giveBack(qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_rate = 1;
    double m_burst = 1;
    double m_tokens = 1;
    qint64 m_lastMs = 0;
};

// Buckets by key (user id, username, peer address), pruned when full so that
// memory stays bounded by the keys that were recently active.
class RateLimiter {
public:
    RateLimiter(double ratePerSecond, double burst);

    qint64 msUntilAvailable(const QString& key, qint64 nowMs);
    void consume(const QString& key, qint64 nowMs);
    qint64 take(const QString& key, qint64 nowMs);
    void giveBack(const QString& key, qint64 nowMs);
    void prune(qint64 nowMs);
    int size() const { return int(m_buckets.size()); }

private:
    TokenBucket& bucket(const QString& key, qint64 nowMs);

    double m_rate;
    double m_burst;
    QHash<QString, TokenBucket> m_buckets;
};

} // namespace confab::server
