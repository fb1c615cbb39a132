// The client's Session against a real in-process server: sign-in, replies
// matched by id, pushed events as typed signals, timeouts, reconnect with the
// same token, sign-out and the keepalive.
#include "session.h"
#include "test_server.h"

#include "protocol/event_names.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocketServer>

using namespace confab;
using namespace confab::test;
using client::Session;
using State = Session::State;

namespace {

// Everything a Session emits, in order.
class Recorder : public QObject {
public:
    explicit Recorder(Session& s)
    {
        connect(&s, &Session::stateChanged, this, [this, &s] { states.append(s.state()); });
        connect(&s, &Session::authenticated, this, [this](const User& user, const QString& token) {
            authenticated.append(user);
            tokens.append(token);
        });
        connect(&s, &Session::authenticationFailed, this, [this](const Error& e) { failures.append(e); });
        connect(&s, &Session::signedOut, this, [this] { ++signedOut; });
        connect(&s, &Session::reconnected, this, [this] { ++reconnected; });
        connect(&s, &Session::roomReceived, this, [this](const Room& room) { rooms.append(room); });
        connect(&s, &Session::roomLeft, this, [this](Id room) { roomsLeft.append(room); });
        connect(&s, &Session::memberLeft, this, [this](Id room, Id user) {
            membersLeft.append({room, user});
        });
        connect(&s, &Session::messageReceived, this, [this](const Message& m) { messages.append(m); });
        connect(&s, &Session::mentionReceived, this, [this](const MentionEvent& m) { mentions.append(m); });
        connect(&s, &Session::presenceChanged, this, [this](const PresenceEvent& p) { presence.append(p); });
        connect(&s, &Session::typingChanged, this, [this](const TypingEvent& t) { typing.append(t); });
        connect(&s, &Session::readMarkerChanged, this, [this](Id room, Id m) { reads.append({room, m}); });
    }
    QList<State> states;
    QList<User> authenticated;
    QStringList tokens;
    QList<Error> failures;
    int signedOut = 0;
    int reconnected = 0;
    QList<Room> rooms;
    QList<Id> roomsLeft;
    QList<QPair<Id, Id>> membersLeft;
    QList<Message> messages;
    QList<MentionEvent> mentions;
    QList<PresenceEvent> presence;
    QList<TypingEvent> typing;
    QList<QPair<Id, Id>> reads;
};

// A port nothing listens on (for a moment): bind to 0, note it, let it go.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool signUp(Session& session, TestServer& server, const QString& name)
{
    session.signUp(server.url(), name, QStringLiteral("pw-") + name, QString());
    return QTest::qWaitFor([&] { return session.state() == State::Online; }, 10000);
}

// A request, waited for; an empty envelope if no handler ran.
Envelope call(Session& session, QLatin1String type, const QJsonObject& payload, int timeoutMs = 10000)
{
    Envelope reply;
    bool done = false;
    session.request(
        type, payload,
        [&](const Envelope& e) {
            reply = e;
            done = true;
        },
        timeoutMs);
    (void)QTest::qWaitFor([&] { return done; }, timeoutMs + 5000);
    return reply;
}

// A TCP relay to the server that can go silent without closing anything, as a
// dead network path does (a suspended laptop, a dropped NAT entry). While
// frozen, new connections are closed at once (nobody answers).
class FreezableProxy : public QObject {
public:
    explicit FreezableProxy(quint16 target)
        : m_target(target)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* in = m_server.nextPendingConnection())
                relay(in);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort())); }
    void setFrozen(bool frozen) { m_frozen = frozen; }

private:
    void relay(QTcpSocket* in)
    {
        in->setParent(this);
        if (m_frozen) {
            in->abort();
            in->deleteLater();
            return;
        }
        auto* out = new QTcpSocket(this);
        out->connectToHost(QHostAddress::LocalHost, m_target);
        const auto pipe = [this](QTcpSocket* from, QTcpSocket* to) {
            connect(from, &QTcpSocket::readyRead, this, [this, from, to] {
                const QByteArray data = from->readAll();
                if (!m_frozen)
                    to->write(data);
            });
            connect(from, &QTcpSocket::disconnected, to, &QTcpSocket::disconnectFromHost);
        };
        pipe(in, out);
        pipe(out, in);
    }

    QTcpServer m_server;
    quint16 m_target;
    bool m_frozen = false;
};

} // namespace

