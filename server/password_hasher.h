#pragma once

#include "protocol/result.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <deque>
#include <functional>

namespace confab::server {

// Who a password hash is for: the bounds and the round robin are per
// connection (Connection::serial()) and per peer address.
struct HashClient {
    quint64 connection = 0;
    QString address;
};

// argon2id password hashing (libsodium, OWASP parameters: 19 MiB, t=2) on a
// small pool of its own, so that a burst of logins costs at most `threads`
// cores and never stalls the network thread.
//
// The pool is a shared, scarce resource (~60 ms of a core per hash), so work
// reaches it only through a bounded queue kept here, on the thread that made
// the hasher (the network thread), where every method must be called:
// - admit() reserves a place before any other work is done for the request.
//   It refuses when the client's connection or address already has its
//   share admitted (queued or running), or when the queue is full; the
//   caller answers rate_limited with the retryAfterMs it gives.
// - hash()/verify() hand the reserved place its work; release() gives it back
//   unused. Work is started round robin: the addresses with work in turn,
//   within an address its connections in turn, within a connection in order.
//   So a flood from one connection or address gets one hash in (number of
//   clients with work), and a user elsewhere waits for at most one hash per
//   other client ahead of them.
// - dropConnection(): a closed connection's queued work is dropped unrun.
// Completions run on the hasher's thread through its event loop; those of a
// dropped ticket never run.
class PasswordHasher {
public:
    struct Limits {
        int threads = 2;
        int queue = 64;        // admitted and not yet running, server-wide
        int perConnection = 2; // admitted and not finished, per connection
        int perAddress = 8;    // admitted and not finished, per peer address
    };
    enum class Refusal { None, Connection, Address, Queue };
    struct Admission {
        quint64 ticket = 0; // 0 when refused
        Refusal refusal = Refusal::None;
        qint64 retryAfterMs = 0;
        explicit operator bool() const { return ticket != 0; }
    };

    explicit PasswordHasher(const Limits& limits);
    ~PasswordHasher(); // waits for running hashes; no completion runs after it

    Admission admit(const HashClient& client);
    void hash(quint64 ticket, const QString& password, std::function<void(Result<QByteArray>)> done);
    // A null/empty hash still costs one full verification (against a fixed
    // dummy hash) so that unknown usernames are not revealed by timing.
    void verify(quint64 ticket, const QString& password, const QByteArray& hash,
                std::function<void(bool)> done);
    void release(quint64 ticket);
    void dropConnection(quint64 connection);

    const Limits& limits() const { return m_limits; }
    int waiting() const { return m_waiting; } // admitted, not running
    int running() const { return m_running; }
    quint64 started() const { return m_started; } // hashes run since start

    static Result<QByteArray> hashNow(const QString& password);
    static bool verifyNow(const QString& password, const QByteArray& hash);

private:
    // Runs on a pool thread; returns what then runs here.
    using Work = std::function<std::function<void()>()>;
    struct Ticket {
        HashClient client;
        Work work;
        bool running = false;
        bool dropped = false; // its connection closed while it ran
    };

    void submit(quint64 ticket, Work work);
    void pump();
    bool takeNext(quint64* ticket);
    void finished(quint64 ticket, qint64 elapsedMs, const std::function<void()>& completion);
    // Releases the ticket's place in the bounds; the next ticket.
    QHash<quint64, Ticket>::iterator forget(QHash<quint64, Ticket>::iterator it);
    qint64 estimatedWaitMs() const;

    const Limits m_limits;
    QHash<quint64, Ticket> m_tickets;
    QHash<quint64, int> m_perConnection;
    QHash<QString, int> m_perAddress;
    // Work ready to start: addresses in turn, their connections in turn,
    // each connection's tickets in order.
    std::deque<QString> m_addressTurns;
    QHash<QString, std::deque<quint64>> m_connectionTurns;
    QHash<quint64, std::deque<quint64>> m_ready;
    quint64 m_nextTicket = 1;
    int m_waiting = 0;
    int m_running = 0;
    quint64 m_started = 0;
    double m_averageMs = 100; // of recent hashes, for retryAfterMs

    QObject m_context; // completions are posted to it
    QThreadPool m_pool;
};

// Initialises libsodium once; false if the library cannot be used.
bool initCrypto();

// 256 random bits, base64url without padding (43 characters).
QString newSessionToken();
// What is stored for a token: its SHA-256.
QByteArray tokenHash(const QString& token);

} // namespace confab::server
