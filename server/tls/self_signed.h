#pragma once

// `--tls auto`: a self-signed certificate made once and kept in the data
// directory, so that clients that pinned its fingerprint keep trusting the
// server across restarts.

#include "protocol/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>

namespace confab::server::tls {

struct PemPair {
    QByteArray certificate;
    QByteArray privateKey; // PKCS#8, unencrypted
};

// An EC P-256 key and an X.509 v3 certificate for it: random 128-bit serial,
// valid for 10 years, CN = hostname, subjectAltName DNS:hostname,
// DNS:localhost, IP:127.0.0.1 and each of `addresses`, CA:FALSE,
// keyUsage digitalSignature, extendedKeyUsage serverAuth.
Result<PemPair> makeSelfSigned(const QString& hostname, const QList<QHostAddress>& addresses);

struct CertificateFiles {
    QString certificatePath; // <dataDir>/tls/cert.pem
    QString keyPath;         // <dataDir>/tls/key.pem
    bool created = false;    // made by this call
};

// The certificate and key in <dataDir>/tls, made on first use (the directory
// 0700, the key 0600, each file written atomically); reused afterwards.
// `listenHost` goes into subjectAltName when it is a specific address.
Result<CertificateFiles> ensureSelfSigned(const QString& dataDir, const QHostAddress& listenHost);

} // namespace confab::server::tls