class TestClientSession : public QObject {
    Q_OBJECT

private slots:
    void signUpSignInAndResume();
    void signInFailuresAreFinal_data();
    void signInFailuresAreFinal();
    void pipelinedRequestsAreMatchedById();
    void pushedEventsBecomeTypedSignals();
    void membershipAndReadEvents();
    void requestWhileDisconnectedIsUnavailable();
    void requestWithoutReplyTimesOut();
    void reconnectsWithTheSameToken();
    void refusedTokenOnReconnectEndsTheSession();
    void signOutRevokesTheToken();
    void keepaliveDetectsADeadServer();
    void signOutWhileReconnectingStopsRetrying();
    void unknownAndMalformedPushesAreIgnored();
};

void TestClientSession::signUpSignInAndResume()
{
    TestServer server;
    QVERIFY(server.start());

    Session first;
    Recorder r1(first);
    first.signUp(server.url(), QStringLiteral("alice"), QStringLiteral("pw-alice"),
                 QStringLiteral("Alice Chen"));
    QTRY_COMPARE(first.state(), State::Online);
    QCOMPARE(r1.states, (QList<State>{State::Connecting, State::Authenticating, State::Online}));
    QCOMPARE(r1.authenticated.size(), 1);
    QCOMPARE(first.user().username, QStringLiteral("alice"));
    QCOMPARE(first.user().displayName, QStringLiteral("Alice Chen"));
    QVERIFY(first.user().id > 0);
    QCOMPARE(r1.authenticated.first(), first.user());
    QCOMPARE(r1.tokens.first(), first.token());
    QCOMPARE(first.token().size(), 43);
    QCOMPARE(first.serverUrl(), server.url());

    Session second;
    Recorder r2(second);
    second.signIn(server.url(), QStringLiteral("alice"), QStringLiteral("pw-alice"));
    QTRY_COMPARE(second.state(), State::Online);
    QCOMPARE(r2.authenticated.size(), 1);
    QCOMPARE(second.user().id, first.user().id);
    QVERIFY(second.token() != first.token()); // every login issues a new token

    Session third;
    Recorder r3(third);
    third.resume(server.url(), first.token());
    QTRY_COMPARE(third.state(), State::Online);
    QCOMPARE(r3.authenticated.size(), 1);
    QCOMPARE(third.user().id, first.user().id);
    QCOMPARE(third.token(), first.token());
    QVERIFY(r1.failures.isEmpty() && r2.failures.isEmpty() && r3.failures.isEmpty());
}

void TestClientSession::signInFailuresAreFinal_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("code");
    QTest::newRow("wrong password") << QStringLiteral("wrong-password")
                                    << QStringLiteral("invalid_credentials");
    QTest::newRow("unknown user") << QStringLiteral("unknown-user") << QStringLiteral("invalid_credentials");
    QTest::newRow("taken username") << QStringLiteral("taken") << QStringLiteral("conflict");
    QTest::newRow("invalid username") << QStringLiteral("invalid-name") << QStringLiteral("bad_request");
    QTest::newRow("unknown token") << QStringLiteral("bad-token") << QStringLiteral("invalid_credentials");
    QTest::newRow("nobody listening") << QStringLiteral("no-server") << QStringLiteral("unavailable");
    QTest::newRow("not a ws url") << QStringLiteral("http-url") << QStringLiteral("bad_request");
}

void TestClientSession::signInFailuresAreFinal()
{
    QFETCH(QString, how);
    QFETCH(QString, code);
    TestServer server;
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("bob")));

    Session session;
    session.setReconnectDelays(50, 200);
    Recorder r(session);
    const QUrl url = server.url();
    if (how == QLatin1String("wrong-password"))
        session.signIn(url, QStringLiteral("bob"), QStringLiteral("not bob's"));
    else if (how == QLatin1String("unknown-user"))
        session.signIn(url, QStringLiteral("nobody"), QStringLiteral("x"));
    else if (how == QLatin1String("taken"))
        session.signUp(url, QStringLiteral("BOB"), QStringLiteral("x"), QString());
    else if (how == QLatin1String("invalid-name"))
        session.signUp(url, QStringLiteral("no spaces"), QStringLiteral("x"), QString());
    else if (how == QLatin1String("bad-token"))
        session.resume(url, QStringLiteral("eQB4H4YkYr7bnZbzDKPiOlGEeSt57gQkD5W1t7WabEA"));
    else if (how == QLatin1String("no-server"))
        session.signIn(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(freePort())), QStringLiteral("bob"),
                       QStringLiteral("x"));
    else
        session.signIn(QUrl(QStringLiteral("http://127.0.0.1:1")), QStringLiteral("bob"),
                       QStringLiteral("x"));

    QTRY_COMPARE(r.failures.size(), 1);
    QCOMPARE(errorCodeName(r.failures.first().code), code);
    QVERIFY(!r.failures.first().message.isEmpty());
    QCOMPARE(session.state(), State::Disconnected);
    QVERIFY(session.token().isEmpty());
    QTest::qWait(300); // several backoff periods: nothing retries
    QCOMPARE(session.state(), State::Disconnected);
    QCOMPARE(r.failures.size(), 1);
    QVERIFY(r.authenticated.isEmpty());
}

