// Attention against a real server (contract, second part: "Attention"):
// notify levels synced to the user's other connections, read receipts
// (coalesced, opted out, switched off), profiles and statuses with
// user_updated and presence, change_password signing out the other
// sessions; every refusal; on SQLite and PostgreSQL.
#include "attention_helpers.h"

#include <QElapsedTimer>
#include <QTest>

using namespace confab::test;

namespace {

struct Team {
    std::unique_ptr<TestClient> alice, alice2, bob, carol; // carol shares no room
    qint64 room = 0;
};

bool setUp(TestServer& server, Team& t)
{
    if (!server.start())
        return false;
    t.alice = server.user(QStringLiteral("alice"));
    t.bob = server.user(QStringLiteral("bob"));
    t.carol = server.user(QStringLiteral("carol"));
    if (!t.alice || !t.bob || !t.carol)
        return false;
    t.alice2 = server.secondConnection(*t.alice);
    t.room = createGroup(*t.alice, QStringLiteral("team"), {t.bob->userId});
    return t.alice2 && t.room;
}

void clearAll(Team& t)
{
    for (auto* c : {t.alice.get(), t.alice2.get(), t.bob.get(), t.carol.get()})
        c->clearInbox();
}

} // namespace

class TestServerAttention : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void roomSettingsReachTheOtherConnections();
    void receiptsAreCoalescedPerSecond();
    void receiptsOptOutAndServerSwitch();
    void profileReachesContactsAndPresence();
    void changePasswordSignsOutTheOtherSessions();
    void refusalsAndLimits();
};

void TestServerAttention::roomSettingsReachTheOtherConnections()
{
    TestServer server;
    Team t;
    QVERIFY(setUp(server, t));
    QCOMPARE(listedRoom(*t.alice, t.room).value(QLatin1String("notify")).toString(), QStringLiteral("all"));
    clearAll(t);

    QCOMPARE(typeOf(setNotify(*t.alice, t.room, QStringLiteral("mentions"))), QStringLiteral("ok"));
    const QJsonObject synced = payloadOf(t.alice2->waitFor(QStringLiteral("room_settings")));
    QCOMPARE(idIn(synced, "roomId"), t.room);
    QCOMPARE(synced.value(QLatin1String("notify")).toString(), QStringLiteral("mentions"));
    QVERIFY(t.alice->staysQuiet(QStringLiteral("room_settings"), 200)); // it had its ok
    QVERIFY(t.bob->staysQuiet(QStringLiteral("room_settings"), 100));
    // Per user: bob's level is his own.
    QCOMPARE(listedRoom(*t.alice2, t.room).value(QLatin1String("notify")).toString(),
             QStringLiteral("mentions"));
    QCOMPARE(listedRoom(*t.bob, t.room).value(QLatin1String("notify")).toString(), QStringLiteral("all"));
    // The same level again changes nothing and tells nobody.
    QCOMPARE(typeOf(setNotify(*t.alice, t.room, QStringLiteral("mentions"))), QStringLiteral("ok"));
    QVERIFY(t.alice2->staysQuiet(QStringLiteral("room_settings"), 300));
    // Survives a restart (stored).
    QVERIFY(server.restart());
    auto again = server.client();
    QVERIFY(again && again->signIn(QStringLiteral("alice")));
    QCOMPARE(listedRoom(*again, t.room).value(QLatin1String("notify")).toString(),
             QStringLiteral("mentions"));
}

