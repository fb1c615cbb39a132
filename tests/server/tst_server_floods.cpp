// Hostile clients against a real confab-server process (issue 12, items 1, 4
// and 6): a ping flood from a connection that never reads, a typing flood,
// pipelined mark_read and search floods beside another user's send, every
// request class past its burst, and requests pipelined right behind a
// handshake token. Every loop is bounded (seconds); the long versions are
// `confab-bench flood` (bench/README.md). New settings go through the
// environment (CONFAB_<NAME>), so that the suite also starts an older server
// (CONFAB_SERVER_BIN), which ignores them, and shows what it got wrong.
#include "raw_ws_client.h"
#include "server_process.h"
#include "test_server.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace confab::test;
using confab::server::ws::Opcode;

namespace {
using Settings = QList<QPair<QString, QString>>;

QJsonObject obj(std::initializer_list<QPair<QString, QJsonValue>> fields)
{
    QJsonObject o;
    for (const auto& field : fields)
        o.insert(field.first, field.second);
    return o;
}

int countOf(const QStringList& types, const QString& type)
{
    return int(types.count(type));
}
} // namespace

class TestServerFloods : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pingFloodFromAConnectionThatNeverReads_data();
    void pingFloodFromAConnectionThatNeverReads();
    void typingFloodIsCoalesced();
    void pipelinedFloodDoesNotDelayAnotherUsersSend_data();
    void pipelinedFloodDoesNotDelayAnotherUsersSend();
    void everyRequestClassAnswersRateLimited();
    void tokenChecksAreLimitedPerAddress();
    void requestsRightBehindAHandshakeTokenWaitForIt_data();
    void requestsRightBehindAHandshakeTokenWaitForIt();

private:
    // A confab-server process on a new database of the backend under test.
    std::unique_ptr<ServerProcess> startServer(const Settings& settings = {});
    QString newDatabaseUrl();

    QTemporaryDir m_dir;
    int m_databases = 0;
    std::vector<std::unique_ptr<ScratchPostgres>> m_postgres;
};

void TestServerFloods::initTestCase()
{
    CONFAB_REQUIRE_TEST_BACKEND();
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name confab-server");
    QVERIFY(m_dir.isValid());
}

QString TestServerFloods::newDatabaseUrl()
{
    if (!TestServer::usesPostgres())
        return QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("floods%1.db").arg(++m_databases));
    m_postgres.push_back(std::make_unique<ScratchPostgres>());
    return m_postgres.back()->url();
}

std::unique_ptr<ServerProcess> TestServerFloods::startServer(const Settings& settings)
{
    auto server = std::make_unique<ServerProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const auto& setting : settings)
        environment.insert(setting.first, setting.second);
    server->process().setProcessEnvironment(environment);
    if (!server->start({QStringLiteral("--db"), newDatabaseUrl(), QStringLiteral("--discovery"),
                        QStringLiteral("off"), QStringLiteral("--hash-threads"), QStringLiteral("1")}))
        return nullptr;
    return server;
}

// Item 1: pings from a connection that never reads its pongs. Before, every
// pong was queued with no cap (2.5 GB in 9 s). Now a queued pong answers
// the newest ping, a connection not signed in is read at a bounded frame
// rate, and whatever is queued counts against one cap: the server's memory
// stays flat, and another user is served throughout.
void TestServerFloods::pingFloodFromAConnectionThatNeverReads_data()
{
    QTest::addColumn<bool>("signedIn");
    QTest::newRow("not signed in") << false;
    QTest::newRow("signed in") << true;
}

