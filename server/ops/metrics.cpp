#include "ops/metrics.h"

#include "ws/ws_socket.h"

#include <QDateTime>

#include <iterator>

namespace confab::server {
namespace {

void header(QByteArray& out, const char* name, const char* help, const char* type)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void sample(QByteArray& out, const char* name, const QByteArray& labels, double value)
{
    out += name;
    if (!labels.isEmpty())
        out += '{' + labels + '}';
    out += ' ';
    out += QByteArray::number(value, 'g', 12);
    out += '\n';
}

constexpr ErrorCode kCodes[] = {
    ErrorCode::BadRequest, ErrorCode::Unauthenticated, ErrorCode::InvalidCredentials, ErrorCode::Conflict,
    ErrorCode::Forbidden,  ErrorCode::NotFound,        ErrorCode::TooLarge,           ErrorCode::RateLimited,
    ErrorCode::Internal,   ErrorCode::Unavailable};

} // namespace

void LatencyHistogram::record(qint64 nanoseconds)
{
    const double seconds = double(nanoseconds) / 1e9;
    size_t bucket = 0;
    while (bucket < kBounds.size() && seconds > kBounds[bucket])
        ++bucket;
    m_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
    m_sumNanoseconds.fetch_add(quint64(qMax<qint64>(nanoseconds, 0)), std::memory_order_relaxed);
}

void LatencyHistogram::render(QByteArray& out, const char* name, const char* help) const
{
    header(out, name, help, "histogram");
    const QByteArray bucketName = QByteArray(name) + "_bucket";
    quint64 cumulative = 0;
    for (size_t i = 0; i < kBounds.size(); ++i) {
        cumulative += m_buckets[i].load(std::memory_order_relaxed);
        sample(out, bucketName.constData(), "le=\"" + QByteArray::number(kBounds[i], 'g', 6) + '"',
               double(cumulative));
    }
    cumulative += m_buckets[kBounds.size()].load(std::memory_order_relaxed);
    sample(out, bucketName.constData(), "le=\"+Inf\"", double(cumulative));
    sample(out, (QByteArray(name) + "_sum").constData(), {},
           double(m_sumNanoseconds.load(std::memory_order_relaxed)) / 1e9);
    sample(out, (QByteArray(name) + "_count").constData(), {},
           double(m_count.load(std::memory_order_relaxed)));
}

Metrics::Metrics()
{
    m_uptime.start();
}

void Metrics::countError(ErrorCode code)
{
    const size_t index = size_t(code);
    if (index < m_errors.size())
        m_errors[index].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::countRateLimited(RateLimit limit)
{
    m_rateLimited[size_t(limit)].fetch_add(1, std::memory_order_relaxed);
}

double Metrics::messagesPerSecond()
{
    const qint64 now = m_uptime.elapsed();
    const quint64 count = messagesStored.load(std::memory_order_relaxed);
    if (now - m_windowStartMs >= 10'000) {
        m_lastRate = double(count - m_windowStartCount) * 1000.0 / double(now - m_windowStartMs);
        m_windowStartMs = now;
        m_windowStartCount = count;
    }
    return m_lastRate;
}

QByteArray Metrics::render()
{
    QByteArray out;
    out.reserve(8192);
    header(out, "confab_connections", "Open WebSocket connections", "gauge");
    sample(out, "confab_connections", {}, openConnections ? double(openConnections()) : 0);
    header(out, "confab_online_users", "Users with at least one authenticated connection here", "gauge");
    sample(out, "confab_online_users", {}, onlineUsers ? double(onlineUsers()) : 0);
    header(out, "confab_handshakes_total", "WebSocket upgrades accepted", "counter");
    sample(out, "confab_handshakes_total", {}, double(handshakes.load()));
    header(out, "confab_messages_total", "Messages stored and acknowledged (retried tempIds excluded)",
           "counter");
    sample(out, "confab_messages_total", {}, double(messagesStored.load()));
    header(out, "confab_messages_per_second", "Messages stored per second over the last 10 s window",
           "gauge");
    sample(out, "confab_messages_per_second", {}, messagesPerSecond());
    header(out, "confab_deliveries_total", "Pushed event frames queued to client sockets", "counter");
    sample(out, "confab_deliveries_total", {}, double(deliveries.load()));
    header(out, "confab_socket_send_calls_total",
           "sendmsg() (or, with TLS, SSL_write()) calls writing queued frames to sockets", "counter");
    sample(out, "confab_socket_send_calls_total", {}, double(ws::ioCounters().sendCalls.load()));
    header(out, "confab_frames_written_total",
           "Frames fully written to sockets (frames per call: coalescing)", "counter");
    sample(out, "confab_frames_written_total", {}, double(ws::ioCounters().framesWritten.load()));
    header(out, "confab_socket_write_waits_total",
           "Writes that found a socket's kernel buffer full and waited for it to drain", "counter");
    sample(out, "confab_socket_write_waits_total", {}, double(ws::ioCounters().writeWaits.load()));
    header(out, "confab_tls_handshakes_total", "TLS handshakes completed", "counter");
    sample(out, "confab_tls_handshakes_total", {}, double(ws::ioCounters().tlsHandshakes.load()));
    header(out, "confab_tls_handshake_failures_total",
           "TLS handshakes refused or broken (plain HTTP, garbage, no common protocol)", "counter");
    sample(out, "confab_tls_handshake_failures_total", {},
           double(ws::ioCounters().tlsHandshakeFailures.load()));
    header(out, "confab_socket_queued_bytes", "Bytes queued for client sockets, not yet taken by the kernel",
           "gauge");
    sample(out, "confab_socket_queued_bytes", {}, queuedBytes ? double(queuedBytes()) : 0);
    header(out, "confab_socket_queued_bytes_max", "The largest queue of one client socket, in bytes",
           "gauge");
    sample(out, "confab_socket_queued_bytes_max", {}, largestQueue ? double(largestQueue()) : 0);
    header(out, "confab_socket_queue_overflows_total",
           "Connections aborted because their queue went over its cap (they stopped reading)", "counter");
    sample(out, "confab_socket_queue_overflows_total", {}, double(ws::ioCounters().queueOverflows.load()));
    header(out, "confab_socket_read_pauses_total",
           "Times a socket stopped being read: its queue above the high-water mark (output), its frame rate "
           "before sign-in (rate), its requests in flight or waiting for sign-in (requests)",
           "counter");
    sample(out, "confab_socket_read_pauses_total", "reason=\"output\"",
           double(ws::ioCounters().outputPauses.load()));
    sample(out, "confab_socket_read_pauses_total", "reason=\"rate\"",
           double(ws::ioCounters().ratePauses.load()));
    sample(out, "confab_socket_read_pauses_total", "reason=\"requests\"",
           double(ws::ioCounters().ownerPauses.load()));
    header(out, "confab_pongs_coalesced_total",
           "Pings answered by a pong already queued (RFC 6455 5.5.3): a peer pinging without reading",
           "counter");
    sample(out, "confab_pongs_coalesced_total", {}, double(ws::ioCounters().pongsCoalesced.load()));
    ackLatency.render(out, "confab_ack_latency_seconds", "From a send_message's arrival to its message_ack");
    commitLatency.render(out, "confab_db_commit_seconds", "Duration of one database COMMIT (a group commit)");
    header(out, "confab_errors_total", "Error replies sent, by code", "counter");
    for (ErrorCode code : kCodes)
        sample(out, "confab_errors_total", "code=\"" + errorCodeName(code).toLatin1() + '"',
               double(m_errors[size_t(code)].load()));
    header(out, "confab_rate_limited_total", "Requests refused by a rate limit", "counter");
    const char* limits[] = {
        "send",       "login_user",   "login_address", "register_address", "password_hashing",
        "typing",     "mark_read",    "history",       "search",           "rooms",
        "ping",       "auth",         "changes",       "attention",        "groups",
        "avatar_set", "avatar_fetch", "files"};
    static_assert(std::size(limits) == kRateLimitCount);
    for (size_t i = 0; i < m_rateLimited.size(); ++i)
        sample(out, "confab_rate_limited_total", QByteArray("limit=\"") + limits[i] + '"',
               double(m_rateLimited[i].load()));
    header(out, "confab_password_hash_queue",
           "Password hashes (login, register) admitted and waiting for a hash thread", "gauge");
    sample(out, "confab_password_hash_queue", {},
           passwordHashesWaiting ? double(passwordHashesWaiting()) : 0);
    header(out, "confab_password_hashes_total", "Password hashes run (argon2id, login and register)",
           "counter");
    sample(out, "confab_password_hashes_total", {}, passwordHashesRun ? double(passwordHashesRun()) : 0);
    header(out, "confab_handshakes_refused_total",
           "WebSocket handshakes refused before the upgrade, by reason", "counter");
    const char* refusals[] = {"origin", "address", "unauthenticated"};
    for (int i = 0; i < 3; ++i)
        sample(out, "confab_handshakes_refused_total", QByteArray("reason=\"") + refusals[i] + '"',
               refusedHandshakes ? double(refusedHandshakes(i)) : 0);
    header(out, "confab_uptime_seconds", "Seconds since the server started", "gauge");
    sample(out, "confab_uptime_seconds", {}, double(m_uptime.elapsed()) / 1000.0);
    return out;
}

} // namespace confab::server
