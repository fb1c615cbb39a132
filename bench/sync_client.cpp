#include "sync_client.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

namespace confab::bench {
namespace {

// Runs the event loop until `done` holds or the deadline passes. It blocks in
// the dispatcher rather than polling, so a reply is seen the moment it
// arrives: the history probe measures the server, not a poll interval.
template <typename Pred>
bool spinUntil(Pred done, int timeoutMs)
{
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.start(timeoutMs);
    while (!done()) {
        if (!deadline.isActive())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

} // namespace

SyncClient::SyncClient(QObject* parent)
    : QObject(parent)
{
    m_socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        auto env = Envelope::parse(text.toUtf8());
        if (env && env->id.isString())
            m_replies.insert(env->id.toString(), *env);
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_closed = true; });
}

Result<void> SyncClient::open(const QUrl& url, int timeoutMs)
{
    m_socket.open(url);
    if (!spinUntil([this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed; },
                   timeoutMs) ||
        m_closed)
        return makeError(
            ErrorCode::Internal,
            QStringLiteral("cannot connect to %1: %2").arg(url.toString(), m_socket.errorString()));
    return {};
}

QString SyncClient::post(const QString& type, const QJsonObject& payload)
{
    const QString id = QStringLiteral("s%1").arg(++m_nextId);
    m_socket.sendTextMessage(QString::fromUtf8(Envelope::make(type, payload, id).serialize()));
    return id;
}

Result<Envelope> SyncClient::wait(const QString& id, int timeoutMs)
{
    if (!spinUntil([&] { return m_replies.contains(id) || m_closed; }, timeoutMs))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("no reply to %1 in %2 ms").arg(id).arg(timeoutMs));
    if (!m_replies.contains(id))
        return makeError(ErrorCode::Internal, QStringLiteral("connection closed"));
    Envelope env = m_replies.take(id);
    if (env.type == QLatin1String("error")) {
        auto err = errorFromPayload(env.payload);
        return err ? err.value() : makeError(ErrorCode::Internal, QStringLiteral("malformed error"));
    }
    return env;
}

} // namespace confab::bench
