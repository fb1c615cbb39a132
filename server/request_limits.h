#pragma once

#include "ops/metrics.h"
#include "base/token_bucket.h"

#include <QString>

#include <array>
#include <memory>

namespace confab::server {

struct ServerConfig;

// A token bucket per user (per connection before sign-in) for each class of
// request the dispatcher limits: typing, mark_read, history, search, room
// changes and ping (docs/deploy.md, "Hostile clients"). send_message keeps
// its own limiter (Hub::sendLimiter, counted after validation) and
// register and login the sign-in ones (auth_handlers.cpp); auth, a token
// check, is limited per client address. Buckets are forgotten once full
// again (prune), so memory follows the recently active users.
class RequestLimits {
public:
    explicit RequestLimits(const ServerConfig& config);

    // Takes one token of `limit` for `key`: 0 when the request may run, else
    // the milliseconds until it could (its retryAfterMs).
    qint64 take(RateLimit limit, const QString& key, qint64 nowMs);
    void prune(qint64 nowMs);

private:
    std::array<std::unique_ptr<RateLimiter>, kRateLimitCount> m_limiters;
};

} // namespace confab::server
