#pragma once

#include "protocol/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>

namespace confab::server {

// argon2id password hashing (libsodium, OWASP parameters: 19 MiB, t=2) on a
// small pool of its own, so that a burst of logins costs at most `threads`
// cores and never stalls the network thread. Results come back on the thread
// of `context` through its event loop; `context` must outlive the hasher
// (the destructor waits for running hashes).
class PasswordHasher {
public:
    explicit PasswordHasher(int threads);
    ~PasswordHasher();

    void hash(QObject* context, const QString& password, std::function<void(Result<QByteArray>)> done);
    // A null/empty hash still costs one full verification (against a fixed
    // dummy hash) so that unknown usernames are not revealed by timing.
    void verify(QObject* context, const QString& password, const QByteArray& hash,
                std::function<void(bool)> done);

    static Result<QByteArray> hashNow(const QString& password);
    static bool verifyNow(const QString& password, const QByteArray& hash);

private:
    QThreadPool m_pool;
};

// Initialises libsodium once; false if the library cannot be used.
bool initCrypto();

// 256 random bits, base64url without padding (43 characters).
QString newSessionToken();
// What is stored for a token: its SHA-256.
QByteArray tokenHash(const QString& token);

} // namespace confab::server
