#pragma once

#include "chat_server.h"
#include "scratch_postgres.h"
#include "server_config.h"
#include "test_client.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace confab::test {

// A real ChatServer in this process, listening on 127.0.0.1 with a port the
// OS picks, storing into a real database of the backend under test: a SQLite
// file in a temporary directory, or with CONFAB_TEST_BACKEND=postgresql (the
// *_pg ctest entries) a fresh database on the test cluster, dropped with the
// TestServer. A config with its own databaseUrl keeps it.
class TestServer {
public:
    explicit TestServer(server::ServerConfig config = defaultConfig());
    ~TestServer();

    // The config tests start from: loopback, port 0, limits as shipped.
    static server::ServerConfig defaultConfig();
    // defaultConfig() without the per-user send limit: suites that pipeline sends.
    static server::ServerConfig fastSendersConfig();
    // True when this run's server suites are on PostgreSQL.
    static bool usesPostgres();

    // False (with the reason logged) when the server or its database did not come up.
    bool start();
    void stop();
    bool restart(); // same database, new port
    QUrl url() const;
    server::ChatServer& server() { return *m_server; }
    // The --db URL the server stores into (sqlite:... or postgresql://...).
    QString databaseUrl() const { return config.databaseUrl; }
    // The SQLite file; empty on PostgreSQL.
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
    std::unique_ptr<ScratchPostgres> m_postgres;
    std::unique_ptr<server::ChatServer> m_server;
};

// Opens a connection named `connectionName` to a test database URL (sqlite:
// or postgresql://), for tests that look at what the server stored.
QSqlDatabase openTestDatabase(const QString& url, const QString& connectionName);

// A client on `url` registered as `name` (nullptr on any error).
std::unique_ptr<TestClient> signUpAt(const QUrl& url, const QString& name);
// Another connection of the same user on `url`, authenticated with its token
// (nullptr on any error).
std::unique_ptr<TestClient> connectAs(const QUrl& url, const TestClient& of);

// Convenience: the payload of a room-creating reply.
qint64 createGroup(TestClient& owner, const QString& name, const QList<qint64>& members);
qint64 openDm(TestClient& a, qint64 otherUserId);
// Sends and waits for the ack; returns the message id (0 on error).
qint64 sendMessage(TestClient& sender, qint64 roomId, const QString& content, const QString& tempId = {},
                   const QJsonArray& mentions = {});

} // namespace confab::test

// In a server suite's initTestCase(): on the PostgreSQL run without a test
// cluster, fail (CONFAB_REQUIRE_POSTGRES=1, as in CI) or skip loudly.
#define CONFAB_REQUIRE_TEST_BACKEND()                                                                        \
    do {                                                                                                     \
        if (confab::test::TestServer::usesPostgres())                                                        \
            CONFAB_REQUIRE_POSTGRES();                                                                       \
    } while (false)