void TestServerAttention::receiptsAreCoalescedPerSecond()
{
    TestServer server;
    Team t;
    QVERIFY(setUp(server, t));
    QList<qint64> ids;
    for (int i = 1; i <= 4; ++i)
        ids.append(sendMessage(*t.alice, t.room, QStringLiteral("m%1").arg(i), QStringLiteral("t%1").arg(i)));
    QVERIFY(!ids.contains(0));
    clearAll(t);

    // The first moves at once; the next two inside the second are held and
    // only the newest arrives when it ends.
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(typeOf(markRead(*t.bob, t.room, ids[0])), QStringLiteral("ok"));
    const QJsonObject first =
        payloadOf(t.alice->waitFor(QStringLiteral("receipt"), 900, receiptOf(t.room, t.bob->userId)));
    QCOMPARE(idIn(first, "messageId"), ids[0]);
    QCOMPARE(typeOf(markRead(*t.bob, t.room, ids[1])), QStringLiteral("ok"));
    QCOMPARE(typeOf(markRead(*t.bob, t.room, ids[2])), QStringLiteral("ok"));
    QVERIFY(t.alice->staysQuiet(QStringLiteral("receipt"), int(qMax<qint64>(0, 700 - clock.elapsed()))));
    const QJsonObject held =
        payloadOf(t.alice->waitFor(QStringLiteral("receipt"), 2000, receiptOf(t.room, t.bob->userId)));
    QCOMPARE(idIn(held, "messageId"), ids[2]);
    QVERIFY(clock.elapsed() >= 950);
    QVERIFY(t.alice->staysQuiet(QStringLiteral("receipt"), 300)); // ids[1] never goes out
    // Every member's connections get it (bob's own too); a non-member none.
    QVERIFY(!t.alice2->waitFor(QStringLiteral("receipt"), 100, receiptOf(t.room, t.bob->userId)).isEmpty());
    QVERIFY(!t.bob->waitFor(QStringLiteral("receipt"), 100, receiptOf(t.room, t.bob->userId)).isEmpty());
    QVERIFY(t.carol->staysQuiet(QStringLiteral("receipt"), 100));
    // A marker that does not move sends nothing.
    QCOMPARE(typeOf(markRead(*t.bob, t.room, ids[1])), QStringLiteral("ok"));
    QVERIFY(t.alice->staysQuiet(QStringLiteral("receipt"), 1200));

    const QJsonObject receipts = fetchReceipts(*t.alice, t.room);
    QCOMPARE(typeOf(receipts), QStringLiteral("receipts"));
    QCOMPARE(idIn(payloadOf(receipts), "roomId"), t.room);
    QCOMPARE(markersIn(receipts).value(t.bob->userId), ids[2]);
    QVERIFY(!markersIn(receipts).contains(t.carol->userId));
}

void TestServerAttention::receiptsOptOutAndServerSwitch()
{
    {
        TestServer server;
        Team t;
        QVERIFY(setUp(server, t));
        const qint64 id = sendMessage(*t.alice, t.room, QStringLiteral("hi"), QStringLiteral("t1"));
        QVERIFY(id);
        const QJsonObject reply = setProfile(*t.bob, {{QStringLiteral("sendReceipts"), false}});
        QCOMPARE(typeOf(reply), QStringLiteral("user"));
        QCOMPARE(
            payloadOf(reply).value(QLatin1String("user")).toObject().value(QLatin1String("sendReceipts")),
            QJsonValue(false));
        // Nothing others see changed: no user_updated for them.
        QVERIFY(t.alice->staysQuiet(QStringLiteral("user_updated"), 300));
        QCOMPARE(typeOf(markRead(*t.bob, t.room, id)), QStringLiteral("ok"));
        QVERIFY(t.alice->staysQuiet(QStringLiteral("receipt"), 500));
        QVERIFY(!markersIn(fetchReceipts(*t.alice, t.room)).contains(t.bob->userId));
        // On again: the marker already there shows.
        QCOMPARE(typeOf(setProfile(*t.bob, {{QStringLiteral("sendReceipts"), true}})),
                 QStringLiteral("user"));
        QCOMPARE(markersIn(fetchReceipts(*t.alice, t.room)).value(t.bob->userId), id);
    }
    {
        auto config = TestServer::defaultConfig();
        config.receipts = false;
        TestServer server(config);
        Team t;
        QVERIFY(setUp(server, t));
        const qint64 id = sendMessage(*t.alice, t.room, QStringLiteral("hi"), QStringLiteral("t1"));
        QVERIFY(id);
        QCOMPARE(typeOf(markRead(*t.bob, t.room, id)), QStringLiteral("ok"));
        QVERIFY(t.alice->staysQuiet(QStringLiteral("receipt"), 500));
        const QJsonObject receipts = fetchReceipts(*t.alice, t.room);
        QCOMPARE(typeOf(receipts), QStringLiteral("receipts"));
        QVERIFY(markersIn(receipts).isEmpty());
        // Clients learn it at sign-in.
        auto c = server.client();
        const QJsonObject ok = c->request(QStringLiteral("login"),
                                          {{QStringLiteral("username"), QStringLiteral("bob")},
                                           {QStringLiteral("password"), QStringLiteral("correct horse")}});
        const QJsonObject policy = payloadOf(ok).value(QLatin1String("policy")).toObject();
        QCOMPARE(policy.value(QLatin1String("receipts")), QJsonValue(false));
        QCOMPARE(policy.value(QLatin1String("editWindowS")).toDouble(), double(config.editWindowS));
        QCOMPARE(payloadOf(ok).value(QLatin1String("user")).toObject().value(QLatin1String("sendReceipts")),
                 QJsonValue(true));
    }
}

