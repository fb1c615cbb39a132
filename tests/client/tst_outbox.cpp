// Outbox as a unit: a real Session on a real WebSocket connection to a peer
// that answers each send_message as the test says (scripted_peer.h), so every
// reply the Outbox must handle can be produced on demand: the order of sends
// and one in flight at a time, the same tempId on every attempt, waiting out
// `unavailable` and `rate_limited` by itself, a request that times out, a
// connection lost mid-send, rooms left. The real server's side of the same
// promises is in tst_chat_client and tst_chat_client_outbox.
#include "outbox.h"
#include "scripted_peer.h"
#include "session.h"

#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;
using namespace confab::test;

namespace {

Outbox::Item item(Id roomId, const QString& tempId, const QString& content)
{
    Outbox::Item i;
    i.roomId = roomId;
    i.tempId = tempId;
    i.content = content;
    return i;
}

// The tempIds of the acknowledged() emissions, in order.
QStringList tempIdsOf(const QSignalSpy& spy)
{
    QStringList ids;
    for (const QList<QVariant>& args : spy)
        ids.append(args.at(1).toString());
    return ids;
}

} // namespace

class TestOutbox : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void oneInFlightInTheOrderEnqueued();
    void unavailableAndRateLimitedAreResentByThemselves();
    void timeoutFailsTheItemAndRetryResendsItsTempId();
    void lostConnectionKeepsTheItemForTheNextFlush();
    void errorsFailOnlyTheirItem();
    void storedOrLeftItemsAreDropped();
    void offlineItemsWaitForFlush();

private:
    bool signIn();

    std::unique_ptr<ScriptedPeer> m_peer;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<Outbox> m_outbox;
};

void TestOutbox::init()
{
    m_peer = std::make_unique<ScriptedPeer>();
    QVERIFY(m_peer->listen());
    m_session = std::make_unique<Session>();
    m_session->setReconnectDelays(50, 200);
    m_outbox = std::make_unique<Outbox>(m_session.get());
}

void TestOutbox::cleanup()
{
    m_outbox.reset();
    m_session.reset();
    m_peer.reset();
}

bool TestOutbox::signIn()
{
    m_session->signIn(m_peer->url(), QStringLiteral("mei"), QStringLiteral("pw"));
    return QTest::qWaitFor([&] { return m_session->state() == Session::State::Online; }, 10000);
}

