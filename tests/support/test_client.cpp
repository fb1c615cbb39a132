#include "test_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace confab::test {

TestClient::TestClient(QObject* parent)
    : QObject(parent)
{
    m_socket.setMaxAllowedIncomingFrameSize(16 * 1024 * 1024);
    m_socket.setMaxAllowedIncomingMessageSize(16 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& text) {
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
        if (doc.isObject()) {
            m_inbox.append(doc.object());
            history.append(typeOf(doc.object()));
        } else
            qWarning("TestClient: server sent a frame that is not a JSON object: %s",
                     qPrintable(text.left(200)));
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray& bytes) { binaryInbox.append(bytes); });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_disconnected = true; });
}

TestClient::~TestClient()
{
    m_socket.abort();
}

bool TestClient::open(const QUrl& url, int timeoutMs)
{
    return open(QNetworkRequest(url), timeoutMs);
}

bool TestClient::open(const QNetworkRequest& request, int timeoutMs)
{
    m_disconnected = false;
    m_socket.open(request);
    return QTest::qWaitFor(
               [this] { return m_socket.state() == QAbstractSocket::ConnectedState || m_disconnected; },
               timeoutMs) &&
           m_socket.state() == QAbstractSocket::ConnectedState;
}

bool TestClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void TestClient::close()
{
    m_socket.close();
    (void)QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, 5000);
}

QString TestClient::sendWithId(const QString& type, const QJsonObject& payload)
{
    const QString id = QStringLiteral("t%1").arg(m_nextId++);
    const QJsonObject envelope{
        {QStringLiteral("type"), type}, {QStringLiteral("id"), id}, {QStringLiteral("payload"), payload}};
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(envelope).toJson(QJsonDocument::Compact)));
    return id;
}

QJsonObject TestClient::waitForReply(const QString& id, int timeoutMs)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = 0; i < m_inbox.size(); ++i) {
                if (m_inbox.at(i).value(QLatin1String("id")).toString() == id) {
                    found = m_inbox.takeAt(i);
                    return true;
                }
            }
            return m_disconnected;
        },
        timeoutMs);
    return found;
}

QJsonObject TestClient::request(const QString& type, const QJsonObject& payload, int timeoutMs)
{
    return waitForReply(sendWithId(type, payload), timeoutMs);
}

void TestClient::sendRaw(const QString& text)
{
    m_socket.sendTextMessage(text);
}

void TestClient::sendBinary(const QByteArray& bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

QJsonObject TestClient::waitFor(const QString& type, int timeoutMs,
                                const std::function<bool(const QJsonObject&)>& match)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = 0; i < m_inbox.size(); ++i) {
                const QJsonObject& e = m_inbox.at(i);
                if (typeOf(e) == type && !e.contains(QLatin1String("id")) &&
                    (!match || match(payloadOf(e)))) {
                    found = m_inbox.takeAt(i);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

bool TestClient::staysQuiet(const QString& type, int ms)
{
    QTest::qWait(ms);
    for (const QJsonObject& e : std::as_const(m_inbox)) {
        if (typeOf(e) == type)
            return false;
    }
    return true;
}

QList<QJsonObject> TestClient::takeAll(const QString& type)
{
    QList<QJsonObject> taken;
    for (qsizetype i = 0; i < m_inbox.size();) {
        if (typeOf(m_inbox.at(i)) == type)
            taken.append(m_inbox.takeAt(i));
        else
            ++i;
    }
    return taken;
}

static bool remember(TestClient* client, const QJsonObject& reply, const QString& name)
{
    if (typeOf(reply) != QLatin1String("auth_ok")) {
        qWarning("TestClient: sign-in of %s failed: %s", qPrintable(name),
                 QJsonDocument(reply).toJson(QJsonDocument::Compact).constData());
        return false;
    }
    const QJsonObject p = payloadOf(reply);
    client->token = p.value(QLatin1String("token")).toString();
    client->userId = idOf(p.value(QLatin1String("user")).toObject().value(QLatin1String("id")));
    client->username = name;
    return !client->token.isEmpty() && client->userId > 0;
}

bool TestClient::signUp(const QString& name, const QString& password)
{
    return remember(this,
                    request(QStringLiteral("register"),
                            {{QStringLiteral("username"), name}, {QStringLiteral("password"), password}}),
                    name);
}

bool TestClient::signIn(const QString& name, const QString& password)
{
    return remember(this,
                    request(QStringLiteral("login"),
                            {{QStringLiteral("username"), name}, {QStringLiteral("password"), password}}),
                    name);
}

} // namespace confab::test
