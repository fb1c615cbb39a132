// The desktop client's Session against the server's limits of issue 12:
// replies that carry the heaviest rooms still arrive (item 5: the client no
// longer drops them and reconnects forever), and a server that refuses
// handshakes (items 9-10: 429/503) sees the client back off, not hammer.
#include "session.h"
#include "test_server.h"

#include "connection.h"
#include "protocol/event_names.h"
#include "protocol/limits.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace confab;
using namespace confab::test;
using client::Session;
using State = Session::State;

namespace {

bool signUp(Session& session, TestServer& server, const QString& name)
{
    session.signUp(server.url(), name, QStringLiteral("pw-") + name, QString());
    return QTest::qWaitFor([&] { return session.state() == State::Online; }, 10000);
}

Envelope call(Session& session, QLatin1String type, const QJsonObject& payload, int timeoutMs = 20000)
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

} // namespace

class TestClientLimits : public QObject {
    Q_OBJECT

private slots:
    void heavyRoomListsArriveWhole();
    void refusedHandshakesAreRetriedWithBackoff();
};

// The report, with the real client: a user in 30 rooms that each end
// with a message as heavy as the server accepts (16,000 CJK characters, 48 KB)
// asks for the room list; it arrives and the session stays online.
void TestClientLimits::heavyRoomListsArriveWhole()
{
    TestServer server;
    QVERIFY(server.start());
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(bob);
    Session alice;
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    int reconnects = 0;
    connect(&alice, &Session::reconnected, this, [&] { ++reconnects; });
    const QString heavy(16000, QChar(0x4e2d));
    for (int i = 0; i < 30; ++i) {
        const qint64 room = createGroup(*bob, QStringLiteral("room %1").arg(i), {alice.user().id});
        QVERIFY(room > 0);
        QVERIFY(sendMessage(*bob, room, heavy));
    }
    const Envelope reply = call(alice, event::ListRooms, {});
    QCOMPARE(reply.type, QString(event::Rooms));
    QCOMPARE(reply.payload.value(QLatin1String("rooms")).toArray().size(), 30);
    QCOMPARE(alice.state(), State::Online);
    QCOMPARE(reconnects, 0);
}

// A session whose reconnects meet 503 (too many connections waiting to sign
// in) keeps trying, with its exponential backoff (first 50 ms here): the
// fourth refusal comes no sooner than 50+100+200+400 ms (less 20% jitter)
// after the loss, where a client that did not back off would be refused four
// times in about 200 ms. Load only makes the gaps longer, never shorter.
void TestClientLimits::refusedHandshakesAreRetriedWithBackoff()
{
    auto config = TestServer::defaultConfig();
    config.maxUnauthenticatedConnections = 1;
    TestServer server(config);
    QVERIFY(server.start());
    Session alice;
    alice.setReconnectDelays(50, 60'000);
    QVERIFY(signUp(alice, server, QStringLiteral("alice")));
    auto waiting = server.client(); // holds the only place for a connection not signed in
    QVERIFY(waiting->isConnected());
    using Refusal = server::ConnectionGate::Refusal;
    const auto refusals = [&] { return server.server().gate().refused(Refusal::Unauthenticated); };
    QCOMPARE(refusals(), quint64(0));

    QElapsedTimer clock;
    clock.start();
    for (server::Connection* c : server.server().hub()->sessions().connectionsOf(alice.user().id))
        c->close(1001, QStringLiteral("going away"));
    QTRY_COMPARE(alice.state(), State::Reconnecting);
    QVERIFY(QTest::qWaitFor([&] { return refusals() >= 4; }, 30000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(elapsed >= qint64(0.8 * (50 + 100 + 200 + 400)), qPrintable(QString::number(elapsed)));
    QCOMPARE(alice.state(), State::Reconnecting); // refused, not given up

    // Once a place is free the session is back, with the same token.
    const QString token = alice.token();
    waiting->close();
    QTRY_VERIFY_WITH_TIMEOUT(alice.state() == State::Online, 30000);
    QCOMPARE(alice.token(), token);
}

QTEST_MAIN(TestClientLimits)
#include "tst_client_limits.moc"
