#pragma once

#include "protocol/attention.h"
#include "protocol/envelope.h"
#include "protocol/requests.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <functional>
#include <optional>

namespace confab::test {

// An online user with just a name, as the scripted servers describe one.
inline User onlineUser(Id id, const QString& username, const QString& displayName)
{
    User user;
    user.id = id;
    user.username = username;
    user.displayName = displayName;
    user.online = true;
    return user;
}

// The server side of a real WebSocket connection, answering as the test
// says: for unit tests of the client's Outbox, whose whole subject is what
// it does with each possible reply (an ack, `unavailable`, `rate_limited`,
// an error, nothing at all) and with a dropped connection. Sign-ins always
// succeed (user 1, "mei"). Every other request goes to the request handler
// when one is set (FakeRoomServer answers a whole room with it), else it is
// left unanswered. The real server is covered by tst_chat_client*.
class ScriptedPeer : public QObject {
    Q_OBJECT
public:
    struct Send {
        SendMessageRequest request;
        QJsonValue id;
        QPointer<QWebSocket> socket;
    };
    // The reply to a send_message; nullopt: stay silent (it is kept in
    // held() and may be answered later with answer()).
    using Policy = std::function<std::optional<Envelope>(const Send& send, int attempt)>;
    // Frames to send for a request other than send_message (its reply, then
    // any events), in order; empty: no answer.
    using RequestHandler = std::function<QList<Envelope>(const Envelope& request)>;

    ScriptedPeer();
    bool listen();
    QUrl url() const;

    void setPolicy(Policy policy) { m_policy = std::move(policy); }
    void setRequestHandler(RequestHandler handler) { m_handler = std::move(handler); }
    // auth_ok's policy from the next sign-in on.
    void setServerPolicy(const ServerPolicy& policy) { m_serverPolicy = policy; }
    // An event to the current connection (none: dropped).
    void push(const Envelope& event);
    // Every send_message received, in order (a resend is another entry).
    const QList<Send>& sends() const { return m_sends; }
    QStringList sentTempIds() const;
    QList<Send>& held() { return m_held; }
    void answer(const Send& send, const Envelope& reply);
    // Aborts the current connection (the client sees it lost).
    void dropConnection();
    int connections() const { return m_connections; }

    static Envelope ack(const Send& send, Id messageId);
    static Envelope error(const Send& send, ErrorCode code, qint64 retryAfterMs = 0);

private:
    void onConnection();
    void onText(QWebSocket* socket, const QString& text);

    QWebSocketServer m_server;
    QPointer<QWebSocket> m_current;
    QList<Send> m_sends;
    QList<Send> m_held;
    Policy m_policy;
    RequestHandler m_handler;
    ServerPolicy m_serverPolicy;
    int m_connections = 0;
};

} // namespace confab::test