void TestServerFloods::pingFloodFromAConnectionThatNeverReads()
{
    QFETCH(bool, signedIn);
    auto server = startServer();
    QVERIFY(server);
    auto alice = signUpAt(server->url(), QStringLiteral("alice"));
    auto mallory = signUpAt(server->url(), QStringLiteral("mallory"));
    QVERIFY(alice && mallory);
    const qint64 before = residentKiB(server->pid());
    QVERIFY(before > 0);

    RawWsClient flood;
    QVERIFY(flood.connectTo(server->url()));
    const QString target = signedIn ? QStringLiteral("/?token=") + mallory->token : QStringLiteral("/");
    QVERIFY(flood.writeAll(RawWsClient::upgrade(target)));
    QByteArray pings;
    for (int i = 0; i < 8192; ++i)
        pings += RawWsClient::frame(Opcode::Ping, QByteArrayLiteral("are you there?"));
    qint64 offset = 0;
    qint64 sent = 0;
    qint64 peak = before;
    int served = 0;
    QElapsedTimer clock;
    clock.start();
    qint64 nextCheck = 0;
    while (clock.elapsed() < 3000) { // bounded: 3 s of pings, as fast as the kernel takes them
        const qint64 n = flood.writeSome(QByteArrayView(pings).sliced(offset));
        QVERIFY2(n >= 0, "the flood's connection was closed");
        offset = (offset + n) % pings.size(); // an endless stream of whole frames
        sent += n;
        if (n == 0)
            QTest::qWait(2);
        if (clock.elapsed() >= nextCheck) {
            nextCheck += 250;
            QCOMPARE(typeOf(alice->request(QStringLiteral("ping"), {}, 20000)), QStringLiteral("pong"));
            ++served;
            peak = qMax(peak, residentKiB(server->pid()));
        }
    }
    peak = qMax(peak, residentKiB(server->pid()));
    qInfo("ping flood (%s): %lld MB sent in 3 s; server RSS %lld -> peak %lld KiB; alice served %d times",
          signedIn ? "signed in" : "not signed in", sent / 1'000'000, before, peak, served);
    QVERIFY2(peak - before < 64 * 1024,
             qPrintable(QStringLiteral("the server grew by %1 KiB during the flood").arg(peak - before)));
    QVERIFY(served >= 8);
    flood.close();
    QCOMPARE(typeOf(alice->request(QStringLiteral("ping"))), QStringLiteral("pong"));
    QVERIFY(residentKiB(server->pid()) - before < 64 * 1024);
}

// Item 4: 20,000 `typing` frames (the limit raised so that only the
// coalescing is tested): the partner hears a start and a stop, not 20,000.
void TestServerFloods::typingFloodIsCoalesced()
{
    auto server = startServer({{QStringLiteral("CONFAB_TYPING_RATE"), QStringLiteral("1000000")},
                               {QStringLiteral("CONFAB_TYPING_BURST"), QStringLiteral("1000000")}});
    QVERIFY(server);
    auto alice = signUpAt(server->url(), QStringLiteral("alice"));
    auto bob = signUpAt(server->url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {bob->userId});
    QVERIFY(room);
    bob->history.clear();
    // Bob's second connection never reads.
    RawWsClient sleeper;
    QVERIFY(sleeper.connectTo(server->url()));
    QVERIFY(sleeper.writeAll(RawWsClient::upgrade(QStringLiteral("/?token=") + bob->token)));

    constexpr int kFrames = 20'000;
    const QString typing =
        QStringLiteral(R"({"type":"typing","payload":{"roomId":%1,"isTyping":true}})").arg(room);
    for (int i = 0; i < kFrames; ++i)
        alice->sendRaw(typing);
    alice->sendRaw(QStringLiteral(R"({"type":"typing","payload":{"roomId":%1,"isTyping":false}})").arg(room));
    // Frames are handled in order: once this is answered, every typing was.
    QCOMPARE(typeOf(alice->request(QStringLiteral("ping"), {}, 60000)), QStringLiteral("pong"));
    QVERIFY(!bob->waitFor(QStringLiteral("typing"), 30000,
                          [](const QJsonObject& p) { return !p.value(QLatin1String("isTyping")).toBool(); })
                 .isEmpty());
    const int relayed = countOf(bob->history, QStringLiteral("typing"));
    qInfo("typing flood: %d frames sent, %d relayed to the partner", kFrames + 1, relayed);
    // A start, a stop, and a refresh per 2.5 s that the flood lasted.
    QVERIFY2(relayed >= 2 && relayed <= 12, qPrintable(QString::number(relayed)));
    QVERIFY(bob->isConnected());
    QCOMPARE(typeOf(bob->request(QStringLiteral("ping"))), QStringLiteral("pong"));
    // The connection that never read is still there, and got as little.
    QVERIFY(sleeper.readUntil([&] {
        return std::any_of(sleeper.messages.cbegin(), sleeper.messages.cend(), [](const QJsonObject& m) {
            return typeOf(m) == QLatin1String("typing") &&
                   !payloadOf(m).value(QLatin1String("isTyping")).toBool();
        });
    }));
    QVERIFY(!sleeper.isClosed());
    int sleeperTyping = 0;
    for (const QJsonObject& m : std::as_const(sleeper.messages))
        sleeperTyping += typeOf(m) == QLatin1String("typing");
    QVERIFY2(sleeperTyping <= 12, qPrintable(QString::number(sleeperTyping)));
}

