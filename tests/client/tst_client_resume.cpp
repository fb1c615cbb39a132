// Silent sign-in at start (the README's promise: "the next start signs in
// silently with the token stored in the keychain"), with the real keychain
// (Secret Service in the D-Bus session scripts/test.sh runs the tests in; a
// keychain that does not work fails this test, as in tst_token_store) and a
// real in-process server. Every other client test turns autoResume off.
//
// A first ChatClient signs in with the password and stores its token; a
// second one, started like the app (autoResume on, same profile), is signed
// in without a password. A token the server no longer accepts ends in
// "sign in again" with the entry gone; a server that is down at start is
// retried until it is back, meanwhile the chat shows what the last run left
// in the profile's local store (the first start of a profile has nothing to
// show and stays on the sign-in page).
#include "client_app_fixture.h"

#include "local_store.h"
#include "message_list_model.h"
#include "room_list_model.h"
#include "token_store.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace confab;
using namespace confab::test;
using client::AccountController;
using client::ChatClient;
using client::ConversationController;
using client::TokenStore;

namespace {

const QString kProfile = QStringLiteral("resume");

// The profile's stored token for `server`, from the keychain itself; empty
// when there is none, "<unavailable: why>" when the keychain failed.
QString storedToken(const QString& service, const QUrl& server)
{
    TokenStore store(kProfile);
    store.setServiceName(service);
    QSignalSpy loaded(&store, &TokenStore::loaded), notFound(&store, &TokenStore::notFound),
        unavailable(&store, &TokenStore::unavailable);
    store.load(server);
    if (!QTest::qWaitFor([&] { return !loaded.isEmpty() || !notFound.isEmpty() || !unavailable.isEmpty(); },
                         20000))
        return QStringLiteral("<no answer from the keychain>");
    if (!unavailable.isEmpty())
        return QStringLiteral("<unavailable: %1>").arg(unavailable.first().first().toString());
    return loaded.isEmpty() ? QString() : loaded.first().at(2).toString();
}

} // namespace

class TestClientResume : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void nextStartSignsInWithTheStoredToken();
    void refusedTokenEndsTheSessionAndIsForgotten();
    void serverDownAtStartIsRetried();
    void serverDownAtFirstStartIsRetried();
    void storedRoomOpensOfflineAndCatchesUp();
    void catchUpAfterTheStoredRoomShowsTheUnreadDivider();

private:
    // Options of an app start on `server` with the keychain entry of this run.
    ChatClient::Options appStart(const QUrl& server) const;
    // Signs in with the password (autoResume off) and waits until the token is in the keychain.
    // With `openRoom`, that room is opened too (its page is cached when the app closes).
    QString signInOnce(const QUrl& server, qint64 openRoom = 0);

    QString m_service; // unique per run: runs never see each other's entries
};

