#pragma once

#include "chat_client.h"
#include "message_list_model.h"
#include "test_server.h"

#include <functional>
#include <memory>

namespace confab::test {

// What the client tests share: a ChatClient that never touches the user's
// keychain entry or settings (own service name and profile, QStandardPaths
// test mode, no silent sign-in), signed in against a TestServer.
class ClientFixture {
public:
    // Call once per process, before the first ChatClient.
    static void prepareEnvironment();
    // A fresh profile: forgets the settings an earlier run left (last server,
    // username) and its local store (outbox, drafts, cache).
    static client::ChatClient::Options options(const QString& profile);
    // `tweak` may change the options first (a shorter typing expiry, say).
    static std::unique_ptr<client::ChatClient>
    create(const QString& profile, const std::function<void(client::ChatClient::Options&)>& tweak = {});
    // Signs in (password "correct horse", as TestServer::user() registers)
    // and waits until the room list has arrived. False on failure or timeout.
    static bool signIn(client::ChatClient& client, const QUrl& server, const QString& username,
                       int expectedRooms = -1);
    // Opens the room and waits for its newest page to be shown (the
    // client's roomLoaded signal, not a quiet spell): false when the page
    // could not be loaded or did not come within 20 s.
    static bool openRoom(client::ChatClient& client, qint64 roomId);
    // A port nothing listens on right now, for servers that must come back on it.
    static quint16 freePort();
};

// The rows of the client's message list, as (messageId, tempId, content, status).
struct Row {
    qint64 messageId = 0;
    QString tempId;
    QString content;
    int status = 0;
};
QList<Row> rowsOf(const client::ChatClient& client);
// The room's stored history as the server has it, oldest first.
QList<QJsonObject> serverHistory(TestClient& reader, qint64 roomId);
// Sends every text without waiting for acks in between (ids follow the send
// order within a room, protocol.md), then collects the acks: the message ids
// in send order, 0 where a send failed. Needs a server without send limits
// in the way (TestServer::fastSendersConfig()).
QList<qint64> seedMessages(TestClient& sender, qint64 roomId, const QStringList& contents);
// `count` texts "<prefix> 0", "<prefix> 1", ...
QStringList numbered(const QString& prefix, int count);

server::ServerConfig fixedPortConfig(quint16 port);
QStringList contentsOf(const QList<QJsonObject>& messages);
QStringList contentsOf(const QList<Row>& rows);
// The status of the first row with this content, -1 when none.
int statusOf(const client::ChatClient& client, const QString& content);
bool allSent(const client::ChatClient& client);

// Where screenshots go: $CONFAB_TEST_ARTIFACTS, else `fallback`; created.
QString artifactsDir(const QString& fallback);
// A SHA-256 fingerprint as CertificateDialog lays it out: four lines of
// 2 x 4 bytes.
QString groupedFingerprint(const QString& fingerprint);

} // namespace confab::test