// Item 4: one connection pipelines mark_read (real writes: the marker moves
// each time), alone or between 1-2 character searches, while another user
// sends. Before, the flood was read at once and queued on the single
// writer (and the searches with it, behind their connection's writes), so
// the other user's ack came after all of it. Now a connection has a few
// requests in flight and the rest waits in its own TCP buffers: on the
// flooder's own socket, the other user's message arrives before most of
// the flood's replies. (Ordering, not milliseconds: the figures are in
// `confab-bench flood`.)
void TestServerFloods::pipelinedFloodDoesNotDelayAnotherUsersSend_data()
{
    QTest::addColumn<bool>("withSearches");
    QTest::newRow("mark_read") << false;
    QTest::newRow("mark_read and short searches") << true;
}

void TestServerFloods::pipelinedFloodDoesNotDelayAnotherUsersSend()
{
    QFETCH(bool, withSearches);
    const QString huge = QStringLiteral("1000000");
    auto server = startServer({{QStringLiteral("CONFAB_SEND_RATE"), huge},
                               {QStringLiteral("CONFAB_SEND_BURST"), huge},
                               {QStringLiteral("CONFAB_MARK_READ_RATE"), huge},
                               {QStringLiteral("CONFAB_MARK_READ_BURST"), huge},
                               {QStringLiteral("CONFAB_SEARCH_RATE"), huge},
                               {QStringLiteral("CONFAB_SEARCH_BURST"), huge}});
    QVERIFY(server);
    auto alice = signUpAt(server->url(), QStringLiteral("alice"));
    auto flooder = signUpAt(server->url(), QStringLiteral("flooder"));
    QVERIFY(alice && flooder);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {flooder->userId});
    QVERIFY(room);
    // 600 frames (about 50 KB: one read of the server's): the messages to mark.
    const int marks = withSearches ? 300 : 600;
    QStringList sendIds;
    for (int i = 0; i < marks; ++i)
        sendIds << alice->sendWithId(QStringLiteral("send_message"),
                                     obj({{QStringLiteral("roomId"), double(room)},
                                          {QStringLiteral("content"), QStringLiteral("开会 %1 ab").arg(i)},
                                          {QStringLiteral("tempId"), QStringLiteral("t%1").arg(i)}}));
    QList<qint64> messageIds;
    for (const QString& id : std::as_const(sendIds)) {
        const QJsonObject ack = alice->waitForReply(id, 30000);
        QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
        messageIds << idOf(payloadOf(ack).value(QLatin1String("messageId")));
    }
    QTRY_COMPARE_WITH_TIMEOUT(countOf(flooder->history, QStringLiteral("message")), marks, 30000);

    // The flooder: a raw connection, signed in by its token, that writes the
    // whole flood in one go.
    RawWsClient flood;
    QVERIFY(flood.connectTo(server->url()));
    QVERIFY(flood.writeAll(RawWsClient::upgrade(QStringLiteral("/?token=") + flooder->token)));
    QVERIFY(flood.readUntil([&] { return !flood.messages.isEmpty(); }));
    QCOMPARE(typeOf(flood.messages.constFirst()), QStringLiteral("auth_ok"));
    flood.messages.clear();
    QByteArray frames;
    for (int i = 0; i < marks; ++i) {
        frames += RawWsClient::request(QStringLiteral("mark_read"),
                                       obj({{QStringLiteral("roomId"), double(room)},
                                            {QStringLiteral("messageId"), double(messageIds[i])}}),
                                       QStringLiteral("m%1").arg(i));
        if (withSearches)
            frames += RawWsClient::request(
                QStringLiteral("search_messages"),
                obj({{QStringLiteral("query"), i % 2 ? QStringLiteral("开") : QStringLiteral("ab")}}),
                QStringLiteral("s%1").arg(i));
    }
    const int total = withSearches ? 2 * marks : marks;
    QVERIFY(flood.writeAll(frames));
    // Once the server has answered the first of them, alice sends.
    QVERIFY(flood.readUntil([&] { return !flood.messages.isEmpty(); }, 30000));
    QElapsedTimer clock;
    clock.start();
    const QString sent = alice->sendWithId(QStringLiteral("send_message"),
                                           obj({{QStringLiteral("roomId"), double(room)},
                                                {QStringLiteral("content"), QStringLiteral("hello")},
                                                {QStringLiteral("tempId"), QStringLiteral("hello")}}));
    QCOMPARE(typeOf(alice->waitForReply(sent, 60000)), QStringLiteral("message_ack"));
    const qint64 ackMs = clock.elapsed();
    // Where alice's message falls among the replies on the flooder's socket.
    auto isHello = [](const QJsonObject& m) {
        return typeOf(m) == QLatin1String("message") &&
               payloadOf(m).value(QLatin1String("message")).toObject().value(QLatin1String("tempId")) ==
                   QLatin1String("hello");
    };
    QVERIFY(flood.readUntil(
        [&] { return std::any_of(flood.messages.cbegin(), flood.messages.cend(), isHello); }, 60000));
    int repliesBefore = 0;
    for (const QJsonObject& m : std::as_const(flood.messages)) {
        if (isHello(m))
            break;
        QVERIFY2(typeOf(m) != QLatin1String("error"), qPrintable(errorCodeOf(m)));
        repliesBefore += m.contains(QLatin1String("id"));
    }
    qInfo(
        "%s flood of %d frames: alice's ack after %lld ms; %d of the flood's replies came before her message",
        withSearches ? "mark_read+search" : "mark_read", total, ackMs, repliesBefore);
    QVERIFY2(repliesBefore < total / 2,
             qPrintable(QStringLiteral("alice's message waited for %1 of %2 flood requests")
                            .arg(repliesBefore)
                            .arg(total)));
    // The flood itself is answered whole.
    QVERIFY(flood.readUntil(
        [&] {
            return std::count_if(flood.messages.cbegin(), flood.messages.cend(), [](const QJsonObject& m) {
                       return m.contains(QLatin1String("id"));
                   }) == total;
        },
        60000));
}

