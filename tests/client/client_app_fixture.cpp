#include "client_app_fixture.h"

#include "client_settings.h"
#include "message_list_model.h"
#include "room_list_model.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

namespace confab::test {

using client::ChatClient;
using client::MessageListModel;

void ClientFixture::prepareEnvironment()
{
    QStandardPaths::setTestModeEnabled(true); // settings under ~/.qttest, not the user's
    qputenv("QT_QUICK_CONTROLS_STYLE", "Basic");
}

ChatClient::Options ClientFixture::options(const QString& profile)
{
    QFile::remove(client::ClientSettings(profile).fileName());
    ChatClient::Options o;
    o.profile = profile;
    o.keychainService = QStringLiteral("ConfabTest");
    o.autoResume = false;
    return o;
}

std::unique_ptr<ChatClient> ClientFixture::create(const QString& profile)
{
    auto client = std::make_unique<ChatClient>(options(profile));
    client->session()->setReconnectDelays(100, 500);
    return client;
}

bool ClientFixture::signIn(ChatClient& client, const QUrl& server, const QString& username, int expectedRooms)
{
    client.signIn(server.toString(), username, QStringLiteral("correct horse"));
    if (!QTest::qWaitFor([&] { return client.signedIn(); }, 10000)) {
        qWarning("sign-in as %s failed: %s", qPrintable(username), qPrintable(client.errorMessage()));
        return false;
    }
    if (expectedRooms < 0)
        return true;
    return QTest::qWaitFor([&] { return client.rooms()->rowCount() == expectedRooms; }, 5000);
}

bool ClientFixture::openRoom(ChatClient& client, qint64 roomId)
{
    client.openRoom(double(roomId));
    // The page has arrived once the room is current and the list stopped changing.
    if (!QTest::qWaitFor([&] { return client.messages()->roomId() == roomId; }, 5000))
        return false;
    int rows = -1;
    for (int i = 0; i < 50; ++i) {
        QTest::qWait(20);
        const int now = client.messages()->rowCount();
        if (now == rows && now > 0)
            return true;
        rows = now;
    }
    return true; // an empty room
}

quint16 ClientFixture::freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QList<Row> rowsOf(const ChatClient& client)
{
    QList<Row> rows;
    const MessageListModel* model = client.messages();
    for (int i = 0; i < model->rowCount(); ++i) {
        const QModelIndex index = model->index(i);
        Row row;
        row.messageId = qint64(model->data(index, MessageListModel::MessageIdRole).toDouble());
        row.tempId = model->data(index, MessageListModel::TempIdRole).toString();
        row.content = model->data(index, MessageListModel::ContentRole).toString();
        row.status = model->data(index, MessageListModel::StatusRole).toInt();
        rows.append(row);
    }
    return rows;
}

QList<QJsonObject> serverHistory(TestClient& reader, qint64 roomId)
{
    // Page back from the newest until the start, then put oldest first.
    QList<QJsonObject> newestFirst;
    QJsonObject payload{{QStringLiteral("roomId"), double(roomId)}, {QStringLiteral("limit"), 100}};
    for (;;) {
        const QJsonObject reply = reader.request(QStringLiteral("fetch_messages"), payload);
        const QJsonArray page = payloadOf(reply).value(QLatin1String("messages")).toArray();
        for (qsizetype i = page.size() - 1; i >= 0; --i)
            newestFirst.append(page.at(i).toObject());
        if (!payloadOf(reply).value(QLatin1String("hasMore")).toBool() || page.isEmpty())
            break;
        payload.insert(QStringLiteral("beforeId"), page.first().toObject().value(QLatin1String("id")));
    }
    std::reverse(newestFirst.begin(), newestFirst.end());
    return newestFirst;
}

QString artifactsDir(const QString& fallback)
{
    const QString dir = qEnvironmentVariable("CONFAB_TEST_ARTIFACTS", fallback);
    QDir().mkpath(dir);
    return dir;
}

QString groupedFingerprint(const QString& fingerprint)
{
    const QStringList bytes = fingerprint.split(QLatin1Char(':'));
    QStringList lines;
    for (int i = 0; i < bytes.size(); i += 8)
        lines.append(bytes.mid(i, 4).join(QLatin1Char(':')) + QStringLiteral("  ") +
                     bytes.mid(i + 4, 4).join(QLatin1Char(':')));
    return lines.join(QLatin1Char('\n'));
}

} // namespace confab::test
