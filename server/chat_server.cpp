#include "chat_server.h"

#include "connection.h"
#include "base/logging.h"
#include "base/private_files.h"
#include "store/store_factory.h"
#include "tls/self_signed.h"
#include "tls/tls_context.h"

#include <QFileInfo>
#include <QUrlQuery>

namespace confab::server {

ChatServer::ChatServer(const ServerConfig& config, QObject* parent)
    : QObject(parent)
    , m_config(config)
    , m_server(config.maxFrameBytes)
    , m_gate(config)
{
    m_server.setAdmission([this](const ws::HandshakeRequest& request, const QHostAddress& peer) {
        return m_gate.check(request, peer, unauthenticatedCount());
    });
    m_server.setAcceptFilter([this](const QHostAddress& peer) { return m_gate.admitPeer(peer); },
                             [this](const QHostAddress& peer) { m_gate.handshakeEnded(peer); });
    // Until it signs in, a connection has a small budget (Connection raises it).
    m_server.setSocketLimits(config.preAuthMaxUnsentBytes, config.preAuthFrameRate, config.preAuthFrameBurst);
    connect(&m_server, &ws::WsServer::socketOpened, this, [this](ws::WsSocket* socket) {
        m_hub->metrics().handshakes.fetch_add(1, std::memory_order_relaxed);
        onConnection(new Connection(socket, m_config, &m_hub->metrics(), m_hub.get()));
    });
    connect(&m_server, &QTcpServer::acceptError, this,
            [](QAbstractSocket::SocketError error) { qCWarning(lcNet) << "accept error" << error; });
}

ChatServer::~ChatServer()
{
    stop();
}

Result<void> ChatServer::start()
{
    if (!initCrypto())
        return makeError(ErrorCode::Internal, QStringLiteral("libsodium could not be initialised"));
    if (m_config.dataDir.isEmpty())
        m_config.dataDir = ServerConfig::defaultDataDir();
    // Before the database: a bad certificate is a start-up error that touches nothing.
    if (auto tls = setUpTls(); !tls)
        return tls;
    const QString url = m_config.databaseUrl.isEmpty() ? ServerConfig::defaultDatabaseUrl(m_config.dataDir)
                                                       : m_config.databaseUrl;
    auto parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    if (auto alone = lockSqliteDatabase(parsed.value()); !alone)
        return alone;
    auto store = createStore(parsed.value());
    if (!store)
        return store.error();
    m_hub = std::make_unique<Hub>(m_config, store.value());
    if (parsed->kind == DatabaseUrl::Kind::Postgresql) {
        // Any number of servers may share the database: each is an instance of a cluster.
        cluster::BusTimings timings;
        timings.heartbeatMs = m_config.clusterHeartbeatMs;
        timings.instanceTimeoutMs = 3 * m_config.clusterHeartbeatMs;
        timings.pollMs = qMin(1'000, m_config.clusterHeartbeatMs);
        m_hub->enableCluster(parsed.value(), timings);
    }
    if (auto started = m_hub->start(); !started) {
        m_hub.reset();
        return started;
    }
    m_dispatcher = std::make_unique<Dispatcher>(*m_hub);
    m_hub->metrics().openConnections = [this] { return qint64(m_connectionCount); };
    m_hub->metrics().onlineUsers = [this] { return qint64(m_hub->sessions().userCount()); };
    // Summed when scraped: nothing on the path of a frame.
    m_hub->metrics().queuedBytes = [this] { return queuedBytes(false); };
    m_hub->metrics().largestQueue = [this] { return queuedBytes(true); };
    m_hub->metrics().refusedHandshakes = [this](int reason) {
        return m_gate.refused(ConnectionGate::Refusal(reason));
    };
    if (auto ops = startOps(); !ops) {
        m_hub.reset();
        return ops;
    }
    if (!m_server.listen(m_config.host, m_config.port)) {
        const QString why = m_server.errorString();
        m_hub.reset();
        return makeError(ErrorCode::Internal, QStringLiteral("cannot listen on %1:%2: %3")
                                                  .arg(m_config.host.toString())
                                                  .arg(m_config.port)
                                                  .arg(why));
    }
    // Never the password in a log.
    const QString shown = parsed->kind == DatabaseUrl::Kind::Sqlite
                              ? url
                              : QStringLiteral("postgresql://%1@%2:%3/%4")
                                    .arg(parsed->user, parsed->host)
                                    .arg(parsed->port)
                                    .arg(parsed->databaseName);
    qCInfo(lcServer).noquote() << "database" << shown << "- listening on" << serverUrl().toString();
    if (!m_tlsFingerprint.isEmpty())
        qCInfo(lcServer).noquote() << "tls fingerprint SHA-256" << m_tlsFingerprint;
    if (m_ops)
        qCInfo(lcServer).noquote() << QStringLiteral("metrics and health on http://%1:%2/metrics")
                                          .arg(m_config.opsHost.toString())
                                          .arg(m_ops->port());
    return {};
}

// The /metrics and /healthz listener. The default port taken is what a
// second server on this host meets (docs/deploy.md, 2.5): that server serves
// chat without it, with a warning, rather than not at all; a port asked for
// (--ops-port) that is taken stays an error.
Result<void> ChatServer::startOps()
{
    if (m_config.opsPort < 0)
        return {};
    m_ops = std::make_unique<OpsServer>(m_hub->executor(), m_hub->metrics());
    m_ops->setTlsFingerprint(m_tlsFingerprint);
    if (m_ops->listen(m_config.opsHost, quint16(m_config.opsPort)))
        return {};
    const QString why = m_ops->errorString();
    m_ops.reset();
    const QString where = QStringLiteral("%1:%2").arg(m_config.opsHost.toString()).arg(m_config.opsPort);
    if (!m_config.opsPortExplicit && m_config.opsPort == ServerConfig::kDefaultOpsPort) {
        qCWarning(lcServer).noquote()
            << QStringLiteral("the default ops port %1 is taken (%2; another confab-server on this host?): "
                              "running without /metrics and /healthz; give each server its own --ops-port")
                   .arg(where, why);
        return {};
    }
    return makeError(ErrorCode::Internal, QStringLiteral("cannot listen for /metrics and /healthz on %1: %2 "
                                                         "(--ops-port: another port, or off)")
                                              .arg(where, why));
}

// SQLite is one server's database: a second server on the same file would
// share its accounts but neither its live events nor its rooms, so it
// refuses to start instead (servers that share a database use PostgreSQL).
// The lock is a file of its own, so `confab-server admin` still works on
// the database while the server runs; QLockFile takes over a lock whose
// process died.
Result<void> ChatServer::lockSqliteDatabase(const DatabaseUrl& url)
{
    if (url.kind != DatabaseUrl::Kind::Sqlite)
        return {};
    // Before the store opens (and makes it): the lock lives beside the file.
    if (auto made = files::makePrivateDirectory(QFileInfo(url.sqlitePath).absolutePath()); !made)
        return made;
    auto lock = std::make_unique<QLockFile>(url.sqlitePath + QStringLiteral(".server-lock"));
    lock->setStaleLockTime(0); // never stale while its process lives
    if (lock->tryLock(0)) {
        m_sqliteLock = std::move(lock);
        return {};
    }
    qint64 pid = 0;
    QString host, application;
    lock->getLockInfo(&pid, &host, &application);
    if (lock->error() == QLockFile::LockFailedError)
        return makeError(
            ErrorCode::Internal,
            QStringLiteral("another confab-server (pid %1) already serves the SQLite database %2: "
                           "servers that share a database need PostgreSQL (docs/deploy.md)")
                .arg(pid)
                .arg(url.sqlitePath));
    return makeError(ErrorCode::Internal,
                     QStringLiteral("cannot create %1.server-lock next to the SQLite database (is its "
                                    "directory writable?)")
                         .arg(url.sqlitePath));
}

// --tls-cert/--tls-key when given, else with --tls auto the self-signed pair
// in <data-dir>/tls (made on the first start).
Result<void> ChatServer::setUpTls()
{
    if (!m_config.usesTls())
        return {};
    QString certificate = m_config.tlsCertificateFile;
    QString key = m_config.tlsKeyFile;
    if (certificate.isEmpty()) {
        auto files = tls::ensureSelfSigned(m_config.dataDir, m_config.host);
        if (!files)
            return files.error();
        if (files->created)
            qCInfo(lcServer).noquote() << "made a self-signed TLS certificate:" << files->certificatePath;
        certificate = files->certificatePath;
        key = files->keyPath;
    }
    auto context = tls::TlsContext::fromPemFiles(certificate, key);
    if (!context)
        return context.error();
    m_tlsFingerprint = context.value()->fingerprint();
    m_server.setTls(context.value());
    return {};
}

void ChatServer::stop()
{
    if (!m_hub)
        return;
    m_server.close();
    m_ops.reset();
    const auto connections = m_hub->findChildren<Connection*>(QString(), Qt::FindDirectChildrenOnly);
    for (Connection* c : connections) {
        c->disconnect(this);
        c->close(ws::close_code::GoingAway, QStringLiteral("server shutting down"));
    }
    m_hub->stop();
    m_dispatcher.reset();
    m_hub.reset(); // deletes the connections (children of the hub)
    m_sqliteLock.reset();
}

qint64 ChatServer::queuedBytes(bool largest) const
{
    qint64 total = 0;
    qint64 most = 0;
    const auto connections = m_hub->findChildren<Connection*>(QString(), Qt::FindDirectChildrenOnly);
    for (const Connection* c : connections) {
        const qint64 queued = c->socket()->bytesToWrite();
        total += queued;
        most = qMax(most, queued);
    }
    return largest ? most : total;
}

QUrl ChatServer::serverUrl() const
{
    return m_server.serverUrl();
}

quint16 ChatServer::port() const
{
    return m_server.serverPort();
}

int ChatServer::unauthenticatedCount() const
{
    return m_hub ? m_connectionCount - m_hub->sessions().connectionCount() : 0;
}

void ChatServer::onConnection(Connection* connection)
{
    ++m_connectionCount;
    m_gate.opened(connection->peerAddress());
    connect(connection, &Connection::textReceived, this,
            [this](Connection* c, const QString& frame) { m_dispatcher->dispatchText(c, frame); });
    connect(connection, &Connection::binaryReceived, this,
            [this](Connection* c, const QByteArray& bytes) { m_dispatcher->dispatchBinary(c, bytes); });
    connect(connection, &Connection::authDeadlinePassed, this, [](Connection* c) {
        c->sendError(makeError(ErrorCode::Unauthenticated, QStringLiteral("authentication deadline passed")),
                     QJsonValue(QJsonValue::Undefined));
        c->close(ws::close_code::PolicyViolated, QStringLiteral("authentication deadline passed"));
    });
    // Queued: a socket can close in the middle of a fan-out loop.
    connect(
        connection, &Connection::closed, this,
        [this](Connection* c) {
            --m_connectionCount;
            m_gate.closed(c->peerAddress());
            m_hub->connectionClosed(c);
        },
        Qt::QueuedConnection);

    // A token may come with the handshake: "Authorization: Bearer <t>" or "?token=<t>".
    const ws::HandshakeRequest& handshake = connection->socket()->request();
    QString token;
    const QByteArray authorization = handshake.rawHeader("Authorization").trimmed();
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        token = QString::fromUtf8(authorization.mid(7).trimmed());
    if (token.isEmpty())
        token = QUrlQuery(handshake.url()).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    connection->socket()->releaseRequest(); // read: the headers need not stay in memory
    if (!token.isEmpty()) {
        // Checked in the store; frames that arrive meanwhile (a client may
        // pipeline them right behind the handshake) wait for the answer,
        // in order, and then run signed in.
        Hub::RequestScope scope(*m_hub, connection);
        authenticateWithToken(*m_hub, connection, token.left(limits::kTokenMaxLength),
                              QJsonValue(QJsonValue::Undefined));
        connection->waitForRequestsInFlight();
    }
    qCDebug(lcNet) << "connection from" << connection->peerAddress() << "total" << m_connectionCount;
}

} // namespace confab::server
