#include "tls/tls_context.h"

#include <QFile>
#include <QFileInfo>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <csignal>

namespace confab::server::tls {
namespace {

// OpenSSL's queued error, as text ("" when none); clears the queue.
QString openSslError()
{
    QString text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (text.isEmpty())
            text = QString::fromLatin1(buffer);
    }
    return text;
}

Error loadError(const QString& what, const QString& path)
{
    const QString why = openSslError();
    return makeError(
        ErrorCode::BadRequest,
        QStringLiteral("%1 %2%3").arg(what, path, why.isEmpty() ? QString() : QStringLiteral(": ") + why));
}

// A key file protected by a passphrase must fail, not prompt on the terminal.
int noPassphrase(char*, int, int, void*)
{
    return 0;
}

} // namespace

QString colonHex(const unsigned char* bytes, int length)
{
    QString text;
    text.reserve(length * 3);
    for (int i = 0; i < length; ++i) {
        if (i > 0)
            text += QLatin1Char(':');
        text += QStringLiteral("%1").arg(uint(bytes[i]), 2, 16, QLatin1Char('0')).toUpper();
    }
    return text;
}

Result<std::shared_ptr<TlsContext>> TlsContext::fromPemFiles(const QString& certificatePath,
                                                             const QString& keyPath)
{
    for (const QString& path : {certificatePath, keyPath}) {
        if (!QFileInfo(path).isReadable())
            return makeError(ErrorCode::BadRequest, QStringLiteral("cannot read the TLS file %1").arg(path));
    }
    // TLS sessions write to the descriptor with write(), not send(MSG_NOSIGNAL):
    // a peer that resets the connection must not kill the server with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    ERR_clear_error();

    std::shared_ptr<TlsContext> result(new TlsContext);
    SSL_CTX* context = SSL_CTX_new(TLS_server_method());
    if (!context)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot create a TLS context: %1").arg(openSslError()));
    result->m_context = context;

    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                     SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
    // TLS 1.2: forward secrecy and AEAD only (TLS 1.3's suites are all of that kind).
    SSL_CTX_set_cipher_list(context, "ECDHE+AESGCM:ECDHE+CHACHA20");
    // Partial writes and a moving buffer: WsSocket writes from its queue and
    // may retry a WANT_WRITE with the same bytes at another address. Released
    // buffers: an idle connection does not hold ~34 KB of record buffers.
    SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                  SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_num_tickets(context, 0); // every handshake is a full one: no ticket keys to rotate
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_default_passwd_cb(context, noPassphrase);

    if (SSL_CTX_use_certificate_chain_file(context, QFile::encodeName(certificatePath).constData()) != 1)
        return loadError(QStringLiteral("not a PEM certificate:"), certificatePath);
    if (SSL_CTX_use_PrivateKey_file(context, QFile::encodeName(keyPath).constData(), SSL_FILETYPE_PEM) != 1) {
        // OpenSSL compares the key with the certificate as it loads it.
        if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
            return loadError(QStringLiteral("the TLS key does not belong to the certificate; key:"), keyPath);
        return loadError(QStringLiteral("not an unencrypted PEM private key:"), keyPath);
    }
    if (SSL_CTX_check_private_key(context) != 1)
        return loadError(QStringLiteral("the TLS key does not belong to the certificate; key:"), keyPath);

    X509* leaf = SSL_CTX_get0_certificate(context);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    if (!leaf || X509_digest(leaf, EVP_sha256(), digest, &digestLength) != 1)
        return loadError(QStringLiteral("cannot fingerprint the certificate"), certificatePath);
    result->m_fingerprint = colonHex(digest, int(digestLength));
    return result;
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

ssl_st* TlsContext::newSession(int fd) const
{
    SSL* session = SSL_new(m_context);
    if (!session)
        return nullptr;
    if (SSL_set_fd(session, fd) != 1) {
        SSL_free(session);
        return nullptr;
    }
    SSL_set_accept_state(session);
    return session;
}

} // namespace confab::server::tls
