#include "client_app_fixture.h"

#include "client_settings.h"
#include "local_store.h"
#include "message_list_model.h"
#include "room_list_model.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <QUuid>

#include <optional>

namespace confab::test {

using client::AccountController;
using client::ChatClient;
using client::ConversationController;
using client::MessageListModel;

void ClientFixture::prepareEnvironment()
{
    QStandardPaths::setTestModeEnabled(true); // settings under ~/.qttest, not the user's
    qputenv("QT_QUICK_CONTROLS_STYLE", "Basic");
}

ChatClient::Options ClientFixture::options(const QString& profile)
{
    QFile::remove(client::ClientSettings(profile).fileName());
    // Nor what an earlier run queued or cached (the profile's local store).
    const QString store = client::LocalStore::pathFor(profile);
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(store + suffix);
    ChatClient::Options o;
    o.profile = profile;
    o.keychainService = QStringLiteral("ConfabTest");
    o.autoResume = false;
    return o;
}

std::unique_ptr<ChatClient> ClientFixture::create(const QString& profile,
                                                  const std::function<void(ChatClient::Options&)>& tweak)
{
    ChatClient::Options o = options(profile);
    if (tweak)
        tweak(o);
    auto client = std::make_unique<ChatClient>(o);
    client->session()->setReconnectDelays(100, 500);
    return client;
}

bool ClientFixture::signIn(ChatClient& client, const QUrl& server, const QString& username, int expectedRooms)
{
    client.account()->signIn(server.toString(), username, QStringLiteral("correct horse"));
    if (!QTest::qWaitFor([&] { return client.account()->signedIn(); }, 10000)) {
        qWarning("sign-in as %s failed: %s", qPrintable(username),
                 qPrintable(client.account()->errorMessage()));
        return false;
    }
    if (expectedRooms < 0)
        return true;
    return QTest::qWaitFor([&] { return client.rooms()->model()->rowCount() == expectedRooms; }, 5000);
}

bool ClientFixture::openRoom(ChatClient& client, qint64 roomId)
{
    QSignalSpy loaded(client.conversation(), &ConversationController::roomLoaded);
    client.conversation()->openRoom(double(roomId));
    // Already open and loaded: openRoom() only marks it read.
    if (client.conversation()->roomId() == double(roomId) && !client.conversation()->isLoading() &&
        loaded.isEmpty())
        return true;
    const auto result = [&]() -> std::optional<bool> {
        for (const QList<QVariant>& args : std::as_const(loaded)) {
            if (qint64(args.at(0).toDouble()) == roomId)
                return args.at(1).toBool();
        }
        return std::nullopt;
    };
    if (!QTest::qWaitFor([&] { return result().has_value(); }, 20000)) {
        qWarning("room %lld: no page within 20 s", roomId);
        return false;
    }
    return *result() && client.conversation()->messages()->roomId() == roomId;
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
    const MessageListModel* model = client.conversation()->messages();
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

QList<qint64> seedMessages(TestClient& sender, qint64 roomId, const QStringList& contents)
{
    const QString batch = QUuid::createUuid().toString(QUuid::Id128).left(12);
    QStringList requests;
    for (int i = 0; i < contents.size(); ++i) {
        requests.append(
            sender.sendWithId(QStringLiteral("send_message"),
                              {{QStringLiteral("roomId"), double(roomId)},
                               {QStringLiteral("content"), contents.at(i)},
                               {QStringLiteral("tempId"), QStringLiteral("seed-%1-%2").arg(batch).arg(i)}}));
    }
    QList<qint64> ids;
    for (const QString& request : std::as_const(requests)) {
        const QJsonObject reply = sender.waitForReply(request, 20000);
        ids.append(typeOf(reply) == QLatin1String("message_ack")
                       ? idOf(payloadOf(reply).value(QLatin1String("messageId")))
                       : 0);
    }
    return ids;
}

QStringList numbered(const QString& prefix, int count)
{
    QStringList texts;
    for (int i = 0; i < count; ++i)
        texts.append(QStringLiteral("%1 %2").arg(prefix).arg(i));
    return texts;
}

server::ServerConfig fixedPortConfig(quint16 port)
{
    auto c = TestServer::defaultConfig();
    c.port = port;
    return c;
}

QStringList contentsOf(const QList<QJsonObject>& messages)
{
    QStringList out;
    for (const QJsonObject& m : messages)
        out.append(m.value(QLatin1String("content")).toString());
    return out;
}

QStringList contentsOf(const QList<Row>& rows)
{
    QStringList out;
    for (const Row& r : rows)
        out.append(r.content);
    return out;
}

int statusOf(const ChatClient& client, const QString& content)
{
    for (const Row& r : rowsOf(client)) {
        if (r.content == content)
            return r.status;
    }
    return -1;
}

bool allSent(const ChatClient& client)
{
    const auto rows = rowsOf(client);
    return std::all_of(rows.cbegin(), rows.cend(),
                       [](const Row& r) { return r.status == int(MessageListModel::Status::Sent); });
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