void TestClientResume::initTestCase()
{
    ClientFixture::prepareEnvironment();
    m_service = QStringLiteral("confab-resume-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

ChatClient::Options TestClientResume::appStart(const QUrl& server) const
{
    ChatClient::Options o; // as main() makes them: autoResume on
    o.server = server;
    o.profile = kProfile;
    o.keychainService = m_service;
    return o;
}

QString TestClientResume::signInOnce(const QUrl& server, qint64 openRoom)
{
    ChatClient::Options o = ClientFixture::options(kProfile);
    o.keychainService = m_service;
    ChatClient first(o);
    if (!ClientFixture::signIn(first, server, QStringLiteral("mei")))
        return {};
    if (openRoom != 0 && !ClientFixture::openRoom(first, openRoom))
        return {};
    const QString token = first.session()->token();
    // Saving is asynchronous: wait until the keychain holds it.
    if (!QTest::qWaitFor([&] { return storedToken(m_service, server) == token; }, 20000)) {
        qWarning("the keychain does not hold the token: %s", qPrintable(storedToken(m_service, server)));
        return {};
    }
    return token; // the app closes without signing out
}

void TestClientResume::nextStartSignsInWithTheStoredToken()
{
    TestServer server;
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    QVERIFY(createGroup(*me, QStringLiteral("team"), {}));
    const QString token = signInOnce(server.url());
    QVERIFY(!token.isEmpty());

    ChatClient app(appStart(server.url()));
    QSignalSpy signedIn(app.account(), &AccountController::signedInChanged);
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->signedIn(), 20000);
    QCOMPARE(app.account()->username(), QStringLiteral("mei"));
    // Signed in shows the stored state at once; the server answers after.
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->state() == client::Session::State::Online, 20000);
    QCOMPARE(app.session()->token(), token); // the stored session, not a new login
    QCOMPARE(app.account()->errorMessage(), QString());
    QTRY_COMPARE(app.rooms()->model()->rowCount(), 1);
    QCOMPARE(signedIn.size(), 1);

    // Signing out forgets it: the start after that does not sign in.
    app.account()->signOut();
    QTRY_COMPARE_WITH_TIMEOUT(storedToken(m_service, server.url()), QString(), 20000);
    ChatClient again(appStart(server.url()));
    QVERIFY(!QTest::qWaitFor([&] { return again.account()->signedIn() || again.account()->busy(); }, 1500));
}

void TestClientResume::refusedTokenEndsTheSessionAndIsForgotten()
{
    TestServer server;
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("mei")));
    const QString token = signInOnce(server.url());
    QVERIFY(!token.isEmpty());
    // The session is revoked elsewhere (logout with that token).
    TestClient other;
    QVERIFY(other.open(server.url()));
    QCOMPARE(typeOf(other.request(QStringLiteral("auth"), {{QStringLiteral("token"), token}})),
             QStringLiteral("auth_ok"));
    QVERIFY(!other.request(QStringLiteral("logout")).isEmpty());

    ChatClient app(appStart(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->errorMessage().contains(QLatin1String("sign in again")), 20000);
    QVERIFY(!app.account()->signedIn());
    QVERIFY(!app.account()->busy());
    QTRY_COMPARE_WITH_TIMEOUT(storedToken(m_service, server.url()), QString(), 20000);
}

void TestClientResume::serverDownAtStartIsRetried()
{
    TestServer server(fixedPortConfig(ClientFixture::freePort()));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    QVERIFY(createGroup(*me, QStringLiteral("team ☕"), {}));
    const QString token = signInOnce(server.url());
    QVERIFY(!token.isEmpty());
    server.stop();

    // The rooms as the last run left them, at once and offline.
    ChatClient app(appStart(server.url()));
    QSignalSpy signedIn(app.account(), &AccountController::signedInChanged);
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->signedIn(), 20000);
    QCOMPARE(app.account()->username(), QStringLiteral("mei"));
    QCOMPARE(app.rooms()->model()->rowCount(), 1);
    QCOMPARE(app.rooms()
                 ->model()
                 ->data(app.rooms()->model()->index(0), client::RoomListModel::NameRole)
                 .toString(),
             QStringLiteral("team ☕"));
    QVERIFY(app.session()->state() != client::Session::State::Online);
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->errorMessage().contains(QLatin1String("Retrying")), 20000);
    QVERIFY(server.start()); // the same database and port
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->state() == client::Session::State::Online, 30000);
    QCOMPARE(app.session()->token(), token);
    QTRY_COMPARE(app.account()->errorMessage(), QString());
    QCOMPARE(signedIn.size(), 1); // no flicker through the sign-in page
    QCOMPARE(app.rooms()->model()->rowCount(), 1);
}

