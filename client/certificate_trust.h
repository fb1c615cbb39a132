#pragma once

#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QUrl>

namespace confab::client {

// Trust on first use for wss:// servers with self-signed certificates (as
// `confab-server --tls auto` makes): the first connection shows the
// certificate's fingerprint for the user to compare with the one the server
// printed; once accepted it is pinned per server, and a different one later
// is a loud warning, never a silent switch. Certificates that validate
// against the system's CAs need none of this.

// "AB:CD:…": the SHA-256 of the DER certificate in uppercase hex pairs
// joined by colons, the form confab-server prints ("tls fingerprint SHA-256 …").
QString certificateFingerprint(const QSslCertificate& certificate);
// The fingerprint in that form, from any case with or without colons or
// spaces; empty when it is not 32 bytes of hex.
QString normalizedFingerprint(const QString& text);

// Where accepted fingerprints are kept, one per server (host:port, see
// serverAuthority()). ClientSettings in the app.
class CertificatePinStore {
public:
    virtual ~CertificatePinStore() = default;
    virtual QString pinnedFingerprint(const QUrl& server) const = 0; // empty: none
    virtual void setPinnedFingerprint(const QUrl& server, const QString& fingerprint) = 0;
    virtual void forgetPinnedFingerprint(const QUrl& server) = 0;

    // The fingerprint of the certificate pinned for a server that announced
    // itself on the LAN under `name` (DiscoveredServersModel remembers it
    // when an announcement's fingerprint is the pin of its address), so that
    // another machine announcing that name later is flagged wherever it is.
    // Empty: none. The defaults remember nothing.
    virtual QString fingerprintForServerName(const QString& name) const
    {
        Q_UNUSED(name)
        return {};
    }
    virtual void setFingerprintForServerName(const QString& name, const QString& fingerprint)
    {
        Q_UNUSED(name)
        Q_UNUSED(fingerprint)
    }
};

// A certificate waiting for the user's decision.
struct PendingCertificate {
    QUrl server;
    QString fingerprint;
    QString previousFingerprint; // the pin it does not match; empty on first use
    QString subject;
    QDateTime expires;

    bool isValid() const { return !fingerprint.isEmpty(); }
    bool changed() const { return !previousFingerprint.isEmpty(); }
};

// What to do about the errors of one TLS handshake.
struct CertificateVerdict {
    enum class Kind {
        Pinned,  // the pinned certificate: ignore exactly these errors
        Unknown, // no pin yet: ask the user
        Changed, // a pin, and this is not it: warn the user
        Refused, // unusable whatever the user says (expired, revoked, …)
    };
    Kind kind = Kind::Refused;
    QString fingerprint; // of the peer's certificate
    QString reason;      // Refused: why, for people
};

// Judges `errors` (from QWebSocket::sslErrors) for the peer's leaf
// certificate against the server's pin (empty: none). Only errors that a
// self-signed or unknown-CA certificate causes can be trusted away, and only
// when each is about that very certificate; anything else is Refused.
CertificateVerdict judgeCertificate(const QList<QSslError>& errors, const QSslCertificate& peer,
                                    const QString& pinnedFingerprint);

// "CN=…" or the subject as one line, for showing.
QString certificateSubject(const QSslCertificate& certificate);

} // namespace confab::client
