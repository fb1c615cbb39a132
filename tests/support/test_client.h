#pragma once

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <functional>

namespace confab::test {

// A real WebSocket client speaking the protocol as an outside client would:
// raw JSON frames in, JSON objects out. Every received frame goes into an
// inbox; request() takes its reply out by id, waitFor() takes pushed events.
class TestClient : public QObject {
    Q_OBJECT
public:
    explicit TestClient(QObject* parent = nullptr);
    ~TestClient() override;

    bool open(const QUrl& url, int timeoutMs = 5000);
    bool open(const QNetworkRequest& request, int timeoutMs = 5000);
    bool isConnected() const;
    void close();

    // Sends {"type","id","payload"} and waits for the frame carrying that id.
    // Returns the whole envelope, or an empty object on timeout.
    QJsonObject request(const QString& type, const QJsonObject& payload = {}, int timeoutMs = 10000);
    QString sendWithId(const QString& type, const QJsonObject& payload);
    QJsonObject waitForReply(const QString& id, int timeoutMs = 10000);
    void sendRaw(const QString& text);
    void sendBinary(const QByteArray& bytes);

    // The first pushed frame (no id) of `type` matching `match`, taken out of
    // the inbox; empty on timeout.
    QJsonObject waitFor(const QString& type, int timeoutMs = 5000,
                        const std::function<bool(const QJsonObject& payload)>& match = {});
    // True if no frame of `type` arrives within ms (and none is queued).
    bool staysQuiet(const QString& type, int ms = 300);
    QList<QJsonObject> takeAll(const QString& type);
    void clearInbox() { m_inbox.clear(); }
    int inboxSize() const { return int(m_inbox.size()); }

    QWebSocket& socket() { return m_socket; }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    bool wasDisconnected() const { return m_disconnected; }

    // The type of every frame received, in arrival order.
    QStringList history;
    // Binary frames received (file chunks, issue 16), in arrival order.
    QList<QByteArray> binaryInbox;

    // Filled by signUp()/signIn().
    QString token;
    qint64 userId = 0;
    QString username;

    // register + remember token/userId; false on any error.
    bool signUp(const QString& name, const QString& password = QStringLiteral("correct horse"));
    bool signIn(const QString& name, const QString& password = QStringLiteral("correct horse"));

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_inbox;
    int m_nextId = 1;
    bool m_disconnected = false;
};

// Convenience readers for envelopes.
inline QString typeOf(const QJsonObject& envelope)
{
    return envelope.value(QLatin1String("type")).toString();
}
inline QJsonObject payloadOf(const QJsonObject& envelope)
{
    return envelope.value(QLatin1String("payload")).toObject();
}
inline QString errorCodeOf(const QJsonObject& envelope)
{
    return typeOf(envelope) == QLatin1String("error")
               ? payloadOf(envelope).value(QLatin1String("code")).toString()
               : QString();
}
inline qint64 idOf(const QJsonValue& value)
{
    return qint64(value.toDouble());
}

} // namespace confab::test
