#include "request_limits.h"

#include "server_config.h"

namespace confab::server {

RequestLimits::RequestLimits(const ServerConfig& c)
{
    auto set = [this](RateLimit limit, double rate, int burst) {
        m_limiters[size_t(limit)] = std::make_unique<RateLimiter>(rate, burst);
    };
    set(RateLimit::Typing, c.typingRatePerSecond, c.typingBurst);
    set(RateLimit::MarkRead, c.markReadRatePerSecond, c.markReadBurst);
    set(RateLimit::History, c.historyRatePerSecond, c.historyBurst);
    set(RateLimit::Search, c.searchRatePerSecond, c.searchBurst);
    set(RateLimit::Rooms, c.roomRatePerSecond, c.roomBurst);
    set(RateLimit::Ping, c.pingRatePerSecond, c.pingBurst);
    set(RateLimit::Auth, c.authRatePerSecond, c.authBurst);
    set(RateLimit::Changes, c.changeRatePerSecond, c.changeBurst);
    set(RateLimit::Attention, c.attentionRatePerSecond, c.attentionBurst);
    set(RateLimit::Groups, c.groupRatePerSecond, c.groupBurst);
    set(RateLimit::AvatarSet, c.avatarSetRatePerSecond, c.avatarSetBurst);
    set(RateLimit::AvatarFetch, c.avatarFetchRatePerSecond, c.avatarFetchBurst);
    set(RateLimit::Files, c.fileRatePerSecond, c.fileBurst);
}

qint64 RequestLimits::take(RateLimit limit, const QString& key, qint64 nowMs)
{
    RateLimiter* limiter = m_limiters[size_t(limit)].get();
    return limiter ? limiter->take(key, nowMs) : 0;
}

void RequestLimits::prune(qint64 nowMs)
{
    for (auto& limiter : m_limiters) {
        if (limiter)
            limiter->prune(nowMs);
    }
}

} // namespace confab::server