void TestServerAttention::profileReachesContactsAndPresence()
{
    TestServer server;
    Team t;
    QVERIFY(setUp(server, t));
    clearAll(t);
    const QJsonObject reply =
        setProfile(*t.alice, {{QStringLiteral("displayName"), QStringLiteral(" Alice 爱丽丝 ")},
                              {QStringLiteral("status"), QStringLiteral("away")},
                              {QStringLiteral("statusText"), QStringLiteral("at lunch 🍜")}});
    QCOMPARE(typeOf(reply), QStringLiteral("user"));
    const QJsonObject own = payloadOf(reply).value(QLatin1String("user")).toObject();
    QCOMPARE(own.value(QLatin1String("displayName")).toString(), QStringLiteral("Alice 爱丽丝"));
    QCOMPARE(own.value(QLatin1String("status")).toString(), QStringLiteral("away"));
    QCOMPARE(own.value(QLatin1String("sendReceipts")), QJsonValue(true));
    QCOMPARE(own.value(QLatin1String("online")), QJsonValue(true));

    const QJsonObject seen =
        payloadOf(t.bob->waitFor(QStringLiteral("user_updated"), 3000, userIs(t.alice->userId)))
            .value(QLatin1String("user"))
            .toObject();
    QCOMPARE(seen.value(QLatin1String("statusText")).toString(), QStringLiteral("at lunch 🍜"));
    QCOMPARE(seen.value(QLatin1String("displayName")).toString(), QStringLiteral("Alice 爱丽丝"));
    QVERIFY(!seen.contains(QLatin1String("sendReceipts"))); // only the user's own copies
    const QJsonObject mine =
        payloadOf(t.alice2->waitFor(QStringLiteral("user_updated"), 3000, userIs(t.alice->userId)))
            .value(QLatin1String("user"))
            .toObject();
    QCOMPARE(mine.value(QLatin1String("sendReceipts")), QJsonValue(true));
    QVERIFY(t.carol->staysQuiet(QStringLiteral("user_updated"), 200)); // shares no room
    QVERIFY(t.alice->staysQuiet(QStringLiteral("user_updated"), 100)); // it had its reply

    // Rooms and search show it; presence carries it.
    for (const QJsonValue& m : listedRoom(*t.bob, t.room).value(QLatin1String("members")).toArray()) {
        if (idIn(m.toObject(), "id") == t.alice->userId)
            QCOMPARE(m.toObject().value(QLatin1String("status")).toString(), QStringLiteral("away"));
        QVERIFY(!m.toObject().contains(QLatin1String("sendReceipts")));
    }
    t.alice->close();
    t.alice2->close();
    const QJsonObject offline =
        payloadOf(t.bob->waitFor(QStringLiteral("presence"), 3000, presenceOf(t.alice->userId, false)));
    QCOMPARE(offline.value(QLatin1String("status")).toString(), QStringLiteral("away"));
    QCOMPARE(offline.value(QLatin1String("statusText")).toString(), QStringLiteral("at lunch 🍜"));
    // And after a restart, from the database.
    QVERIFY(server.restart());
    auto bob = server.client();
    QVERIFY(bob && bob->signIn(QStringLiteral("bob")));
    auto alice = server.client();
    QVERIFY(alice && alice->signIn(QStringLiteral("alice")));
    const QJsonObject online =
        payloadOf(bob->waitFor(QStringLiteral("presence"), 3000, presenceOf(alice->userId, true)));
    QCOMPARE(online.value(QLatin1String("status")).toString(), QStringLiteral("away"));
}

