#pragma once

#include <QHostAddress>
#include <QTcpServer>

namespace confab::server {

class Metrics;
class StoreExecutor;

// The operations port: plain HTTP on its own listener, bound to localhost
// by default, apart from the chat port so that it is never exposed with it.
//   GET /metrics  the Prometheus text format (Metrics::render)
//   GET /healthz  200 when the database answers a trivial job within 2 s,
//                 503 otherwise; a small JSON body says why (and carries
//                 the TLS certificate's fingerprint when TLS is on)
class OpsServer : public QObject {
    Q_OBJECT
public:
    // `store` answers /healthz (a trivial job on the writer, as a client's write would run).
    OpsServer(StoreExecutor& store, Metrics& metrics, QObject* parent = nullptr);

    bool listen(const QHostAddress& address, quint16 port);
    QString errorString() const { return m_server.errorString(); }
    quint16 port() const { return m_server.serverPort(); }
    // Shown in /healthz as "tlsFingerprint" when TLS is on.
    void setTlsFingerprint(const QString& fingerprint) { m_tlsFingerprint = fingerprint; }

private:
    void onConnection();
    void respond(QTcpSocket* socket, const QByteArray& head);
    void answerHealth(QTcpSocket* socket);

    StoreExecutor& m_store;
    Metrics& m_metrics;
    QTcpServer m_server;
    QString m_tlsFingerprint;
};

// "HTTP/1.1 <status>" with the body, closing the connection after it.
QByteArray httpResponse(const QByteArray& status, const QByteArray& contentType, const QByteArray& body);

} // namespace confab::server
