#include "password_hasher.h"

#include "base/logging.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QMetaObject>

#include <algorithm>
#include <cmath>

#include <sodium.h>

namespace confab::server {
namespace {

constexpr unsigned long long kOpsLimit = 2;            // OWASP: t=2
constexpr size_t kMemLimit = size_t(19) * 1024 * 1024; // OWASP: m=19 MiB

const QByteArray& dummyHash()
{
    static const QByteArray hash = [] {
        auto r = PasswordHasher::hashNow(QStringLiteral("confab-timing-equaliser"));
        return r.ok() ? r.value() : QByteArray();
    }();
    return hash;
}

template <typename Fn>
void postTo(QObject* context, Fn fn)
{
    QMetaObject::invokeMethod(context, std::move(fn), Qt::QueuedConnection);
}

} // namespace

bool initCrypto()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

PasswordHasher::PasswordHasher(const Limits& limits)
    : m_limits{std::max(1, limits.threads), std::max(0, limits.queue), std::max(1, limits.perConnection),
               std::max(1, limits.perAddress)}
{
    m_pool.setMaxThreadCount(m_limits.threads);
    m_pool.setObjectName(QStringLiteral("confab-hash"));
}

PasswordHasher::~PasswordHasher()
{
    m_pool.waitForDone();
}

Result<QByteArray> PasswordHasher::hashNow(const QString& password)
{
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.constData(), quint64(utf8.size()), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        qCWarning(lcAuth) << "argon2id hashing failed (out of memory?)";
        return makeError(ErrorCode::Internal, QStringLiteral("could not hash the password"));
    }
    return QByteArray(out);
}

bool PasswordHasher::verifyNow(const QString& password, const QByteArray& hash)
{
    const QByteArray utf8 = password.toUtf8();
    const bool real = !hash.isEmpty();
    const QByteArray& stored = real ? hash : dummyHash();
    if (stored.isEmpty())
        return false;
    const QByteArray terminated = stored + '\0';
    const bool match =
        crypto_pwhash_str_verify(terminated.constData(), utf8.constData(), quint64(utf8.size())) == 0;
    return real && match;
}

PasswordHasher::Admission PasswordHasher::admit(const HashClient& client)
{
    Admission refused;
    if (m_perConnection.value(client.connection) >= m_limits.perConnection)
        refused.refusal = Refusal::Connection;
    else if (m_perAddress.value(client.address) >= m_limits.perAddress)
        refused.refusal = Refusal::Address;
    else if (m_waiting >= m_limits.queue)
        refused.refusal = Refusal::Queue;
    if (refused.refusal != Refusal::None) {
        refused.retryAfterMs = estimatedWaitMs();
        return refused;
    }
    const quint64 ticket = m_nextTicket++;
    m_tickets.insert(ticket, Ticket{client, {}, false, false});
    ++m_perConnection[client.connection];
    ++m_perAddress[client.address];
    ++m_waiting;
    return {ticket, Refusal::None, 0};
}

void PasswordHasher::hash(quint64 ticket, const QString& password,
                          std::function<void(Result<QByteArray>)> done)
{
    submit(ticket, [password, done = std::move(done)]() -> std::function<void()> {
        Result<QByteArray> result = hashNow(password);
        return [done, result] { done(result); };
    });
}

void PasswordHasher::verify(quint64 ticket, const QString& password, const QByteArray& hash,
                            std::function<void(bool)> done)
{
    submit(ticket, [password, hash, done = std::move(done)]() -> std::function<void()> {
        const bool ok = verifyNow(password, hash);
        return [done, ok] { done(ok); };
    });
}

void PasswordHasher::submit(quint64 ticket, Work work)
{
    const auto it = m_tickets.find(ticket);
    if (it == m_tickets.end() || it->work || it->running)
        return; // dropped with its connection meanwhile (or misused): nothing to run
    it->work = std::move(work);
    const HashClient& client = it->client;
    std::deque<quint64>& mine = m_ready[client.connection];
    if (mine.empty()) {
        std::deque<quint64>& connections = m_connectionTurns[client.address];
        if (connections.empty())
            m_addressTurns.push_back(client.address);
        connections.push_back(client.connection);
    }
    mine.push_back(ticket);
    pump();
}

