#include "test_server.h"

#include "store/database_url.h"
#include "store/postgres_connection.h"

#include <QJsonArray>
#include <QSqlError>
#include <QTest>
#include <QUuid>

namespace confab::test {

server::ServerConfig TestServer::defaultConfig()
{
    server::ServerConfig c;
    c.host = QHostAddress::LocalHost;
    c.port = 0;
    return c;
}

server::ServerConfig TestServer::fastSendersConfig()
{
    server::ServerConfig c = defaultConfig();
    c.sendBurst = 100000;
    c.sendRatePerSecond = 100000;
    return c;
}

bool TestServer::usesPostgres()
{
    return qEnvironmentVariable("CONFAB_TEST_BACKEND") == QLatin1String("postgresql");
}

TestServer::TestServer(server::ServerConfig cfg)
    : config(std::move(cfg))
{
    if (!config.databaseUrl.isEmpty())
        return;
    if (usesPostgres()) {
        // Never fall back to SQLite: without a database start() fails.
        m_postgres = std::make_unique<ScratchPostgres>();
        config.databaseUrl = m_postgres->url();
        return;
    }
    m_databasePath = m_dir.filePath(QStringLiteral("confab-test.db"));
    config.databaseUrl = QStringLiteral("sqlite:") + m_databasePath;
}

TestServer::~TestServer()
{
    stop();
}

bool TestServer::start()
{
    if (m_postgres && !m_postgres->isValid()) {
        qWarning("TestServer: no PostgreSQL database: %s", qPrintable(m_postgres->error()));
        return false;
    }
    m_server = std::make_unique<server::ChatServer>(config);
    auto started = m_server->start();
    if (!started) {
        qWarning("TestServer: %s", qPrintable(started.error().message));
        m_server.reset();
        return false;
    }
    return true;
}

void TestServer::stop()
{
    if (m_server) {
        m_server->stop();
        m_server.reset();
    }
}

bool TestServer::restart()
{
    stop();
    return start();
}

QUrl TestServer::url() const
{
    return m_server ? m_server->serverUrl() : QUrl();
}

std::unique_ptr<TestClient> TestServer::client()
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(url()))
        qWarning("TestServer: could not connect to %s", qPrintable(url().toString()));
    return c;
}

std::unique_ptr<TestClient> TestServer::user(const QString& name)
{
    auto c = client();
    if (!c->signUp(name))
        return nullptr;
    return c;
}

std::unique_ptr<TestClient> TestServer::secondConnection(const TestClient& of)
{
    return connectAs(url(), of);
}

std::unique_ptr<TestClient> signUpAt(const QUrl& url, const QString& name)
{
    auto client = std::make_unique<TestClient>();
    if (!client->open(url) || !client->signUp(name))
        return nullptr;
    return client;
}

std::unique_ptr<TestClient> connectAs(const QUrl& url, const TestClient& of)
{
    auto c = std::make_unique<TestClient>();
    if (!c->open(url))
        return nullptr;
    const QJsonObject reply = c->request(QStringLiteral("auth"), {{QStringLiteral("token"), of.token}});
    if (typeOf(reply) != QLatin1String("auth_ok"))
        return nullptr;
    c->token = of.token;
    c->userId = of.userId;
    c->username = of.username;
    return c;
}

QSqlDatabase openTestDatabase(const QString& url, const QString& connectionName)
{
    const auto parsed = server::DatabaseUrl::parse(url);
    if (!parsed) {
        qWarning("openTestDatabase: %s", qPrintable(parsed.error().message));
        return {};
    }
    QSqlDatabase db;
    if (parsed->kind == server::DatabaseUrl::Kind::Sqlite) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(parsed->sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        server::configurePostgresConnection(db, parsed.value(), 5, QStringLiteral("confab-tests"));
    }
    if (!db.open())
        qWarning("openTestDatabase: %s", qPrintable(db.lastError().text()));
    return db;
}

qint64 createGroup(TestClient& owner, const QString& name, const QList<qint64>& members)
{
    QJsonArray ids;
    for (qint64 m : members)
        ids.append(double(m));
    const QJsonObject reply = owner.request(
        QStringLiteral("create_room"), {{QStringLiteral("name"), name}, {QStringLiteral("memberIds"), ids}});
    if (typeOf(reply) != QLatin1String("room"))
        return 0;
    return idOf(payloadOf(reply).value(QLatin1String("room")).toObject().value(QLatin1String("id")));
}

qint64 openDm(TestClient& a, qint64 otherUserId)
{
    const QJsonObject reply =
        a.request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), double(otherUserId)}});
    if (typeOf(reply) != QLatin1String("room"))
        return 0;
    return idOf(payloadOf(reply).value(QLatin1String("room")).toObject().value(QLatin1String("id")));
}

qint64 sendMessage(TestClient& sender, qint64 roomId, const QString& content, const QString& tempId,
                   const QJsonArray& mentions)
{
    const QString temp = tempId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : tempId;
    QJsonObject payload{{QStringLiteral("roomId"), double(roomId)},
                        {QStringLiteral("content"), content},
                        {QStringLiteral("tempId"), temp}};
    if (!mentions.isEmpty())
        payload.insert(QStringLiteral("mentions"), mentions);
    const QJsonObject reply = sender.request(QStringLiteral("send_message"), payload);
    if (typeOf(reply) != QLatin1String("message_ack"))
        return 0;
    return idOf(payloadOf(reply).value(QLatin1String("messageId")));
}

} // namespace confab::test