// Item 4: every request class has a limit; past its burst the answer is
// `rate_limited` with retryAfterMs. Bursts of 3 here, refilling slowly;
// each class is tried by a user of its own (the buckets are per user).
void TestServerFloods::everyRequestClassAnswersRateLimited()
{
    Settings settings;
    for (const char* name : {"TYPING", "MARK_READ", "HISTORY", "SEARCH", "ROOM", "PING", "SEND"}) {
        settings.append({QStringLiteral("CONFAB_%1_RATE").arg(QLatin1String(name)), QStringLiteral("0.01")});
        settings.append({QStringLiteral("CONFAB_%1_BURST").arg(QLatin1String(name)), QStringLiteral("3")});
    }
    auto server = startServer(settings);
    QVERIFY(server);
    const QStringList classes = {QStringLiteral("typing"),  QStringLiteral("mark_read"),
                                 QStringLiteral("history"), QStringLiteral("search"),
                                 QStringLiteral("rooms"),   QStringLiteral("ping"),
                                 QStringLiteral("send")};
    for (const QString& name : classes) {
        // The owner's own buckets pay for the room and its message.
        auto owner = signUpAt(server->url(), QStringLiteral("o_") + name);
        auto user = signUpAt(server->url(), QStringLiteral("u_") + name);
        QVERIFY(owner && user);
        const qint64 room = createGroup(*owner, QStringLiteral("room ") + name, {user->userId});
        QVERIFY(room);
        const qint64 message = sendMessage(*owner, room, QStringLiteral("hi"));
        QVERIFY(message);
        const QJsonObject inRoom = obj({{QStringLiteral("roomId"), double(room)}});
        QList<QPair<QString, QJsonObject>> requests; // the 4th goes over the burst
        if (name == QLatin1String("typing")) {
            for (int i = 0; i < 4; ++i)
                requests.append({QStringLiteral("typing"), obj({{QStringLiteral("roomId"), double(room)},
                                                                {QStringLiteral("isTyping"), true}})});
        } else if (name == QLatin1String("mark_read")) {
            for (int i = 0; i < 4; ++i)
                requests.append(
                    {QStringLiteral("mark_read"), obj({{QStringLiteral("roomId"), double(room)},
                                                       {QStringLiteral("messageId"), double(message)}})});
        } else if (name == QLatin1String("history")) {
            requests = {{QStringLiteral("fetch_messages"), inRoom},
                        {QStringLiteral("list_rooms"), {}},
                        {QStringLiteral("list_mentions"), {}},
                        {QStringLiteral("fetch_messages"), inRoom}};
        } else if (name == QLatin1String("search")) {
            const QJsonObject query = obj({{QStringLiteral("query"), QStringLiteral("hi")}});
            requests = {{QStringLiteral("search_users"), query},
                        {QStringLiteral("search_messages"), query},
                        {QStringLiteral("search_users"), query},
                        {QStringLiteral("search_messages"), query}};
        } else if (name == QLatin1String("rooms")) {
            requests = {
                {QStringLiteral("join_room"), inRoom},
                {QStringLiteral("open_dm"), obj({{QStringLiteral("userId"), double(owner->userId)}})},
                {QStringLiteral("create_room"), obj({{QStringLiteral("name"), QStringLiteral("mine")}})},
                {QStringLiteral("join_room"), inRoom}};
        } else if (name == QLatin1String("ping")) {
            for (int i = 0; i < 4; ++i)
                requests.append({QStringLiteral("ping"), {}});
        } else {
            for (int i = 0; i < 4; ++i)
                requests.append({QStringLiteral("send_message"),
                                 obj({{QStringLiteral("roomId"), double(room)},
                                      {QStringLiteral("content"), QStringLiteral("x")},
                                      {QStringLiteral("tempId"), QStringLiteral("t%1").arg(i)}})});
        }
        for (int i = 0; i < requests.size(); ++i) {
            const bool typing = requests[i].first == QLatin1String("typing");
            const QJsonObject reply =
                user->request(requests[i].first, requests[i].second, typing && i < 3 ? 300 : 10000);
            if (i < 3) { // within the burst: answered normally (typing: not at all)
                QVERIFY2(typing ? reply.isEmpty() : (!reply.isEmpty() && errorCodeOf(reply).isEmpty()),
                         qPrintable(name + QStringLiteral(": ") + typeOf(reply) + errorCodeOf(reply)));
                continue;
            }
            QVERIFY2(errorCodeOf(reply) == QLatin1String("rate_limited"),
                     qPrintable(name + QStringLiteral(": ") + typeOf(reply) + QLatin1Char(' ') +
                                errorCodeOf(reply)));
            QVERIFY2(payloadOf(reply).value(QLatin1String("retryAfterMs")).toDouble() > 0, qPrintable(name));
        }
        if (name == QLatin1String("typing")) {
            // A stop is never refused: the room must hear that it ended.
            const QJsonObject stop = user->request(
                QStringLiteral("typing"),
                obj({{QStringLiteral("roomId"), double(room)}, {QStringLiteral("isTyping"), false}}), 300);
            QVERIFY2(stop.isEmpty(), qPrintable(errorCodeOf(stop)));
            QVERIFY(!owner
                         ->waitFor(QStringLiteral("typing"), 5000,
                                   [](const QJsonObject& p) {
                                       return !p.value(QLatin1String("isTyping")).toBool();
                                   })
                         .isEmpty());
        }
    }
    // Before sign-in, ping is limited per connection.
    TestClient guest;
    QVERIFY(guest.open(server->url()));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(typeOf(guest.request(QStringLiteral("ping"))), QStringLiteral("pong"));
    const QJsonObject limited = guest.request(QStringLiteral("ping"));
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
}