bool PasswordHasher::takeNext(quint64* ticket)
{
    if (m_addressTurns.empty())
        return false;
    const QString address = m_addressTurns.front();
    m_addressTurns.pop_front();
    std::deque<quint64>& connections = m_connectionTurns[address];
    const quint64 connection = connections.front();
    connections.pop_front();
    std::deque<quint64>& mine = m_ready[connection];
    *ticket = mine.front();
    mine.pop_front();
    // Whoever still has work goes to the back of the line.
    if (mine.empty())
        m_ready.remove(connection);
    else
        connections.push_back(connection);
    if (connections.empty())
        m_connectionTurns.remove(address);
    else
        m_addressTurns.push_back(address);
    return true;
}

void PasswordHasher::pump()
{
    quint64 ticket = 0;
    while (m_running < m_limits.threads && takeNext(&ticket)) {
        Ticket& t = m_tickets[ticket];
        t.running = true;
        --m_waiting;
        ++m_running;
        ++m_started;
        Work work = std::move(t.work);
        m_pool.start([this, ticket, work = std::move(work)] {
            QElapsedTimer timer;
            timer.start();
            std::function<void()> completion = work();
            const qint64 elapsed = timer.elapsed();
            postTo(&m_context, [this, ticket, elapsed, completion = std::move(completion)] {
                finished(ticket, elapsed, completion);
            });
        });
    }
}

void PasswordHasher::finished(quint64 ticket, qint64 elapsedMs, const std::function<void()>& completion)
{
    --m_running;
    m_averageMs = 0.8 * m_averageMs + 0.2 * double(elapsedMs);
    const auto it = m_tickets.find(ticket);
    const bool dropped = it == m_tickets.end() || it->dropped;
    if (it != m_tickets.end())
        forget(it);
    pump(); // the next one starts before this completion's own work
    if (!dropped)
        completion();
}

QHash<quint64, PasswordHasher::Ticket>::iterator PasswordHasher::forget(QHash<quint64, Ticket>::iterator it)
{
    const HashClient client = it->client;
    if (--m_perConnection[client.connection] <= 0)
        m_perConnection.remove(client.connection);
    if (--m_perAddress[client.address] <= 0)
        m_perAddress.remove(client.address);
    return m_tickets.erase(it);
}

void PasswordHasher::release(quint64 ticket)
{
    const auto it = m_tickets.find(ticket);
    if (it == m_tickets.end() || it->running || it->work)
        return; // only an admitted place that never got work is given back here
    --m_waiting;
    forget(it);
}

void PasswordHasher::dropConnection(quint64 connection)
{
    // Ready work leaves the turns; then every ticket of the connection goes.
    if (m_ready.remove(connection)) {
        for (auto a = m_connectionTurns.begin(); a != m_connectionTurns.end();) {
            std::deque<quint64>& connections = a.value();
            connections.erase(std::remove(connections.begin(), connections.end(), connection),
                              connections.end());
            if (connections.empty()) {
                m_addressTurns.erase(std::remove(m_addressTurns.begin(), m_addressTurns.end(), a.key()),
                                     m_addressTurns.end());
                a = m_connectionTurns.erase(a);
            } else {
                ++a;
            }
        }
    }
    for (auto it = m_tickets.begin(); it != m_tickets.end();) {
        if (it->client.connection != connection) {
            ++it;
        } else if (it->running) {
            it->dropped = true; // counted until its thread is free again
            ++it;
        } else {
            --m_waiting;
            it = forget(it);
        }
    }
}

qint64 PasswordHasher::estimatedWaitMs() const
{
    // Until what is admitted now has run, spread over the threads.
    const double hashes = double(m_waiting + m_running) / double(m_limits.threads);
    return std::clamp<qint64>(qint64(std::ceil(std::max(1.0, hashes) * m_averageMs)), 1, 60'000);
}

QString newSessionToken()
{
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(bytes), sizeof bytes)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray tokenHash(const QString& token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

} // namespace confab::server
