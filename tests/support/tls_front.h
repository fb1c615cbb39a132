#pragma once

#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>
#include <QWebSocketServer>

#include <optional>

namespace confab::test {

// A certificate and its key, made by the openssl CLI the way `confab-server
// --tls auto` makes its own: self-signed, EC P-256, no subjectAltName.
struct TestCertificate {
    QSslCertificate certificate;
    QSslKey key;

    // "AB:CD:…", as the server prints it.
    QString fingerprint() const;

    // Made in `dir` (files <name>.pem and <name>.key); nullopt (with the
    // reason logged) when openssl fails. `expired`: valid in January 2020 only.
    static std::optional<TestCertificate> selfSigned(const QString& dir, const QString& name,
                                                     bool expired = false);
    // A certificate for 127.0.0.1 (subjectAltName) issued by a new CA,
    // whose certificate goes to *authority: trusted once a client adds it to
    // its CAs, as a certificate from a public CA is.
    static std::optional<TestCertificate> issuedByNewCa(const QString& dir, const QString& name,
                                                        QSslCertificate* authority);
};

// A wss:// server in front of a plain ws:// one (a TestServer): a
// QWebSocketServer in SecureMode with a TestCertificate that relays every
// text frame to its own connection to the backend and back. A connection
// counts once its TLS and WebSocket handshakes are done, so a client that
// refused the certificate never shows up in accepted().
class TlsFront : public QObject {
    Q_OBJECT
public:
    explicit TlsFront(const QUrl& backend, QObject* parent = nullptr);
    ~TlsFront() override;

    // Listens on 127.0.0.1:port (0: any) with `certificate`; false on error.
    bool listen(const TestCertificate& certificate, quint16 port = 0);
    // Stops listening and drops every connection (a server going away).
    void close();
    // listen() again on the same port with another certificate.
    bool restart(const TestCertificate& certificate);

    QUrl url() const; // wss://127.0.0.1:<port>
    int accepted() const { return m_accepted; }

private:
    void onNewConnection();

    QUrl m_backend;
    quint16 m_port = 0;
    QWebSocketServer* m_server = nullptr;
    QList<QObject*> m_links; // one per client, parent of both sockets
    int m_accepted = 0;
};

} // namespace confab::test
