#include "base/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace confab::server {

TokenBucket::TokenBucket(double ratePerSecond, double burst, qint64 nowMs)
    : m_rate(std::max(ratePerSecond, 1e-6))
    , m_burst(std::max(burst, 1.0))
    , m_tokens(m_burst)
    , m_lastMs(nowMs)
{}

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_rate / 1000.0);
        m_lastMs = nowMs;
    }
}

qint64 TokenBucket::msUntilAvailable(qint64 nowMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0)
        return 0;
    return std::max<qint64>(1, qint64(std::ceil((1.0 - m_tokens) * 1000.0 / m_rate)));
}

void TokenBucket::consume(qint64 nowMs)
{
    refill(nowMs);
    m_tokens = std::max(m_tokens - 1.0, -m_burst); // bounded debt
}

qint64 TokenBucket::take(qint64 nowMs)
{
    const qint64 wait = msUntilAvailable(nowMs);
    if (wait == 0)
        m_tokens -= 1.0;
    return wait;
}

bool TokenBucket::isFull(qint64 nowMs)
{
    refill(nowMs);
    return m_tokens >= m_burst;
}

void TokenBucket::giveBack(qint64 nowMs)
{
    refill(nowMs);
    m_tokens = std::min(m_burst, m_tokens + 1.0);
}

RateLimiter::RateLimiter(double ratePerSecond, double burst)
    : m_rate(ratePerSecond)
    , m_burst(burst)
{}

TokenBucket& RateLimiter::bucket(const QString& key, qint64 nowMs)
{
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        it = m_buckets.insert(key, TokenBucket(m_rate, m_burst, nowMs));
    return *it;
}

qint64 RateLimiter::msUntilAvailable(const QString& key, qint64 nowMs)
{
    auto it = m_buckets.find(key);
    return it == m_buckets.end() ? 0 : it->msUntilAvailable(nowMs);
}

void RateLimiter::consume(const QString& key, qint64 nowMs)
{
    bucket(key, nowMs).consume(nowMs);
}

qint64 RateLimiter::take(const QString& key, qint64 nowMs)
{
    return bucket(key, nowMs).take(nowMs);
}

void RateLimiter::giveBack(const QString& key, qint64 nowMs)
{
    // A bucket that was pruned was full: nothing to give back.
    if (auto it = m_buckets.find(key); it != m_buckets.end())
        it->giveBack(nowMs);
}

void RateLimiter::prune(qint64 nowMs)
{
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        if (it->isFull(nowMs))
            it = m_buckets.erase(it);
        else
            ++it;
    }
}

} // namespace confab::server