void TestClientSession::pipelinedRequestsAreMatchedById()
{
    TestServer server;
    QVERIFY(server.start());
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(bob);
    Session alice;
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    const Envelope created = call(alice, event::CreateRoom,
                                  {{QStringLiteral("name"), QStringLiteral("team")},
                                   {QStringLiteral("memberIds"), QJsonArray{double(bob->userId)}}});
    QCOMPARE(created.type, QString(event::Room));
    const Id room = RoomEvent::fromPayload(created.payload)->room.id;
    for (int i = 0; i < 3; ++i)
        QVERIFY(sendMessage(*bob, room, QStringLiteral("hello %1").arg(i)));

    // Three requests in flight at once; each handler gets its own reply.
    QHash<QString, Envelope> replies;
    const auto keep = [&replies](const Envelope& reply) { replies.insert(reply.id.toString(), reply); };
    const QString rooms = alice.request(event::ListRooms, {}, keep);
    const QString users =
        alice.request(event::SearchUsers, {{QStringLiteral("query"), QStringLiteral("b")}}, keep);
    const QString history =
        alice.request(event::FetchMessages, {{QStringLiteral("roomId"), double(room)}}, keep);
    const QString bad = alice.request(event::FetchMessages, {{QStringLiteral("roomId"), 999999}}, keep);
    QCOMPARE(QSet<QString>({rooms, users, history, bad}).size(), 4);
    QVERIFY(rooms.startsWith(QLatin1Char('c')));
    QTRY_COMPARE(replies.size(), 4);

    QCOMPARE(replies.value(rooms).type, QString(event::Rooms));
    const auto roomList = RoomsReply::fromPayload(replies.value(rooms).payload);
    QVERIFY(roomList && roomList->rooms.size() == 1 && roomList->rooms.first().id == room);
    QCOMPARE(replies.value(users).type, QString(event::Users));
    const auto userList = UsersReply::fromPayload(replies.value(users).payload);
    QVERIFY(userList && userList->users.size() == 1);
    QCOMPARE(userList->users.first().username, QStringLiteral("bob"));
    QCOMPARE(replies.value(history).type, QString(event::History));
    const auto page = HistoryReply::fromPayload(replies.value(history).payload);
    QVERIFY(page);
    QCOMPARE(page->messages.size(), 3);
    QCOMPARE(page->messages.last().content, QStringLiteral("hello 2"));
    QCOMPARE(replies.value(bad).type, QString(event::Error));
    QCOMPARE(replies.value(bad).payload.value(QLatin1String("code")).toString(), QStringLiteral("forbidden"));
}