void TestServerAttention::changePasswordSignsOutTheOtherSessions()
{
    TestServer server;
    Team t;
    QVERIFY(setUp(server, t));
    auto laptop = server.client(); // another session: its own token
    QVERIFY(laptop && laptop->signIn(QStringLiteral("alice")));

    const QJsonObject wrong =
        changePassword(*t.alice, QStringLiteral("not it"), QStringLiteral("new secret"));
    QCOMPARE(errorCodeOf(wrong), QStringLiteral("invalid_credentials"));
    QVERIFY(laptop->isConnected());
    QCOMPARE(typeOf(t.alice->request(QStringLiteral("ping"))), QStringLiteral("pong")); // still signed in

    QCOMPARE(typeOf(changePassword(*t.alice, QStringLiteral("correct horse"), QStringLiteral("new secret"))),
             QStringLiteral("ok"));
    // The other session is told and closed; this one (and its token's other
    // connection) stays.
    QCOMPARE(errorCodeOf(laptop->waitFor(QStringLiteral("error"), 3000)), QStringLiteral("unauthenticated"));
    QTRY_VERIFY_WITH_TIMEOUT(!laptop->isConnected(), 3000);
    QCOMPARE(typeOf(t.alice->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
    QCOMPARE(typeOf(t.alice2->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
    // The old session's token and the old password are gone.
    auto stale = server.client();
    QCOMPARE(errorCodeOf(stale->request(QStringLiteral("auth"), {{QStringLiteral("token"), laptop->token}})),
             QStringLiteral("invalid_credentials"));
    QVERIFY(!stale->signIn(QStringLiteral("alice")));
    QVERIFY(stale->signIn(QStringLiteral("alice"), QStringLiteral("new secret")));
    QCOMPARE(
        errorCodeOf(t.alice->request(QStringLiteral("auth"), {{QStringLiteral("token"), t.alice->token}})),
        QString()); // the kept token still signs in
}

void TestServerAttention::refusalsAndLimits()
{
    auto config = TestServer::defaultConfig();
    config.attentionBurst = 6;
    config.attentionRatePerSecond = 0.01;
    config.minPasswordLength = 8;
    TestServer server(config);
    Team t;
    QVERIFY(setUp(server, t));
    // A room the user is not in answers as one that does not exist.
    const QJsonObject notMine = fetchReceipts(*t.carol, t.room);
    const QJsonObject missing = fetchReceipts(*t.carol, 999999);
    QCOMPARE(errorCodeOf(notMine), QStringLiteral("forbidden"));
    QCOMPARE(payloadOf(notMine).value(QLatin1String("message")),
             payloadOf(missing).value(QLatin1String("message")));
    QCOMPARE(payloadOf(setNotify(*t.carol, t.room, QStringLiteral("none"))),
             payloadOf(setNotify(*t.carol, 999999, QStringLiteral("none"))));
    // Bad input: error {code, message}, the connection stays usable.
    QCOMPARE(errorCodeOf(setNotify(*t.alice, t.room, QStringLiteral("loud"))), QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(setProfile(*t.alice, {{QStringLiteral("status"), QStringLiteral("busy")}})),
             QStringLiteral("bad_request"));
    QCOMPARE(
        errorCodeOf(setProfile(*t.alice, {{QStringLiteral("statusText"), QString(101, QLatin1Char('x'))}})),
        QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(setProfile(*t.alice, {{QStringLiteral("displayName"), QStringLiteral("a\u202Eb")}})),
             QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(changePassword(*t.alice, QStringLiteral("correct horse"), QStringLiteral("short"))),
             QStringLiteral("bad_request"));
    // Five of alice's six spent above; the sixth passes, the seventh waits.
    QCOMPARE(typeOf(setProfile(*t.alice, {})), QStringLiteral("user"));
    const QJsonObject limited = setProfile(*t.alice, {});
    QCOMPARE(errorCodeOf(limited), QStringLiteral("rate_limited"));
    QVERIFY(payloadOf(limited).value(QLatin1String("retryAfterMs")).toDouble() > 0);
    QCOMPARE(typeOf(t.alice->request(QStringLiteral("ping"))), QStringLiteral("pong"));
}

CONFAB_TEST_GUILESS_MAIN(TestServerAttention)
#include "tst_server_attention.moc"
