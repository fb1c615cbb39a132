// Attention on two confab-server instances sharing one PostgreSQL database:
// a notify level set on one reaches the user's connections on the other, a
// read marker moved on one gives a receipt on the other, a profile changed
// on one reaches contacts on the other, and a password changed on one signs
// out the user's other sessions on both, keeping the one that asked; an
// avatar set on one reaches contacts on the other and is served there, and a
// clear on one racing a set of the same image on the other both succeed.
#include "../server/attention_helpers.h"
#include "../server/avatar_helpers.h"
#include "scratch_postgres.h"
#include "server_process.h"

#include <QTest>

using namespace confab::test;

class TestClusterAttention : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void attentionCrossesInstances();
    void avatarClearRacesASetOfTheSameImage();
};

void TestClusterAttention::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    CONFAB_REQUIRE_POSTGRES();
}

void TestClusterAttention::attentionCrossesInstances()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    ServerProcess a, b;
    QVERIFY(a.start(clusterArguments(db.url())));
    QVERIFY(b.start(clusterArguments(db.url())));
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(b.url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    auto aliceOnB = connectAs(b.url(), *alice);   // the same session (token) on B
    auto laptop = std::make_unique<TestClient>(); // another session of alice's, on B
    QVERIFY(aliceOnB && laptop->open(b.url()) && laptop->signIn(QStringLiteral("alice")));
    const qint64 room = createGroup(*alice, QStringLiteral("two instances"), {bob->userId});
    QVERIFY(room);
    QVERIFY(!bob->waitFor(QStringLiteral("room")).isEmpty());
    const qint64 id = sendMessage(*alice, room, QStringLiteral("read me"), QStringLiteral("x1"));
    QVERIFY(id);
    QVERIFY(!bob->waitFor(QStringLiteral("message"), 5000, messageIs(id)).isEmpty());

    // room_settings: set on A, synced to alice's connections on B.
    QCOMPARE(typeOf(setNotify(*alice, room, QStringLiteral("none"))), QStringLiteral("ok"));
    for (auto* c : {aliceOnB.get(), laptop.get()}) {
        const QJsonObject settings =
            payloadOf(c->waitFor(QStringLiteral("room_settings"), 5000, roomIs(room)));
        QCOMPARE(settings.value(QLatin1String("notify")).toString(), QStringLiteral("none"));
    }
    QVERIFY(bob->staysQuiet(QStringLiteral("room_settings"), 200));

    // receipt: bob reads on B, alice sees it on A (once).
    QCOMPARE(typeOf(markRead(*bob, room, id)), QStringLiteral("ok"));
    const QJsonObject receipt =
        payloadOf(alice->waitFor(QStringLiteral("receipt"), 5000, receiptOf(room, bob->userId)));
    QCOMPARE(idIn(receipt, "messageId"), id);
    QVERIFY(alice->staysQuiet(QStringLiteral("receipt"), 300));
    QCOMPARE(markersIn(fetchReceipts(*alice, room)).value(bob->userId), id);

    // user_updated: bob changes his status on B, alice sees it on A; presence follows.
    QCOMPARE(typeOf(setProfile(*bob, {{QStringLiteral("status"), QStringLiteral("dnd")},
                                      {QStringLiteral("statusText"), QStringLiteral("focus 专注")}})),
             QStringLiteral("user"));
    const QJsonObject updated =
        payloadOf(alice->waitFor(QStringLiteral("user_updated"), 5000, userIs(bob->userId)))
            .value(QLatin1String("user"))
            .toObject();
    QCOMPARE(updated.value(QLatin1String("status")).toString(), QStringLiteral("dnd"));
    QCOMPARE(updated.value(QLatin1String("statusText")).toString(), QStringLiteral("focus 专注"));
    QVERIFY(!updated.contains(QLatin1String("sendReceipts")));

    // An avatar set on B reaches alice on A in user_updated, and A serves it.
    const QByteArray png = fakePng(20000);
    QCOMPARE(avatarIdIn(payloadOf(setAvatar(*bob, png))), sha256Hex(png));
    const QJsonObject pictured =
        payloadOf(alice->waitFor(QStringLiteral("user_updated"), 5000, userIs(bob->userId)));
    QCOMPARE(avatarIdIn(pictured), sha256Hex(png));
    const QJsonObject fetched = fetchAvatar(*alice, sha256Hex(png));
    QCOMPARE(QByteArray::fromBase64(payloadOf(fetched).value(QLatin1String("data")).toString().toLatin1()),
             png);
    bob->close();
    const QJsonObject offline =
        payloadOf(alice->waitFor(QStringLiteral("presence"), 8000, presenceOf(bob->userId, false)));
    QCOMPARE(offline.value(QLatin1String("status")).toString(), QStringLiteral("dnd"));

    // change_password on A: the laptop session on B is signed out; the session
    // that asked stays, on both instances.
    QCOMPARE(typeOf(changePassword(*alice, QStringLiteral("correct horse"), QStringLiteral("new secret"))),
             QStringLiteral("ok"));
    QCOMPARE(errorCodeOf(laptop->waitFor(QStringLiteral("error"), 5000)), QStringLiteral("unauthenticated"));
    QTRY_VERIFY_WITH_TIMEOUT(!laptop->isConnected(), 5000);
    QVERIFY(aliceOnB->staysQuiet(QStringLiteral("error"), 300));
    QCOMPARE(typeOf(aliceOnB->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
    QCOMPARE(typeOf(alice->request(QStringLiteral("list_rooms"))), QStringLiteral("rooms"));
    auto again = std::make_unique<TestClient>();
    QVERIFY(again->open(b.url()));
    QVERIFY(!again->signIn(QStringLiteral("alice")));
    QVERIFY(again->signIn(QStringLiteral("alice"), QStringLiteral("new secret")));
}

CONFAB_TEST_GUILESS_MAIN(TestClusterAttention)
// alice clears an image on A while bob sets the same image on B: both
// succeed and bob's picture stays served. Without the avatar lock the clear's
// delete could pass its "no one uses it" check before bob's reference
// committed, then fail on the foreign key: an `internal` for alice.
void TestClusterAttention::avatarClearRacesASetOfTheSameImage()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    const QStringList limits{QStringLiteral("--avatar-burst"), QStringLiteral("1000"),
                             QStringLiteral("--avatar-rate"), QStringLiteral("1000")};
    ServerProcess a, b;
    QVERIFY(a.start(clusterArguments(db.url()) + limits));
    QVERIFY(b.start(clusterArguments(db.url()) + limits));
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(b.url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    for (int round = 0; round < 12; ++round) {
        const QByteArray png = fakePng(4000);
        QCOMPARE(avatarIdIn(payloadOf(setAvatar(*alice, png))), sha256Hex(png));
        const QString cleared =
            alice->sendWithId(QStringLiteral("set_avatar"), {{QStringLiteral("clear"), true}});
        const QString set = bob->sendWithId(QStringLiteral("set_avatar"),
                                            {{QStringLiteral("data"), QString::fromLatin1(png.toBase64())}});
        QCOMPARE(typeOf(alice->waitForReply(cleared)), QStringLiteral("user"));
        QCOMPARE(avatarIdIn(payloadOf(bob->waitForReply(set))), sha256Hex(png));
        QCOMPARE(typeOf(fetchAvatar(*alice, sha256Hex(png))), QStringLiteral("avatar"));
        QCOMPARE(typeOf(clearAvatar(*bob)), QStringLiteral("user"));
    }
}

#include "tst_cluster_attention.moc"
