#include "scripted_peer.h"

#include "protocol/event_names.h"
#include "protocol/replies.h"

#include <QDateTime>

namespace confab::test {

ScriptedPeer::ScriptedPeer()
    : m_server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &ScriptedPeer::onConnection);
}

bool ScriptedPeer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl ScriptedPeer::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()));
}

QStringList ScriptedPeer::sentTempIds() const
{
    QStringList ids;
    for (const Send& s : m_sends)
        ids.append(s.request.tempId);
    return ids;
}

void ScriptedPeer::answer(const Send& send, const Envelope& reply)
{
    if (send.socket)
        send.socket->sendTextMessage(QString::fromUtf8(reply.serialize()));
}

void ScriptedPeer::push(const Envelope& event)
{
    if (m_current)
        m_current->sendTextMessage(QString::fromUtf8(event.serialize()));
}

void ScriptedPeer::dropConnection()
{
    if (m_current)
        m_current->abort();
}

Envelope ScriptedPeer::ack(const Send& send, Id messageId)
{
    MessageAck ack;
    ack.tempId = send.request.tempId;
    ack.messageId = messageId;
    ack.createdAt = QDateTime::currentMSecsSinceEpoch();
    return Envelope::make(QString(event::MessageAck), ack.toPayload(), send.id);
}

Envelope ScriptedPeer::error(const Send& send, ErrorCode code, qint64 retryAfterMs)
{
    Error e = makeError(code, QStringLiteral("scripted %1").arg(errorCodeName(code)));
    e.retryAfterMs = retryAfterMs;
    return errorEnvelope(e, send.id);
}

void ScriptedPeer::onConnection()
{
    while (QWebSocket* socket = m_server.nextPendingConnection()) {
        ++m_connections;
        socket->setParent(this);
        m_current = socket;
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString& text) { onText(socket, text); });
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void ScriptedPeer::onText(QWebSocket* socket, const QString& text)
{
    const auto envelope = Envelope::parse(text.toUtf8());
    if (!envelope)
        return;
    const QString& type = envelope->type;
    if (type == event::Login || type == event::Register || type == event::Auth) {
        AuthOk ok;
        ok.token = QStringLiteral("scripted-token");
        ok.user = onlineUser(1, QStringLiteral("mei"), QStringLiteral("Mei Lin"));
        ok.policy = m_serverPolicy;
        socket->sendTextMessage(QString::fromUtf8(
            Envelope::make(QString(event::AuthOk), ok.toPayload(), envelope->id).serialize()));
        return;
    }
    if (type != event::SendMessage) {
        if (m_handler) {
            for (const Envelope& frame : m_handler(*envelope))
                socket->sendTextMessage(QString::fromUtf8(frame.serialize()));
        }
        return;
    }
    const auto request = SendMessageRequest::fromPayload(envelope->payload);
    if (!request)
        return;
    Send send{request.value(), envelope->id, socket};
    int attempt = 0;
    for (const Send& earlier : std::as_const(m_sends))
        attempt += earlier.request.tempId == send.request.tempId ? 1 : 0;
    m_sends.append(send);
    const std::optional<Envelope> reply = m_policy ? m_policy(send, attempt) : std::nullopt;
    if (reply)
        answer(send, *reply);
    else
        m_held.append(send);
}

} // namespace confab::test
