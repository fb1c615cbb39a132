#include "password_hasher.h"

#include "logging.h"

#include <QCryptographicHash>
#include <QMetaObject>

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

PasswordHasher::PasswordHasher(int threads)
{
    m_pool.setMaxThreadCount(std::max(1, threads));
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

void PasswordHasher::hash(QObject* context, const QString& password,
                          std::function<void(Result<QByteArray>)> done)
{
    m_pool.start([context, password, done = std::move(done)] {
        Result<QByteArray> result = hashNow(password);
        postTo(context, [done, result] { done(result); });
    });
}

void PasswordHasher::verify(QObject* context, const QString& password, const QByteArray& hash,
                            std::function<void(bool)> done)
{
    m_pool.start([context, password, hash, done = std::move(done)] {
        const bool ok = verifyNow(password, hash);
        postTo(context, [done, ok] { done(ok); });
    });
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
