#pragma once

#include "protocol/envelope.h"
#include "protocol/result.h"

#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <QHash>

namespace confab::bench {

// One WebSocket connection driven request by request from the main thread:
// set-up (registration, rooms over the protocol) and the closed-loop history
// and search probes, where one request in flight is the point. Not for load.
class SyncClient : public QObject {
    Q_OBJECT
public:
    explicit SyncClient(QObject* parent = nullptr);

    Result<void> open(const QUrl& url, int timeoutMs = 10000);
    // Sends without waiting; the reply is collected by wait(id).
    QString post(const QString& type, const QJsonObject& payload);
    // The direct reply to `id` (an error frame becomes an Error value).
    Result<Envelope> wait(const QString& id, int timeoutMs = 30000);
    Result<Envelope> request(const QString& type, const QJsonObject& payload, int timeoutMs = 30000)
    {
        return wait(post(type, payload), timeoutMs);
    }
    // The reply to `id` if it has arrived (the caller runs the event loop).
    bool hasReply(const QString& id) const { return m_replies.contains(id); }
    bool isClosed() const { return m_closed; }

private:
    QWebSocket m_socket;
    QHash<QString, Envelope> m_replies;
    quint64 m_nextId = 0;
    bool m_closed = false;
};

} // namespace confab::bench