void TestClientSession::pushedEventsBecomeTypedSignals()
{
    TestServer server;
    QVERIFY(server.start());
    Session alice;
    Recorder r(alice);
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(bob);

    const qint64 room = createGroup(*bob, QStringLiteral("设计评审"), {alice.user().id});
    QVERIFY(room);
    QTRY_COMPARE(r.rooms.size(), 1);
    QCOMPARE(r.rooms.first().id, room);
    QCOMPARE(r.rooms.first().name, QStringLiteral("设计评审"));
    QCOMPARE(r.rooms.first().members.size(), 2);

    const QString content = QStringLiteral("今天下午开会 @alice");
    const QJsonArray mentions{QJsonObject{{QStringLiteral("userId"), double(alice.user().id)},
                                          {QStringLiteral("indexStart"), 7},
                                          {QStringLiteral("indexEnd"), 13}}};
    const qint64 messageId = sendMessage(*bob, room, content, QStringLiteral("b-1"), mentions);
    QVERIFY(messageId);
    QTRY_COMPARE(r.messages.size(), 1);
    const Message& m = r.messages.first();
    QCOMPARE(m.id, messageId);
    QCOMPARE(m.roomId, room);
    QCOMPARE(m.senderId, bob->userId);
    QCOMPARE(m.content, content);
    QCOMPARE(m.tempId, QStringLiteral("b-1"));
    QCOMPARE(m.mentions.size(), 1);
    QCOMPARE(m.mentions.first().userId, alice.user().id);
    QVERIFY(m.createdAt > 0);
    QTRY_COMPARE(r.mentions.size(), 1);
    QCOMPARE(r.mentions.first().messageId, messageId);
    QCOMPARE(r.mentions.first().fromUserId, bob->userId);
    QCOMPARE(r.mentions.first().content, content);

    bob->sendWithId(QStringLiteral("typing"),
                    {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), true}});
    QTRY_COMPARE(r.typing.size(), 1);
    QCOMPARE(r.typing.first().roomId, room);
    QCOMPARE(r.typing.first().userId, bob->userId);
    QVERIFY(r.typing.first().isTyping);

    bob->close(); // bob's last connection: alice sees him go offline (and stop typing)
    QTRY_VERIFY(!r.presence.isEmpty());
    QCOMPARE(r.presence.last().userId, bob->userId);
    QVERIFY(!r.presence.last().online);
    QVERIFY(r.presence.last().lastSeenAt > 0);
    QTRY_COMPARE(r.typing.size(), 2);
    QVERIFY(!r.typing.last().isTyping);
    QVERIFY(server.secondConnection(*bob));
    QTRY_COMPARE(r.presence.size(), 2);
    QVERIFY(r.presence.last().online);
}

void TestClientSession::membershipAndReadEvents()
{
    TestServer server;
    QVERIFY(server.start());
    Session alice;
    Recorder r(alice);
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(bob);
    auto aliceElsewhere = server.client();
    QCOMPARE(
        typeOf(aliceElsewhere->request(QStringLiteral("auth"), {{QStringLiteral("token"), alice.token()}})),
        QStringLiteral("auth_ok"));

    const qint64 room = createGroup(*bob, QStringLiteral("r"), {alice.user().id});
    const qint64 messageId = sendMessage(*bob, room, QStringLiteral("read me"));
    QVERIFY(room && messageId);
    QCOMPARE(typeOf(aliceElsewhere->request(QStringLiteral("mark_read"),
                                            {{QStringLiteral("roomId"), double(room)},
                                             {QStringLiteral("messageId"), double(messageId)}})),
             QStringLiteral("ok"));
    QTRY_COMPARE(r.reads.size(), 1);
    QCOMPARE(r.reads.first(), qMakePair(Id(room), Id(messageId)));

    QCOMPARE(typeOf(bob->request(QStringLiteral("leave_room"), {{QStringLiteral("roomId"), double(room)}})),
             QStringLiteral("ok"));
    QTRY_COMPARE(r.membersLeft.size(), 1);
    QCOMPARE(r.membersLeft.first(), qMakePair(Id(room), Id(bob->userId)));

    QCOMPARE(typeOf(aliceElsewhere->request(QStringLiteral("leave_room"),
                                            {{QStringLiteral("roomId"), double(room)}})),
             QStringLiteral("ok"));
    QTRY_COMPARE(r.roomsLeft.size(), 1);
    QCOMPARE(r.roomsLeft.first(), Id(room));
}

void TestClientSession::requestWhileDisconnectedIsUnavailable()
{
    Session session;
    QList<Envelope> replies;
    const QString id =
        session.request(event::ListRooms, {}, [&replies](const Envelope& e) { replies.append(e); });
    QVERIFY(replies.isEmpty()); // never re-entrantly inside request()
    QTRY_COMPARE(replies.size(), 1);
    QCOMPARE(replies.first().type, QString(event::Error));
    QCOMPARE(replies.first().id.toString(), id);
    const auto error = errorFromPayload(replies.first().payload);
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::Unavailable);
    QCOMPARE(error->message, QStringLiteral("not connected"));
}