// `auth` (a token check) is limited per client address: more connections
// buy no more checks, signed in or not.
void TestServerFloods::tokenChecksAreLimitedPerAddress()
{
    auto server = startServer({{QStringLiteral("CONFAB_AUTH_RATE"), QStringLiteral("0.01")},
                               {QStringLiteral("CONFAB_AUTH_BURST"), QStringLiteral("3")}});
    QVERIFY(server);
    auto alice = signUpAt(server->url(), QStringLiteral("alice"));
    QVERIFY(alice);
    const QJsonObject token = obj({{QStringLiteral("token"), alice->token}});
    QCOMPARE(typeOf(alice->request(QStringLiteral("auth"), token)), QStringLiteral("auth_ok"));
    std::vector<std::unique_ptr<TestClient>> others;
    for (int i = 0; i < 2; ++i) {
        others.push_back(std::make_unique<TestClient>());
        QVERIFY(others.back()->open(server->url()));
        QCOMPARE(typeOf(others.back()->request(QStringLiteral("auth"), token)), QStringLiteral("auth_ok"));
    }
    TestClient fourth;
    QVERIFY(fourth.open(server->url()));
    const QJsonObject limited = fourth.request(QStringLiteral("auth"), token);
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("auth"), token)), QStringLiteral("rate_limited"));
    // Nothing else of the connection is affected.
    QCOMPARE(typeOf(alice->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
}

// Item 6: with the token in the handshake (?token= or Authorization:
// Bearer), requests written in the same packet as the handshake wait for
// the token check and run signed in, in order. Before, they were answered
// `unauthenticated` whenever the check had not finished (nearly always on
// PostgreSQL).
void TestServerFloods::requestsRightBehindAHandshakeTokenWaitForIt_data()
{
    QTest::addColumn<bool>("bearer");
    QTest::newRow("?token=") << false;
    QTest::newRow("Authorization: Bearer") << true;
}

void TestServerFloods::requestsRightBehindAHandshakeTokenWaitForIt()
{
    QFETCH(bool, bearer);
    auto server = startServer();
    QVERIFY(server);
    auto alice = signUpAt(server->url(), QStringLiteral("alice"));
    QVERIFY(alice);
    const qint64 room = createGroup(*alice, QStringLiteral("r"), {});
    QVERIFY(room);
    for (int round = 0; round < 5; ++round) {
        RawWsClient client;
        QVERIFY(client.connectTo(server->url()));
        QByteArray bytes = bearer
                               ? RawWsClient::upgrade(QStringLiteral("/"), "Authorization: Bearer " +
                                                                               alice->token.toUtf8() + "\r\n")
                               : RawWsClient::upgrade(QStringLiteral("/?token=") + alice->token);
        QStringList expected;
        for (int i = 0; i < 4; ++i) {
            bytes += RawWsClient::request(QStringLiteral("list_rooms"), {}, QStringLiteral("r%1").arg(i));
            bytes += RawWsClient::request(QStringLiteral("ping"), {}, QStringLiteral("p%1").arg(i));
            bytes += RawWsClient::request(QStringLiteral("fetch_messages"),
                                          obj({{QStringLiteral("roomId"), double(room)}}),
                                          QStringLiteral("f%1").arg(i));
            expected << QStringLiteral("r%1").arg(i) << QStringLiteral("p%1").arg(i)
                     << QStringLiteral("f%1").arg(i);
        }
        bytes += RawWsClient::request(QStringLiteral("send_message"),
                                      obj({{QStringLiteral("roomId"), double(room)},
                                           {QStringLiteral("content"), QStringLiteral("round %1").arg(round)},
                                           {QStringLiteral("tempId"), QStringLiteral("round%1").arg(round)}}),
                                      QStringLiteral("s"));
        expected << QStringLiteral("s");
        QVERIFY(client.writeAll(bytes)); // one write: the frames are right behind the handshake
        QVERIFY(client.readUntil(
            [&] {
                return std::count_if(client.messages.cbegin(), client.messages.cend(),
                                     [](const QJsonObject& m) { return m.contains(QLatin1String("id")); }) >=
                       expected.size();
            },
            30000));
        QVERIFY(client.responseHead.startsWith("HTTP/1.1 101"));
        QCOMPARE(typeOf(client.messages.constFirst()), QStringLiteral("auth_ok"));
        QVERIFY(!client.messages.constFirst().contains(QLatin1String("id")));
        QStringList answered;
        for (qsizetype i = 1; i < client.messages.size(); ++i) {
            const QJsonObject& m = client.messages[i];
            QVERIFY2(errorCodeOf(m).isEmpty(),
                     qPrintable(QStringLiteral("round %1: %2 got %3")
                                    .arg(round)
                                    .arg(m.value(QLatin1String("id")).toString(), errorCodeOf(m))));
            if (m.contains(QLatin1String("id")))
                answered << m.value(QLatin1String("id")).toString();
        }
        // In order within each kind (replies of different kinds may interleave).
        for (const QString& kind : {QStringLiteral("r"), QStringLiteral("p"), QStringLiteral("f")}) {
            QCOMPARE(answered.filter(QRegularExpression(QLatin1Char('^') + kind + QStringLiteral("\\d"))),
                     expected.filter(QRegularExpression(QLatin1Char('^') + kind + QStringLiteral("\\d"))));
        }
        QCOMPARE(answered.size(), expected.size());
    }
}

CONFAB_TEST_MAIN(TestServerFloods)
#include "tst_server_floods.moc"
