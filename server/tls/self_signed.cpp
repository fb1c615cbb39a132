#include "tls/self_signed.h"

#include "base/private_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QSaveFile>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace confab::server::tls {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

Error failure(const char* what)
{
    char buffer[256] = "unknown error";
    if (const unsigned long code = ERR_get_error())
        ERR_error_string_n(code, buffer, sizeof buffer);
    ERR_clear_error();
    return makeError(
        ErrorCode::Internal,
        QStringLiteral("cannot make a certificate (%1): %2").arg(QLatin1String(what), QLatin1String(buffer)));
}

bool addExtension(X509* certificate, int nid, const QByteArray& value)
{
    X509V3_CTX context;
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData());
    if (!extension)
        return false;
    const bool added = X509_add_ext(certificate, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

QByteArray bioBytes(BIO* bio)
{
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(length));
}

// A host name fit for the certificate (and for OpenSSL's "DNS:a,DNS:b" syntax).
QString dnsName(const QString& hostname)
{
    QString name;
    for (const QChar c : hostname) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            name += c.toLower();
        else if (c == QLatin1Char('-') || c == QLatin1Char('.'))
            name += c;
    }
    return name.isEmpty() || name.size() > 253 ? QStringLiteral("localhost") : name;
}

Result<void> writeAtomically(const QString& path, const QByteArray& bytes,
                             QFileDevice::Permissions permissions)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(permissions) ||
        file.write(bytes) != bytes.size() || !file.commit())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace

Result<PemPair> makeSelfSigned(const QString& hostname, const QList<QHostAddress>& addresses)
{
    ERR_clear_error();
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key)
        return failure("EC P-256 key");
    CertPtr certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), 2) != 1) // 2 means v3
        return failure("X509_new");

    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return failure("random serial");
    serial[0] &= 0x7f; // a positive INTEGER in 16 bytes
    serial[0] |= 0x40; // and never a shorter one
    BignumPtr serialNumber(BN_bin2bn(serial, sizeof serial, nullptr));
    if (!serialNumber || !BN_to_ASN1_INTEGER(serialNumber.get(), X509_get_serialNumber(certificate.get())))
        return failure("serial");

    // An hour back: a client whose clock is a little behind accepts it at once.
    if (!X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600) ||
        !X509_time_adj_ex(X509_getm_notAfter(certificate.get()), 3650, 0, nullptr))
        return failure("validity");
    if (X509_set_pubkey(certificate.get(), key.get()) != 1)
        return failure("public key");

    const QString name = dnsName(hostname);
    X509_NAME* subject = X509_get_subject_name(certificate.get());
    const QByteArray commonName = name.toUtf8();
    if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(commonName.constData()),
                                   int(commonName.size()), -1, 0) != 1 ||
        X509_set_issuer_name(certificate.get(), subject) != 1)
        return failure("subject");

    QByteArray altNames = "DNS:" + commonName;
    if (name != QLatin1String("localhost"))
        altNames += ",DNS:localhost";
    altNames += ",IP:127.0.0.1";
    for (const QHostAddress& address : addresses) {
        if (!address.isNull() && address != QHostAddress(QHostAddress::LocalHost))
            altNames += ",IP:" + address.toString().toLatin1();
    }
    if (!addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(certificate.get(), NID_key_usage, "critical,digitalSignature") ||
        !addExtension(certificate.get(), NID_ext_key_usage, "serverAuth") ||
        !addExtension(certificate.get(), NID_subject_key_identifier, "hash") ||
        !addExtension(certificate.get(), NID_subject_alt_name, altNames))
        return failure("extensions");
    if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0)
        return failure("signature");

    BioPtr certificatePem(BIO_new(BIO_s_mem()));
    BioPtr keyPem(BIO_new(BIO_s_mem()));
    if (!certificatePem || !keyPem || PEM_write_bio_X509(certificatePem.get(), certificate.get()) != 1 ||
        PEM_write_bio_PrivateKey(keyPem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return failure("PEM");
    return PemPair{bioBytes(certificatePem.get()), bioBytes(keyPem.get())};
}

Result<CertificateFiles> ensureSelfSigned(const QString& dataDir, const QHostAddress& listenHost)
{
    const QString dir = QDir(dataDir).filePath(QStringLiteral("tls"));
    CertificateFiles files;
    files.certificatePath = QDir(dir).filePath(QStringLiteral("cert.pem"));
    files.keyPath = QDir(dir).filePath(QStringLiteral("key.pem"));
    const bool haveCertificate = QFileInfo::exists(files.certificatePath);
    const bool haveKey = QFileInfo::exists(files.keyPath);
    if (haveCertificate && haveKey)
        return files;
    // A key alone is what an interrupted first start leaves (the key is
    // written first): made again. A certificate alone is someone's own.
    if (haveCertificate && !haveKey)
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("%1 is there without %2: restore the key, or remove the certificate to "
                           "make a new self-signed one")
                .arg(files.certificatePath, files.keyPath));

    // The data directory too, when this makes it: for the server's user only.
    if (!files::makePrivateDirectory(dir) ||
        !QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot create the directory %1").arg(dir));
    const bool specific = !listenHost.isNull() && listenHost != QHostAddress(QHostAddress::Any) &&
                          listenHost != QHostAddress(QHostAddress::AnyIPv4) &&
                          listenHost != QHostAddress(QHostAddress::AnyIPv6);
    auto pem = makeSelfSigned(QHostInfo::localHostName(),
                              specific ? QList<QHostAddress>{listenHost} : QList<QHostAddress>{});
    if (!pem)
        return pem.error();
    // The key first: a certificate on disk always has its key beside it.
    if (auto written =
            writeAtomically(files.keyPath, pem->privateKey, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        !written)
        return written.error();
    if (auto written = writeAtomically(files.certificatePath, pem->certificate,
                                       QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                           QFileDevice::ReadGroup | QFileDevice::ReadOther);
        !written)
        return written.error();
    files.created = true;
    return files;
}

} // namespace confab::server::tls