void TestClientSession::requestWithoutReplyTimesOut()
{
    TestServer server;
    QVERIFY(server.start());
    Session alice;
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    const Envelope created = call(alice, event::CreateRoom, {{QStringLiteral("name"), QStringLiteral("r")}});
    const Id room = RoomEvent::fromPayload(created.payload)->room.id;
    QVERIFY(room);

    // A successful typing event gets no reply at all, so this cannot race.
    QElapsedTimer clock;
    clock.start();
    const Envelope reply =
        call(alice, event::Typing,
             {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), true}}, 200);
    QVERIFY(clock.elapsed() >= 190);
    QCOMPARE(reply.type, QString(event::Error));
    const auto error = errorFromPayload(reply.payload);
    QVERIFY(error);
    QCOMPARE(error->code, ErrorCode::Internal);
    QCOMPARE(error->message, QStringLiteral("timed out"));
    // The connection is still fine.
    QCOMPARE(alice.state(), State::Online);
    QCOMPARE(call(alice, event::Ping, {}).type, QString(event::Pong));
}

void TestClientSession::reconnectsWithTheSameToken()
{
    auto config = TestServer::defaultConfig();
    config.port = freePort();
    TestServer server(config);
    QVERIFY(server.start());
    Session alice;
    alice.setReconnectDelays(50, 200);
    Recorder r(alice);
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    const QString token = alice.token();
    const User user = alice.user();

    QList<Envelope> inFlight;
    alice.request(event::ListRooms, {}, [&inFlight](const Envelope& e) { inFlight.append(e); });
    server.stop(); // before the server read the request
    QTRY_COMPARE(alice.state(), State::Reconnecting);
    QTRY_COMPARE(inFlight.size(), 1);
    QCOMPARE(inFlight.first().payload.value(QLatin1String("code")).toString(), QStringLiteral("unavailable"));
    QTest::qWait(500); // several refused attempts; still trying
    QCOMPARE(alice.state(), State::Reconnecting);

    QVERIFY(server.start()); // same port, same database
    QTRY_COMPARE(alice.state(), State::Online);
    QCOMPARE(r.reconnected, 1);
    QCOMPARE(r.authenticated.size(), 1); // only the first sign-in
    QCOMPARE(alice.token(), token);      // no new login
    QCOMPARE(alice.user().id, user.id);
    QCOMPARE(r.states.mid(r.states.indexOf(State::Online)),
             (QList<State>{State::Online, State::Reconnecting, State::Online}));
    QCOMPARE(call(alice, event::ListRooms, {}).type, QString(event::Rooms));
    QVERIFY(r.failures.isEmpty());
}

void TestClientSession::refusedTokenOnReconnectEndsTheSession()
{
    TestServer server;
    QVERIFY(server.start());
    Session alice;
    alice.setReconnectDelays(50, 200);
    Recorder r(alice);
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));

    // Another connection logs the same token out: the server closes this
    // session's connection, and the token no longer works.
    auto other = server.client();
    QCOMPARE(typeOf(other->request(QStringLiteral("auth"), {{QStringLiteral("token"), alice.token()}})),
             QStringLiteral("auth_ok"));
    QCOMPARE(typeOf(other->request(QStringLiteral("logout"))), QStringLiteral("ok"));
    QTRY_COMPARE(r.failures.size(), 1);
    QCOMPARE(r.failures.first().code, ErrorCode::InvalidCredentials);
    QCOMPARE(alice.state(), State::Disconnected);
    QVERIFY(r.states.contains(State::Reconnecting));
    QCOMPARE(r.reconnected, 0);
    QVERIFY(alice.token().isEmpty());
    QTest::qWait(300);
    QCOMPARE(alice.state(), State::Disconnected);
}

void TestClientSession::signOutRevokesTheToken()
{
    TestServer server;
    QVERIFY(server.start());
    Session alice;
    alice.setReconnectDelays(50, 200);
    Recorder r(alice);
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    const QString token = alice.token();

    alice.signOut();
    QTRY_COMPARE(r.signedOut, 1);
    QCOMPARE(alice.state(), State::Disconnected);
    QVERIFY(alice.token().isEmpty());
    QTest::qWait(300);
    QCOMPARE(alice.state(), State::Disconnected); // no reconnect after signing out

    Session again;
    Recorder r2(again);
    again.resume(server.url(), token);
    QTRY_COMPARE(r2.failures.size(), 1);
    QCOMPARE(r2.failures.first().code, ErrorCode::InvalidCredentials);
}

