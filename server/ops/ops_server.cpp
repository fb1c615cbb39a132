#include "ops/ops_server.h"

#include "store/store_executor.h"
#include "base/logging.h"
#include "ops/metrics.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace confab::server {
namespace {
constexpr qsizetype kMaxRequestBytes = 8 * 1024;
constexpr int kHealthTimeoutMs = 2'000;
constexpr int kIdleTimeoutMs = 10'000; // a client that never finishes its request
} // namespace

QByteArray httpResponse(const QByteArray& status, const QByteArray& contentType, const QByteArray& body)
{
    return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body;
}

OpsServer::OpsServer(StoreExecutor& store, Metrics& metrics, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_metrics(metrics)
{
    connect(&m_server, &QTcpServer::newConnection, this, &OpsServer::onConnection);
}

bool OpsServer::listen(const QHostAddress& address, quint16 port)
{
    return m_server.listen(address, port);
}

void OpsServer::onConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(kIdleTimeoutMs, socket, [socket] { socket->abort(); });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            if (socket->property("answered").toBool())
                return;
            const QByteArray head = socket->peek(kMaxRequestBytes);
            if (!head.contains("\r\n\r\n") && head.size() < kMaxRequestBytes)
                return; // wait for the rest of the request
            socket->setProperty("answered", true);
            respond(socket, head);
        });
    }
}

void OpsServer::respond(QTcpSocket* socket, const QByteArray& head)
{
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const auto send = [socket](const QByteArray& response) {
        socket->write(response);
        socket->disconnectFromHost();
    };
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/"))
        return send(httpResponse("400 Bad Request", "text/plain", "bad request\n"));
    if (requestLine[0] != "GET" && requestLine[0] != "HEAD")
        return send(httpResponse("405 Method Not Allowed", "text/plain", "GET only\n"));
    const QByteArray path = requestLine[1].left(
        requestLine[1].indexOf('?') < 0 ? requestLine[1].size() : requestLine[1].indexOf('?'));
    if (path == "/metrics")
        return send(httpResponse("200 OK", "text/plain; version=0.0.4; charset=utf-8", m_metrics.render()));
    if (path == "/healthz")
        return answerHealth(socket);
    send(httpResponse("404 Not Found", "text/plain", "try /metrics or /healthz\n"));
}

// Healthy means the store thread runs jobs and the database answers: a
// job with a real query (the schema version) goes through the same queue
// (and reconnect logic) as every request, so a stuck or disconnected store
// shows here. The query matters: the store probes an idle connection only
// after a second without jobs, so a poller asking more often than that
// would otherwise keep a dead PostgreSQL connection looking healthy.
void OpsServer::answerHealth(QTcpSocket* socket)
{
    QPointer<QTcpSocket> guard(socket);
    auto answered = std::make_shared<bool>(false);
    const QString fingerprint = m_tlsFingerprint;
    const auto reply = [guard, answered, fingerprint](bool healthy, const QString& database) {
        if (*answered || !guard)
            return;
        *answered = true;
        QJsonObject body{
            {QStringLiteral("status"), healthy ? QStringLiteral("ok") : QStringLiteral("unavailable")},
            {QStringLiteral("database"), database}};
        if (!fingerprint.isEmpty())
            body.insert(QStringLiteral("tlsFingerprint"), fingerprint);
        guard->write(httpResponse(healthy ? "200 OK" : "503 Service Unavailable", "application/json",
                                  QJsonDocument(body).toJson(QJsonDocument::Compact) + '\n'));
        guard->disconnectFromHost();
    };
    QTimer::singleShot(kHealthTimeoutMs, socket,
                       [reply] { reply(false, QStringLiteral("no answer within 2 s")); });
    m_store.run<Result<void>>(
        this,
        [](Store& store) {
            const Result<int> version = store.schemaVersion();
            return version ? Result<void>() : Result<void>(version.error());
        },
        [reply](Result<void> result) {
            reply(result.ok(), result.ok() ? QStringLiteral("ok") : result.error().message);
        });
}

} // namespace confab::server