void TestClientResume::serverDownAtFirstStartIsRetried()
{
    TestServer server(fixedPortConfig(ClientFixture::freePort()));
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("mei")));
    const QString token = signInOnce(server.url());
    QVERIFY(!token.isEmpty());
    server.stop();
    // A profile whose local store is empty (as after an update to this
    // version): nothing to show before the server answers.
    const QString store = client::LocalStore::pathFor(kProfile);
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(store + suffix);

    ChatClient app(appStart(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->errorMessage().contains(QLatin1String("Retrying")), 20000);
    QVERIFY(app.account()->busy());
    QVERIFY(!app.account()->signedIn());
    QVERIFY(server.start()); // the same database and port
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->signedIn(), 30000);
    QCOMPARE(app.session()->token(), token);
    QCOMPARE(app.account()->errorMessage(), QString());
}

void TestClientResume::storedRoomOpensOfflineAndCatchesUp()
{
    TestServer server(fixedPortConfig(ClientFixture::freePort()));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    QVERIFY(me);
    const qint64 room = createGroup(*me, QStringLiteral("notes"), {});
    QVERIFY(sendMessage(*me, room, QStringLiteral("last seen ❤")));
    const QString token = signInOnce(server.url(), room);
    QVERIFY(!token.isEmpty());
    server.stop();

    // Offline: the room opens with its messages as the last run saw them.
    ChatClient app(appStart(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->signedIn(), 20000);
    app.conversation()->openRoom(double(room));
    QTRY_COMPARE(contentsOf(rowsOf(app)), QStringList{QStringLiteral("last seen ❤")});
    QVERIFY(app.session()->state() != client::Session::State::Online);

    // Back online: what was sent meanwhile follows them (the catch-up of a reconnect).
    QVERIFY(server.start());
    auto meElsewhere = connectAs(server.url(), *me);
    QVERIFY(meElsewhere);
    QVERIFY(sendMessage(*meElsewhere, room, QStringLiteral("sent meanwhile")));
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->state() == client::Session::State::Online, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(contentsOf(rowsOf(app)),
                              (QStringList{QStringLiteral("last seen ❤"), QStringLiteral("sent meanwhile")}),
                              10000);
}

// The room opened from the cache, offline, with nothing unread in it: what
// the first connection brings from others is unread. The "New messages"
// line goes above it and nothing is marked read behind the user's back
// (the view marks what it shows).
void TestClientResume::catchUpAfterTheStoredRoomShowsTheUnreadDivider()
{
    TestServer server(fixedPortConfig(ClientFixture::freePort()));
    QVERIFY(server.start());
    auto me = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(me && bob);
    const qint64 room = createGroup(*bob, QStringLiteral("divided"), {me->userId});
    QVERIFY(sendMessage(*bob, room, QStringLiteral("read before")));
    QVERIFY(!signInOnce(server.url(), room).isEmpty()); // opened and read: cached with nothing unread
    const qint64 firstNew = sendMessage(*bob, room, QStringLiteral("new one"));
    QVERIFY(firstNew != 0);
    QVERIFY(sendMessage(*bob, room, QStringLiteral("new two")));
    server.stop();

    ChatClient app(appStart(server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(app.account()->signedIn(), 20000);
    app.conversation()->openRoom(double(room));
    QTRY_COMPARE(contentsOf(rowsOf(app)), QStringList{QStringLiteral("read before")});
    QCOMPARE(app.conversation()->messages()->firstUnreadId(), Id(0));

    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(app.session()->state() == client::Session::State::Online, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        contentsOf(rowsOf(app)),
        (QStringList{QStringLiteral("read before"), QStringLiteral("new one"), QStringLiteral("new two")}),
        10000);
    QTRY_COMPARE(app.conversation()->messages()->firstUnreadId(), Id(firstNew));
    // Not marked read: the server still counts both.
    auto meElsewhere = connectAs(server.url(), *me);
    QVERIFY(meElsewhere);
    const QJsonArray rooms =
        payloadOf(meElsewhere->request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray();
    int unread = -1;
    for (const QJsonValue& r : rooms) {
        if (idOf(r.toObject().value(QLatin1String("id"))) == room)
            unread = r.toObject().value(QLatin1String("unreadCount")).toInt();
    }
    QCOMPARE(unread, 2);
}

QTEST_MAIN(TestClientResume)
#include "tst_client_resume.moc"
