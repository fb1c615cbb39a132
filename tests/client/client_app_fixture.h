#pragma once

#include "chat_client.h"
#include "test_server.h"

#include <memory>

namespace confab::test {

// What the client tests share: a ChatClient that never touches the user's
// keychain entry or settings (own service name and profile, QStandardPaths
// test mode, no silent sign-in), signed in against a TestServer.
class ClientFixture {
public:
    // Call once per process, before the first ChatClient.
    static void prepareEnvironment();
    // A fresh profile: forgets the settings an earlier run left (last server, username).
    static client::ChatClient::Options options(const QString& profile);
    static std::unique_ptr<client::ChatClient> create(const QString& profile);
    // Signs in (password "correct horse", as TestServer::user() registers)
    // and waits until the room list has arrived. False on failure or timeout.
    static bool signIn(client::ChatClient& client, const QUrl& server, const QString& username,
                       int expectedRooms = -1);
    // Opens the room and waits for its newest page.
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

// Where screenshots go: $CONFAB_TEST_ARTIFACTS, else `fallback`; created.
QString artifactsDir(const QString& fallback);
// A SHA-256 fingerprint as CertificateDialog lays it out: four lines of
// 2 x 4 bytes.
QString groupedFingerprint(const QString& fingerprint);

} // namespace confab::test
