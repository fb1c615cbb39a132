#pragma once

// The server's TLS configuration: one OpenSSL SSL_CTX holding the
// certificate and key, shared by every connection (ws::WsSocket makes one
// SSL session per connection from it).

#include "protocol/result.h"

#include <QString>

#include <memory>

struct ssl_ctx_st;
struct ssl_st;

namespace confab::server::tls {

class TlsContext {
public:
    // Loads a PEM certificate (chain) and its PEM private key. Fails with a
    // message naming the file when either is unreadable or invalid, or when
    // the key does not belong to the certificate.
    static Result<std::shared_ptr<TlsContext>> fromPemFiles(const QString& certificatePath,
                                                            const QString& keyPath);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    // A server-side session on the connected, non-blocking descriptor `fd`
    // (the caller owns it and frees it with SSL_free), or nullptr.
    ssl_st* newSession(int fd) const;

    // SHA-256 of the leaf certificate's DER, as uppercase hex pairs joined by
    // colons ("AB:CD:..."): what clients compare or pin.
    QString fingerprint() const { return m_fingerprint; }

private:
    TlsContext() = default;

    ssl_ctx_st* m_context = nullptr;
    QString m_fingerprint;
};

// "AB:CD:..." for these bytes (the format of TlsContext::fingerprint()).
QString colonHex(const unsigned char* bytes, int length);

} // namespace confab::server::tls