void TestOutbox::oneInFlightInTheOrderEnqueued()
{
    QVERIFY(signIn());
    QSignalSpy acked(m_outbox.get(), &Outbox::acknowledged);
    m_outbox->enqueue(item(1, QStringLiteral("a"), QStringLiteral("first")));
    m_outbox->enqueue(item(2, QStringLiteral("b"), QStringLiteral("second, another room")));
    m_outbox->enqueue(item(1, QStringLiteral("c"), QStringLiteral("third")));
    QCOMPARE(m_outbox->size(), 3);
    QCOMPARE(m_outbox->itemsFor(1).size(), 2);

    // Only the head goes out; each ack lets the next one go.
    QTRY_COMPARE(m_peer->sentTempIds(), QStringList{QStringLiteral("a")});
    QVERIFY(!QTest::qWaitFor([&] { return m_peer->sends().size() > 1; }, 200));
    for (int k = 0; k < 3; ++k) {
        QTRY_COMPARE(m_peer->held().size(), 1);
        const ScriptedPeer::Send send = m_peer->held().takeFirst();
        m_peer->answer(send, ScriptedPeer::ack(send, 100 + k));
        QTRY_COMPARE(acked.size(), k + 1);
    }
    QCOMPARE(m_peer->sentTempIds(),
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(tempIdsOf(acked), (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(acked.at(1).at(0).value<Id>(), Id(2)); // the room of "b"
    QCOMPARE(acked.at(2).at(2).value<Id>(), Id(102));
    QCOMPARE(m_peer->sends().at(1).request.content, QStringLiteral("second, another room"));
    QCOMPARE(m_outbox->size(), 0);
}

void TestOutbox::unavailableAndRateLimitedAreResentByThemselves()
{
    QVERIFY(signIn());
    // "a": unavailable twice (the database is restarting), then stored.
    // "b": rate limited once. Nothing is stored before the ack.
    Id next = 1;
    m_peer->setPolicy([&next](const ScriptedPeer::Send& send, int attempt) -> std::optional<Envelope> {
        if (send.request.tempId == QLatin1String("a") && attempt < 2)
            return ScriptedPeer::error(send, ErrorCode::Unavailable, 150);
        if (send.request.tempId == QLatin1String("b") && attempt < 1)
            return ScriptedPeer::error(send, ErrorCode::RateLimited, 100);
        return ScriptedPeer::ack(send, next++);
    });
    QSignalSpy acked(m_outbox.get(), &Outbox::acknowledged);
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    m_outbox->enqueue(item(1, QStringLiteral("a"), QStringLiteral("first")));
    m_outbox->enqueue(item(1, QStringLiteral("b"), QStringLiteral("second")));
    QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 2, 10000);
    QVERIFY(failed.isEmpty());
    // The head stays the head while it waits: "b" never overtakes "a".
    QCOMPARE(m_peer->sentTempIds(),
             (QStringList{QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("b"),
                          QStringLiteral("b")}));
    QCOMPARE(tempIdsOf(acked), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    // Every attempt carried the item's own content and room.
    for (const ScriptedPeer::Send& send : m_peer->sends())
        QCOMPARE(send.request.content, send.request.tempId == QLatin1String("a") ? QStringLiteral("first")
                                                                                 : QStringLiteral("second"));
}

void TestOutbox::timeoutFailsTheItemAndRetryResendsItsTempId()
{
    QVERIFY(signIn());
    m_outbox->setRequestTimeout(300);
    // "a" is never answered; everything after it is.
    Id next = 1;
    bool answerA = false;
    m_peer->setPolicy([&](const ScriptedPeer::Send& send, int) -> std::optional<Envelope> {
        if (send.request.tempId == QLatin1String("a") && !answerA)
            return std::nullopt;
        return ScriptedPeer::ack(send, next++);
    });
    QSignalSpy acked(m_outbox.get(), &Outbox::acknowledged);
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    m_outbox->enqueue(item(1, QStringLiteral("a"), QStringLiteral("lost in the server")));
    m_outbox->enqueue(item(1, QStringLiteral("b"), QStringLiteral("next")));

    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    QCOMPARE(failed.at(0).at(1).toString(), QStringLiteral("a"));
    const auto error = failed.at(0).at(2).value<Error>();
    QCOMPARE(error.code, ErrorCode::Internal);
    QCOMPARE(error.message, QStringLiteral("timed out"));
    // The queue moves on; the failed item stays listed (for its row) with its tempId.
    QTRY_COMPARE(tempIdsOf(acked), QStringList{QStringLiteral("b")});
    QVERIFY(m_outbox->contains(QStringLiteral("a")));
    QCOMPARE(m_outbox->itemsFor(1).size(), 1);
    QVERIFY(m_outbox->itemsFor(1).constFirst().failed);
    QVERIFY(!m_outbox->retry(QStringLiteral("b"))); // not failed: nothing to retry

    // The late reply to the timed-out attempt is no news.
    const ScriptedPeer::Send late = m_peer->held().takeFirst();
    m_peer->answer(late, ScriptedPeer::ack(late, 99));
    QVERIFY(!QTest::qWaitFor([&] { return acked.size() > 1; }, 200));

    answerA = true;
    QVERIFY(m_outbox->retry(QStringLiteral("a")));
    QTRY_COMPARE(tempIdsOf(acked), (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
    QCOMPARE(m_peer->sentTempIds(),
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a")}));
    QCOMPARE(m_outbox->size(), 0);
}

void TestOutbox::lostConnectionKeepsTheItemForTheNextFlush()
{
    QVERIFY(signIn());
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    QSignalSpy acked(m_outbox.get(), &Outbox::acknowledged);
    QSignalSpy reconnected(m_session.get(), &Session::reconnected);
    m_outbox->enqueue(item(1, QStringLiteral("a"), QStringLiteral("in flight when the line dropped")));
    m_outbox->enqueue(item(1, QStringLiteral("b"), QStringLiteral("queued behind it")));
    QTRY_COMPARE(m_peer->sends().size(), 1);
    m_peer->dropConnection();
    QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, 10000);
    QCOMPARE(m_peer->connections(), 2);
    // Not failed, not resent on its own: the owner catches up first, then flushes.
    QVERIFY(failed.isEmpty());
    QVERIFY(!QTest::qWaitFor([&] { return m_peer->sends().size() > 1; }, 200));
    QCOMPARE(m_outbox->size(), 2);

    Id next = 1;
    m_peer->setPolicy(
        [&next](const ScriptedPeer::Send& send, int) { return ScriptedPeer::ack(send, next++); });
    m_outbox->flush();
    QTRY_COMPARE(tempIdsOf(acked), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(m_peer->sentTempIds(),
             (QStringList{QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("b")}));
    QVERIFY(failed.isEmpty());
}

void TestOutbox::errorsFailOnlyTheirItem()
{
    QVERIFY(signIn());
    Id next = 1;
    m_peer->setPolicy([&next](const ScriptedPeer::Send& send, int) -> std::optional<Envelope> {
        if (send.request.tempId == QLatin1String("big"))
            return ScriptedPeer::error(send, ErrorCode::TooLarge);
        return ScriptedPeer::ack(send, next++);
    });
    QSignalSpy acked(m_outbox.get(), &Outbox::acknowledged);
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    m_outbox->enqueue(item(1, QStringLiteral("big"), QStringLiteral("too long")));
    m_outbox->enqueue(item(1, QStringLiteral("ok"), QStringLiteral("fine")));
    QTRY_COMPARE(acked.size(), 1);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(2).value<Error>().code, ErrorCode::TooLarge);
    QCOMPARE(m_peer->sentTempIds(), (QStringList{QStringLiteral("big"), QStringLiteral("ok")})); // no resend
}

void TestOutbox::storedOrLeftItemsAreDropped()
{
    QVERIFY(signIn());
    QSignalSpy acked(m_outbox.get(), &Outbox::acknowledged);
    m_outbox->enqueue(item(1, QStringLiteral("a"), QStringLiteral("seen in history before its ack")));
    m_outbox->enqueue(item(2, QStringLiteral("b"), QStringLiteral("in a room I leave")));
    m_outbox->enqueue(item(1, QStringLiteral("c"), QStringLiteral("last")));
    QTRY_COMPARE(m_peer->sends().size(), 1);
    // The message of "a" showed up (a `message` event): no need to wait for the ack.
    m_outbox->markStored(QStringLiteral("a"));
    QTRY_COMPARE(m_peer->sends().size(), 2);
    QCOMPARE(m_peer->sends().at(1).request.tempId, QStringLiteral("b"));
    m_outbox->dropRoom(2); // left room 2 while "b" was in flight
    QTRY_COMPARE(m_peer->sends().size(), 3);
    QCOMPARE(m_peer->sends().at(2).request.tempId, QStringLiteral("c"));
    // Late acks of what was dropped change nothing.
    for (const ScriptedPeer::Send& send : m_peer->held())
        m_peer->answer(send, ScriptedPeer::ack(send, 7));
    QTRY_COMPARE(tempIdsOf(acked), QStringList{QStringLiteral("c")});
    QCOMPARE(m_outbox->size(), 0);
}

void TestOutbox::offlineItemsWaitForFlush()
{
    QSignalSpy failed(m_outbox.get(), &Outbox::failed);
    m_outbox->enqueue(item(1, QStringLiteral("a"), QStringLiteral("written offline")));
    m_outbox->flush();
    QCOMPARE(m_outbox->size(), 1);
    QVERIFY(signIn());
    QVERIFY(!QTest::qWaitFor([&] { return !m_peer->sends().isEmpty(); }, 200));
    Id next = 1;
    m_peer->setPolicy(
        [&next](const ScriptedPeer::Send& send, int) { return ScriptedPeer::ack(send, next++); });
    m_outbox->flush();
    QTRY_COMPARE(m_peer->sentTempIds(), QStringList{QStringLiteral("a")});
    QTRY_COMPARE(m_outbox->size(), 0);
    QVERIFY(failed.isEmpty());
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
