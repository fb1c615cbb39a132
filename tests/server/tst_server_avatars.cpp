// Avatars against a real server (issue 15, docs/protocol.md "Avatars"): set,
// seen by a roommate in user_updated, room members and search_users, fetched
// by any signed-in user; refused before anything is stored when too large,
// of the wrong type or not base64; stored once per content and deleted when
// nobody uses it; the frame allowance only after sign-in; the per-user limit.
// On SQLite and PostgreSQL.
#include "attention_helpers.h"
#include "avatar_helpers.h"

#include "protocol/limits.h"

#include <QSqlQuery>
#include <QTest>

using namespace confab::test;

namespace {

// Rows of the avatars table, read straight from the server's database.
int storedAvatars(TestServer& server)
{
    const QString name = QStringLiteral("avatars-%1").arg(QRandomGenerator::global()->generate());
    int count = -1;
    {
        QSqlDatabase db = openTestDatabase(server.databaseUrl(), name);
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM avatars")) && q.next())
            count = q.value(0).toInt();
    }
    QSqlDatabase::removeDatabase(name);
    return count;
}

// The user as search_users shows them to `asker`.
QJsonObject searched(TestClient& asker, const QString& username)
{
    const QJsonObject reply =
        asker.request(QStringLiteral("search_users"), {{QStringLiteral("query"), username}});
    for (const QJsonValue& u : payloadOf(reply).value(QLatin1String("users")).toArray()) {
        if (u.toObject().value(QLatin1String("username")).toString() == username)
            return u.toObject();
    }
    return {};
}

} // namespace

class TestServerAvatars : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void setReachesRoommatesAndFetches();
    void refusedBeforeStoring();
    void storedOncePerContentAndDeletedWhenUnused();
    void largestAvatarOnlyAfterSignIn();
    void setIsLimitedPerUser();
};

void TestServerAvatars::setReachesRoommatesAndFetches()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol")); // shares no room with alice
    QVERIFY(alice && bob && carol);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    QVERIFY(room);
    bob->clearInbox();
    carol->clearInbox();

    const QByteArray png = fakePng(40000);
    const QJsonObject reply = setAvatar(*alice, png);
    QCOMPARE(typeOf(reply), QStringLiteral("user"));
    const QString id = avatarIdIn(payloadOf(reply));
    QCOMPARE(id, sha256Hex(png)); // content-addressed, lowercase hex

    const QJsonObject updated =
        payloadOf(bob->waitFor(QStringLiteral("user_updated"), 5000, userIs(alice->userId)));
    QCOMPARE(avatarIdIn(updated), id);
    QVERIFY(carol->staysQuiet(QStringLiteral("user_updated"), 200));
    // Everywhere users appear: room members, search results.
    bool inMembers = false;
    for (const QJsonValue& m : listedRoom(*bob, room).value(QLatin1String("members")).toArray()) {
        if (idIn(m.toObject(), "id") == alice->userId)
            inMembers = m.toObject().value(QLatin1String("avatarId")).toString() == id;
    }
    QVERIFY(inMembers);
    QCOMPARE(searched(*carol, QStringLiteral("alice")).value(QLatin1String("avatarId")).toString(), id);
    QVERIFY(!searched(*carol, QStringLiteral("bob")).contains(QLatin1String("avatarId"))); // none: absent

    // Any signed-in user fetches it, byte for byte.
    for (TestClient* asker : {bob.get(), carol.get()}) {
        const QJsonObject fetched = fetchAvatar(*asker, id);
        QCOMPARE(typeOf(fetched), QStringLiteral("avatar"));
        QCOMPARE(payloadOf(fetched).value(QLatin1String("avatarId")).toString(), id);
        QCOMPARE(payloadOf(fetched).value(QLatin1String("mime")).toString(), QStringLiteral("image/png"));
        QCOMPARE(
            QByteArray::fromBase64(payloadOf(fetched).value(QLatin1String("data")).toString().toLatin1()),
            png);
    }
    QCOMPARE(errorCodeOf(fetchAvatar(*bob, sha256Hex("nobody's"))), QStringLiteral("not_found"));
    QCOMPARE(errorCodeOf(fetchAvatar(*bob, QStringLiteral("../etc/passwd"))), QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(fetchAvatar(*bob, id.toUpper())), QStringLiteral("bad_request"));
    auto stranger = server.client();
    QVERIFY(stranger);
    QCOMPARE(errorCodeOf(fetchAvatar(*stranger, id)), QStringLiteral("unauthenticated"));

    // The same image again changes nothing and tells nobody.
    QCOMPARE(avatarIdIn(payloadOf(setAvatar(*alice, png))), id);
    QVERIFY(bob->staysQuiet(QStringLiteral("user_updated"), 300));

    // A JPEG replaces it; survives a restart.
    const QByteArray jpeg = fakeJpeg(1000);
    QCOMPARE(avatarIdIn(payloadOf(setAvatar(*alice, jpeg))), sha256Hex(jpeg));
    QVERIFY(server.restart());
    auto again = server.client();
    QVERIFY(again && again->signIn(QStringLiteral("bob")));
    QCOMPARE(searched(*again, QStringLiteral("alice")).value(QLatin1String("avatarId")).toString(),
             sha256Hex(jpeg));
    QCOMPARE(payloadOf(fetchAvatar(*again, sha256Hex(jpeg))).value(QLatin1String("mime")).toString(),
             QStringLiteral("image/jpeg"));
    QCOMPARE(errorCodeOf(fetchAvatar(*again, id)), QStringLiteral("not_found")); // nobody uses it: deleted
}

