#pragma once

#include "connection_gate.h"
#include "handlers/dispatcher.h"
#include "hub.h"
#include "ops/ops_server.h"
#include "server_config.h"

#include <QLockFile>
#include <QObject>
#include <QUrl>

#include "ws/ws_server.h"

#include <memory>

namespace confab::server {

class Connection;

// The WebSocket front of the server: accepts connections, applies the
// handshake token, enforces the authentication deadline and hands every
// frame to the dispatcher. Everything runs on the thread that owns it;
// database work happens on the store thread (see StoreExecutor).
class ChatServer : public QObject {
    Q_OBJECT
public:
    explicit ChatServer(const ServerConfig& config, QObject* parent = nullptr);
    ~ChatServer() override;

    // Opens the database (migrating it) and starts listening. Errors say what
    // to fix (bad --db, missing driver, port in use).
    Result<void> start();
    // Stops accepting, closes every connection and finishes database work.
    void stop();

    // ws://host:port, or wss://host:port when TLS is on.
    QUrl serverUrl() const;
    quint16 port() const;
    // SHA-256 of the served certificate's DER as "AB:CD:..." (uppercase hex,
    // colon-separated); empty without TLS. Clients compare or pin it.
    QString tlsFingerprint() const { return m_tlsFingerprint; }
    // The /metrics and /healthz port (0 when --ops-port is off).
    quint16 opsPort() const { return m_ops ? m_ops->port() : 0; }
    int connectionCount() const { return m_connectionCount; }
    // Connections open and not signed in (the gate's unauthenticated cap).
    int unauthenticatedCount() const;
    const ConnectionGate& gate() const { return m_gate; }
    Hub* hub() const { return m_hub.get(); }

private:
    void onConnection(Connection* connection);
    // Bytes queued for every client socket (or the largest queue), for /metrics.
    qint64 queuedBytes(bool largest) const;
    Result<void> setUpTls();
    Result<void> startOps();
    Result<void> lockSqliteDatabase(const DatabaseUrl& url);

    ServerConfig m_config;
    ws::WsServer m_server;
    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<OpsServer> m_ops;
    int m_connectionCount = 0;
    QString m_tlsFingerprint;
    ConnectionGate m_gate; // issue 12: Origin, connections per address, unauthenticated ones
    std::unique_ptr<QLockFile> m_sqliteLock; // issue 12: one server per SQLite database
};

} // namespace confab::server
