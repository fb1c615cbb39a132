#pragma once

#include "chat_server.h"
#include "server_config.h"
#include "test_client.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace confab::test {

// A real ChatServer in this process, listening on 127.0.0.1 with a port the
// OS picks, storing into a real database file in a temporary directory.
class TestServer {
public:
    explicit TestServer(server::ServerConfig config = defaultConfig());
    ~TestServer();

    // The config tests start from: loopback, port 0, limits as shipped.
    static server::ServerConfig defaultConfig();

    bool start();
    void stop();
    bool restart(); // same database, new port
    QUrl url() const;
    server::ChatServer& server() { return *m_server; }
    QString databasePath() const { return m_databasePath; }

    // A connected client, registered as `name` (fails the caller's QVERIFY on error).
    std::unique_ptr<TestClient> client();
    std::unique_ptr<TestClient> user(const QString& name);
    // Another connection for an existing user, authenticated with its token.
    std::unique_ptr<TestClient> secondConnection(const TestClient& of);

    server::ServerConfig config;

private:
    QTemporaryDir m_dir;
    QString m_databasePath;
    std::unique_ptr<server::ChatServer> m_server;
};

// Convenience: the payload of a room-creating reply.
qint64 createGroup(TestClient& owner, const QString& name, const QList<qint64>& members);
qint64 openDm(TestClient& a, qint64 otherUserId);
// Sends and waits for the ack; returns the message id (0 on error).
qint64 sendMessage(TestClient& sender, qint64 roomId, const QString& content, const QString& tempId = {},
                   const QJsonArray& mentions = {});

} // namespace confab::test