void TestServerAvatars::refusedBeforeStoring()
{
    auto config = TestServer::defaultConfig();
    config.avatarSetBurst = 50; // every request counts, refused or not
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QVERIFY(createGroup(*alice, QStringLiteral("team"), {bob->userId}));
    const QByteArray first = fakePng(500);
    const QString id = avatarIdIn(payloadOf(setAvatar(*alice, first)));
    QCOMPARE(id, sha256Hex(first));
    QCOMPARE(storedAvatars(server), 1);
    bob->clearInbox();

    auto refused = [&](const QJsonObject& payload, const char* code) {
        const QJsonObject reply = alice->request(QStringLiteral("set_avatar"), payload);
        return errorCodeOf(reply) == QLatin1String(code);
    };
    const auto b64 = [](const QByteArray& bytes) { return QString::fromLatin1(bytes.toBase64()); };
    const QLatin1String data("data");
    QVERIFY(refused({{data, b64(fakePng(confab::limits::kAvatarMaxBytes + 1))}}, "too_large"));
    QVERIFY(refused({{data, QString(confab::limits::kAvatarBase64MaxLength + 4, QLatin1Char('A'))}},
                    "too_large"));
    QVERIFY(refused({{data, b64(QByteArray("GIF89a") + fakePng(100))}}, "bad_request"));
    QVERIFY(refused({{data, b64("<svg xmlns='http://www.w3.org/2000/svg'/>")}}, "bad_request"));
    QVERIFY(refused({{data, QStringLiteral("iVBORw0KGgo*notbase64*")}}, "bad_request"));
    QVERIFY(refused({{data, QStringLiteral("iVBORw0KGgo=AAAA")}}, "bad_request")); // padding inside
    QVERIFY(refused({{data, QString()}}, "bad_request"));
    QVERIFY(refused({{data, 5}}, "bad_request"));
    QVERIFY(refused({}, "bad_request"));
    QVERIFY(refused({{data, b64(fakePng(100))}, {QLatin1String("mime"), QStringLiteral("image/jpeg")}},
                    "bad_request"));
    QVERIFY(refused({{data, b64(fakePng(100))}, {QLatin1String("mime"), QStringLiteral("image/gif")}},
                    "bad_request"));
    QVERIFY(refused({{QLatin1String("clear"), true}, {data, b64(fakePng(100))}}, "bad_request"));
    QVERIFY(refused({{QLatin1String("clear"), QStringLiteral("yes")}}, "bad_request"));

    // Nothing stored: the avatar is the first one, no image was added, and
    // nobody was told anything.
    QCOMPARE(searched(*bob, QStringLiteral("alice")).value(QLatin1String("avatarId")).toString(), id);
    QCOMPARE(storedAvatars(server), 1);
    QVERIFY(bob->staysQuiet(QStringLiteral("user_updated"), 200));
    // The connection is still usable: no refusal closed it.
    QCOMPARE(typeOf(alice->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
}

void TestServerAvatars::storedOncePerContentAndDeletedWhenUnused()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const QByteArray shared = fakePng(2000);
    QCOMPARE(avatarIdIn(payloadOf(setAvatar(*alice, shared))), sha256Hex(shared));
    QCOMPARE(avatarIdIn(payloadOf(setAvatar(*bob, shared))), sha256Hex(shared));
    QCOMPARE(storedAvatars(server), 1); // one image, two users

    // alice clears hers: bob still uses it, so it stays.
    const QJsonObject cleared = clearAvatar(*alice);
    QCOMPARE(typeOf(cleared), QStringLiteral("user"));
    QVERIFY(!payloadOf(cleared).value(QLatin1String("user")).toObject().contains(QLatin1String("avatarId")));
    QCOMPARE(storedAvatars(server), 1);
    QCOMPARE(typeOf(fetchAvatar(*alice, sha256Hex(shared))), QStringLiteral("avatar"));
    // bob moves on: nobody uses it, it is deleted.
    const QByteArray own = fakeJpeg(3000);
    QCOMPARE(avatarIdIn(payloadOf(setAvatar(*bob, own))), sha256Hex(own));
    QCOMPARE(storedAvatars(server), 1);
    QCOMPARE(errorCodeOf(fetchAvatar(*alice, sha256Hex(shared))), QStringLiteral("not_found"));
    QCOMPARE(typeOf(clearAvatar(*bob)), QStringLiteral("user"));
    QCOMPARE(storedAvatars(server), 0);
    QCOMPARE(typeOf(clearAvatar(*bob)), QStringLiteral("user")); // clearing nothing is fine
}

void TestServerAvatars::largestAvatarOnlyAfterSignIn()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    const QByteArray largest = fakePng(confab::limits::kAvatarMaxBytes);
    const QJsonObject reply = setAvatar(*alice, largest);
    QCOMPARE(typeOf(reply), QStringLiteral("user"));
    QCOMPARE(avatarIdIn(payloadOf(reply)), sha256Hex(largest));
    const QJsonObject fetched = fetchAvatar(*alice, sha256Hex(largest));
    QCOMPARE(QByteArray::fromBase64(payloadOf(fetched).value(QLatin1String("data")).toString().toLatin1()),
             largest);

    // Before sign-in the frame limit is unchanged (--max-frame-bytes): the
    // same frame closes the connection with 1009 (too big).
    auto stranger = server.client();
    QVERIFY(stranger);
    stranger->sendWithId(QStringLiteral("set_avatar"),
                         {{QStringLiteral("data"), QString::fromLatin1(largest.toBase64())}});
    QTRY_VERIFY_WITH_TIMEOUT(!stranger->isConnected(), 5000);
    QCOMPARE(stranger->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
}

void TestServerAvatars::setIsLimitedPerUser()
{
    auto config = TestServer::defaultConfig();
    config.avatarSetBurst = 2;
    config.avatarSetRatePerSecond = 0.01;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    auto alice2 = server.secondConnection(*alice);
    QVERIFY(alice2);
    QCOMPARE(typeOf(setAvatar(*alice, fakePng(100))), QStringLiteral("user"));
    QCOMPARE(typeOf(clearAvatar(*alice2)), QStringLiteral("user"));
    const QJsonObject limited = setAvatar(*alice, fakePng(100)); // per user, not per connection
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
    QCOMPARE(storedAvatars(server), 0);
}

CONFAB_TEST_GUILESS_MAIN(TestServerAvatars)
#include "tst_server_avatars.moc"