void TestClientSession::keepaliveDetectsADeadServer()
{
    TestServer server;
    QVERIFY(server.start());
    FreezableProxy proxy(server.url().port());
    QVERIFY(proxy.listen());
    Session alice;
    alice.setReconnectDelays(50, 200);
    alice.setPingInterval(250); // and a pong must come within 250 ms
    Recorder r(alice);
    alice.signUp(proxy.url(), QStringLiteral("alice"), QStringLiteral("pw"), QString());
    QTRY_COMPARE(alice.state(), State::Online);
    QTest::qWait(400); // pongs come back: nothing happens
    QCOMPARE(alice.state(), State::Online);

    proxy.setFrozen(true); // the TCP connection stays up, but nothing arrives
    QTRY_COMPARE(alice.state(), State::Reconnecting);
    proxy.setFrozen(false);
    QTRY_COMPARE(alice.state(), State::Online);
    QCOMPARE(r.reconnected, 1);
    QCOMPARE(call(alice, event::Ping, {}).type, QString(event::Pong));

    alice.disconnectFromServer(); // for good: no reconnect
    QCOMPARE(alice.state(), State::Disconnected);
    QTest::qWait(300);
    QCOMPARE(alice.state(), State::Disconnected);
    QCOMPARE(r.reconnected, 1);
}

void TestClientSession::signOutWhileReconnectingStopsRetrying()
{
    TestServer server;
    QVERIFY(server.start());
    Session alice;
    alice.setReconnectDelays(50, 200);
    Recorder r(alice);
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    server.stop();
    QTRY_COMPARE(alice.state(), State::Reconnecting);
    alice.signOut();
    QCOMPARE(r.signedOut, 1);
    QCOMPARE(alice.state(), State::Disconnected);
    QVERIFY(alice.token().isEmpty());
    QTest::qWait(300);
    QCOMPARE(alice.state(), State::Disconnected);
}

void TestClientSession::unknownAndMalformedPushesAreIgnored()
{
    // The real server never sends these, so a stand-in that signs anyone in.
    QWebSocketServer fake(QStringLiteral("fake"), QWebSocketServer::NonSecureMode);
    QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
    QWebSocket* peer = nullptr;
    connect(&fake, &QWebSocketServer::newConnection, this, [&] {
        peer = fake.nextPendingConnection();
        peer->setParent(&fake); // the caller owns it
        connect(peer, &QWebSocket::textMessageReceived, peer, [peer](const QString& text) {
            const Result<Envelope> request = Envelope::parse(text.toUtf8());
            AuthOk ok;
            ok.token = QStringLiteral("tok");
            ok.user.id = 7;
            ok.user.username = QStringLiteral("alice");
            ok.user.displayName = QStringLiteral("Alice");
            ok.user.online = true;
            ok.user.lastSeenAt = 1;
            peer->sendTextMessage(QString::fromUtf8(
                Envelope::make(QString(event::AuthOk), ok.toPayload(), request->id).serialize()));
        });
    });
    Session alice;
    Recorder r(alice);
    alice.resume(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(fake.serverPort())), QStringLiteral("tok"));
    QTRY_COMPARE(alice.state(), State::Online);
    QCOMPARE(alice.user().id, Id(7));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("not an envelope")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("malformed.*message.*event")));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("server error:.*unauthenticated.*deadline")));
    Message m;
    m.id = 42;
    m.roomId = 3;
    m.senderId = 9;
    m.content = QStringLiteral("still here");
    m.createdAt = 1;
    m.tempId = QStringLiteral("t");
    for (
        const char* frame :
        {R"({"type":"reaction_added","payload":{"emoji":"+1"}})", "not json",
         R"({"type":"message","payload":{"message":{"id":"x"}}})",
         R"({"type":"ok","id":"c999","payload":{}})",
         R"({"type":"error","payload":{"code":"unauthenticated","message":"authentication deadline passed"}})"})
        peer->sendTextMessage(QString::fromUtf8(frame));
    peer->sendTextMessage(
        QString::fromUtf8(Envelope::make(QString(event::Message), MessageEvent{m}.toPayload()).serialize()));
    QTRY_COMPARE(r.messages.size(), 1);
    QCOMPARE(r.messages.first(), m);
    QCOMPARE(alice.state(), State::Online);
    QVERIFY(r.rooms.isEmpty() && r.failures.isEmpty());
}

QTEST_GUILESS_MAIN(TestClientSession)
#include "tst_client_session.moc"
