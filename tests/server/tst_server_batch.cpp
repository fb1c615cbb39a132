// Group commit seen from the clients: several connections pipeline sends
// without waiting, so the store thread stores them in batches. Every send is
// acked exactly once and in its connection's send order, every message is
// delivered once to every member connection in id order, and a fetch sent
// after the sends on the same connection answers after their acks and sees
// them.
#include "test_server.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace confab::test;

namespace {

constexpr int kSenders = 3;
constexpr int kSendsEach = 30; // all of them fit in one fetched page (limit 100)

} // namespace

class TestServerBatch : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void pipelinedSendsFromSeveralConnections();
};

void TestServerBatch::pipelinedSendsFromSeveralConnections()
{
    TestServer server(TestServer::fastSendersConfig());
    QVERIFY(server.start());
    std::vector<std::unique_ptr<TestClient>> senders;
    for (int i = 0; i < kSenders; ++i) {
        senders.push_back(server.user(QStringLiteral("sender%1").arg(i)));
        QVERIFY(senders.back());
    }
    auto watcher = server.user(QStringLiteral("watcher"));
    QVERIFY(watcher);
    QList<qint64> members{watcher->userId};
    for (int i = 1; i < kSenders; ++i)
        members.append(senders[i]->userId);
    const qint64 room = createGroup(*senders[0], QStringLiteral("busy"), members);
    QVERIFY(room);
    std::vector<TestClient*> everyone{watcher.get()};
    for (auto& s : senders)
        everyone.push_back(s.get());
    for (TestClient* c : everyone)
        c->clearInbox();

    // Interleaved across connections, none waiting for an ack; then a fetch each.
    std::vector<QStringList> requestIds(kSenders);
    std::vector<QString> fetchIds(kSenders);
    for (int n = 0; n < kSendsEach; ++n) {
        for (int i = 0; i < kSenders; ++i) {
            requestIds[i] << senders[i]->sendWithId(
                QStringLiteral("send_message"),
                {{QStringLiteral("roomId"), double(room)},
                 {QStringLiteral("content"), QStringLiteral("message %1 from %2").arg(n).arg(i)},
                 {QStringLiteral("tempId"), QStringLiteral("t%1-%2").arg(i).arg(n)}});
        }
    }
    for (int i = 0; i < kSenders; ++i) {
        fetchIds[i] = senders[i]->sendWithId(
            QStringLiteral("fetch_messages"),
            {{QStringLiteral("roomId"), double(room)}, {QStringLiteral("limit"), 100}});
    }

    QSet<qint64> acked;
    for (int i = 0; i < kSenders; ++i) {
        TestClient& c = *senders[i];
        const QJsonObject history = c.waitForReply(fetchIds[i]);
        QCOMPARE(typeOf(history), QStringLiteral("history"));
        // The fetch was sent after the sends: it answers after every ack.
        QCOMPARE(c.history.count(QStringLiteral("message_ack")), kSendsEach);
        QVERIFY(c.history.lastIndexOf(QStringLiteral("message_ack")) <
                c.history.indexOf(QStringLiteral("history")));
        const QList<QJsonObject> acks = c.takeAll(QStringLiteral("message_ack"));
        QCOMPARE(acks.size(), kSendsEach);
        QSet<qint64> mine;
        qint64 previous = 0;
        for (int n = 0; n < kSendsEach; ++n) {
            QCOMPARE(acks[n].value(QLatin1String("id")).toString(), requestIds[i][n]); // in send order
            QCOMPARE(payloadOf(acks[n]).value(QLatin1String("tempId")).toString(),
                     QStringLiteral("t%1-%2").arg(i).arg(n));
            const qint64 id = idOf(payloadOf(acks[n]).value(QLatin1String("messageId")));
            QVERIFY(id > previous);
            previous = id;
            mine.insert(id);
        }
        QSet<qint64> fetched;
        for (const QJsonValue m : payloadOf(history).value(QLatin1String("messages")).toArray())
            fetched.insert(idOf(m.toObject().value(QLatin1String("id"))));
        QVERIFY2(fetched.contains(mine), "a fetch after the sends must see every one of them");
        acked += mine;
    }
    QCOMPARE(acked.size(), kSenders * kSendsEach);

    // Each message once to each member connection, in increasing id order.
    for (TestClient* c : everyone) {
        QTRY_COMPARE_WITH_TIMEOUT(c->history.count(QStringLiteral("message")), kSenders * kSendsEach, 10000);
        const QList<QJsonObject> events = c->takeAll(QStringLiteral("message"));
        QSet<qint64> delivered;
        qint64 previous = 0;
        for (const QJsonObject& e : events) {
            const qint64 id =
                idOf(payloadOf(e).value(QLatin1String("message")).toObject().value(QLatin1String("id")));
            QVERIFY(id > previous);
            previous = id;
            delivered.insert(id);
        }
        QCOMPARE(delivered, acked);
        QVERIFY(c->staysQuiet(QStringLiteral("message"), 200)); // and nothing twice
    }
}

CONFAB_TEST_MAIN(TestServerBatch)
#include "tst_server_batch.moc"
