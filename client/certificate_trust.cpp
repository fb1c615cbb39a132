#include "certificate_trust.h"

#include <QCryptographicHash>
#include <QRegularExpression>

namespace confab::client {

namespace {

// The errors an otherwise sound certificate gets only because no system CA
// vouches for it (or it names no host we asked for, as a self-signed
// certificate made for a LAN server does not). The pin vouches instead.
bool isTrustableByPin(QSslError::SslError error)
{
    switch (error) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::HostNameMismatch:
        return true;
    default:
        return false;
    }
}

CertificateVerdict refused(const QString& fingerprint, const QString& reason)
{
    return {CertificateVerdict::Kind::Refused, fingerprint, reason};
}

} // namespace

QString certificateFingerprint(const QSslCertificate& certificate)
{
    if (certificate.isNull())
        return {};
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QString normalizedFingerprint(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s:]"));
    QString hex = text;
    hex.remove(separators);
    const QByteArray bytes = QByteArray::fromHex(hex.toLatin1());
    static const QRegularExpression hexOnly(QStringLiteral("^[0-9A-Fa-f]{64}$"));
    if (!hexOnly.match(hex).hasMatch() || bytes.size() != 32)
        return {};
    return QString::fromLatin1(bytes.toHex(':').toUpper());
}

CertificateVerdict judgeCertificate(const QList<QSslError>& errors, const QSslCertificate& peer,
                                    const QString& pinnedFingerprint)
{
    const QString fingerprint = certificateFingerprint(peer);
    if (peer.isNull())
        return refused(fingerprint, QStringLiteral("the server sent no certificate"));
    for (const QSslError& error : errors) {
        if (!isTrustableByPin(error.error()))
            return refused(fingerprint, error.errorString());
        // An allowed kind of error about some other certificate (a chain
        // member) is not covered by a pin of the leaf.
        if (error.certificate() != peer)
            return refused(fingerprint, QStringLiteral("%1 (about a certificate other than the server's own)")
                                            .arg(error.errorString()));
    }
    const QString pin = normalizedFingerprint(pinnedFingerprint);
    if (pin.isEmpty())
        return {CertificateVerdict::Kind::Unknown, fingerprint, {}};
    if (pin == fingerprint)
        return {CertificateVerdict::Kind::Pinned, fingerprint, {}};
    return {CertificateVerdict::Kind::Changed, fingerprint, {}};
}

QString certificateSubject(const QSslCertificate& certificate)
{
    const QStringList names = certificate.subjectInfo(QSslCertificate::CommonName);
    if (!names.isEmpty())
        return names.join(QStringLiteral(", "));
    return certificate.subjectDisplayName();
}

} // namespace confab::client
