// The StoreExecutor's reader thread on every backend (store_fixture.h): a
// read-only job of a client connection with no write in flight runs on the
// reader's own connection and sees committed data; one behind a write of the
// same connection is parked until that write has finished and then runs on
// the reader, so it never occupies the writer in front of other clients'
// writes, and never waits for its connection's later writes; a long read
// never holds up an insert's ack. Which thread ran a job is read from its name; which came
// first from the order the completions arrived in (jobs are held on
// semaphores, never timed).

#include "store/store_executor.h"
#include "store_fixture.h"

#include <QCoreApplication>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

namespace {

const QString kWriter = u"confab-store"_s;
const QString kReader = u"confab-store-reader"_s;

NewMessage newMessage(Id roomId, Id senderId, const QString& content, qint64 at)
{
    return NewMessage{roomId, senderId, content, content, {}, {}, at};
}

// A fetch of the room's newest page that also says which thread ran it.
struct Fetched {
    QString thread;
    Result<MessagePage> page = makeError(ErrorCode::Internal, u"not run"_s);
};

} // namespace

class TestStoreReader : public StoreFixture {
    Q_OBJECT

private slots:
    void readerServesCommittedData();
    void readAfterOwnWriteWaitsForIt();
    void readBehindOwnWriteNeverHoldsUpOthersWrites();
    void parkedReadDoesNotWaitForLaterWrites();
    void longReadDoesNotDelayInserts();
    void readerReconnects();

private:
    // Queues a fetch of `roomId` for client `connection`; `out` is filled on
    // arrival. A Result job, so the executor's connection handling applies.
    void fetch(StoreExecutor& executor, quint64 connection, Id roomId, std::optional<Fetched>& out,
               QStringList* events = nullptr, const QString& label = {})
    {
        auto thread = std::make_shared<QString>(); // written on the store thread before done runs
        executor.run<Result<MessagePage>>(
            this,
            [roomId, thread](Store& s) {
                *thread = QThread::currentThread()->objectName();
                return s.fetchMessages(roomId, {}, {}, 10);
            },
            [&out, events, label, thread](Result<MessagePage> page) {
                out = Fetched{*thread, std::move(page)};
                if (events)
                    *events << label;
            },
            JobOrder::read(connection));
    }
};

void TestStoreReader::readerServesCommittedData()
{
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    auto executor = startExecutor();
    QVERIFY(executor);
    std::optional<Result<InsertedMessage>> ack;
    executor->insertMessage(this, 1, newMessage(room.id, m_alice.id, u"stored"_s, tick()),
                            [&ack](Result<InsertedMessage> inserted) { ack = inserted; });
    QTRY_VERIFY_WITH_TIMEOUT(ack.has_value(), 10000);
    QVERIFY2(ack->ok(), qPrintable(describe(*ack)));

    // Acked means committed: another client's read on the reader sees it, and
    // so does the sender's own once nothing of it is in flight.
    for (quint64 connection : {2, 1}) {
        std::optional<Fetched> fetched;
        fetch(*executor, connection, room.id, fetched);
        QTRY_VERIFY_WITH_TIMEOUT(fetched.has_value(), 10000);
        QCOMPARE(fetched->thread, kReader);
        QVERIFY2(fetched->page.ok(), qPrintable(describe(fetched->page)));
        QCOMPARE(fetched->page->messages, QList<Message>({ack->value().message}));
    }

    // The reader's connection refuses writes: a write marked read-only by mistake fails loudly.
    std::optional<Result<User>> wrote;
    executor->run<Result<User>>(
        this, [now = tick()](Store& s) { return s.createUser(u"mallory"_s, u"Mallory"_s, "hash", now); },
        [&wrote](Result<User> user) { wrote = user; }, JobOrder::read(3));
    QTRY_VERIFY_WITH_TIMEOUT(wrote.has_value(), 10000);
    QVERIFY(!wrote->ok());
    QCOMPARE(errorCodeName(wrote->error().code), u"internal"_s);
    executor->stop();
}

void TestStoreReader::readAfterOwnWriteWaitsForIt()
{
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    auto executor = startExecutor();
    QVERIFY(executor);
    // Another client's write holds the writer.
    WriterHold writer(*executor, this, JobOrder::write(9));

    QStringList events;
    executor->insertMessage(
        this, 1, newMessage(room.id, m_alice.id, u"mine"_s, tick()),
        [&events](Result<InsertedMessage> inserted) { events << (inserted ? u"ack"_s : u"ack failed"_s); });
    std::optional<Fetched> own;
    std::optional<Fetched> other;
    fetch(*executor, 1, room.id, own, &events, u"own fetch"_s);
    fetch(*executor, 2, room.id, other, &events, u"other fetch"_s);
    // Client 2 has nothing in flight: the reader answers while the writer is still held.
    QTRY_VERIFY_WITH_TIMEOUT(other.has_value(), 10000);
    QCOMPARE(other->thread, kReader);
    QVERIFY(other->page.ok() && other->page->messages.isEmpty());
    QCOMPARE(events, QStringList({u"other fetch"_s}));

    writer.release();
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 3, 10000);
    QCOMPARE(events, QStringList({u"other fetch"_s, u"ack"_s, u"own fetch"_s}));
    QCOMPARE(own->thread, kReader); // parked until the ack, then on the reader
    QVERIFY(own->page.ok());
    QCOMPARE(own->page->messages.size(), 1);
    QCOMPARE(own->page->messages.constFirst().content, u"mine"_s);
    executor->stop();
}

// Issue 12: a client's mark_read (a write) in flight used to send its next
// search to the writer, where a 1-2 character scan held up everyone's sends.
void TestStoreReader::readBehindOwnWriteNeverHoldsUpOthersWrites()
{
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    sendAll(room.id, {m_alice.id, m_bob.id}, {u"早上好"_s, u"开会吗"_s});
    auto executor = startExecutor();
    QVERIFY(executor);
    WriterHold ownWrite(*executor, this, JobOrder::write(1)); // client 1's write, in flight
    QSemaphore hold;
    QSemaphore holding;
    // On a failure too: no store thread left held, no completion left to
    // run on this function's locals.
    const auto cleanUp = qScopeGuard([&] {
        ownWrite.release();
        hold.release();
        executor->stop();
        QCoreApplication::removePostedEvents(this);
    });
    QStringList events;
    auto thread = std::make_shared<QString>();
    executor->run<Result<SearchPage>>(
        this,
        [&, thread, me = m_alice.id](Store& s) {
            *thread = QThread::currentThread()->objectName();
            Result<SearchPage> page = s.searchMessages(me, u"会"_s, {}, {}, 10);
            holding.release();
            hold.acquire(); // a slow scan
            return page;
        },
        [&events](Result<SearchPage> page) { events << (page ? u"search"_s : u"search failed"_s); },
        JobOrder::read(1));
    executor->insertMessage(
        this, 2, newMessage(room.id, m_bob.id, u"bob's"_s, tick()),
        [&events](Result<InsertedMessage> inserted) { events << (inserted ? u"ack"_s : u"ack failed"_s); });
    ownWrite.release();
    QVERIFY(holding.tryAcquire(1, 30000)); // the search started once client 1's write was done...
    QCOMPARE(*thread, kReader);
    // ...and client 2's send is acked while it still runs.
    QTRY_COMPARE_WITH_TIMEOUT(events, QStringList({u"ack"_s}), 10000);
    hold.release();
    QTRY_COMPARE_WITH_TIMEOUT(events, QStringList({u"ack"_s, u"search"_s}), 10000);
    executor->stop();
}

// A read waits for the writes its connection submitted before it, not for
// the ones after: a client that keeps writing does not starve its reads.
void TestStoreReader::parkedReadDoesNotWaitForLaterWrites()
{
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    auto executor = startExecutor();
    QVERIFY(executor);
    QStringList events;
    auto first = std::make_unique<WriterHold>(*executor, this, JobOrder::write(1));
    std::optional<Fetched> fetched;
    fetch(*executor, 1, room.id, fetched, &events, u"fetch"_s);
    QSemaphore hold;
    const auto cleanUp = qScopeGuard([&] {
        first->release();
        hold.release();
        executor->stop();
        QCoreApplication::removePostedEvents(this);
    });
    executor->run<int>(
        this,
        [&hold](Store&) {
            hold.acquire(); // client 1's next write, held on the writer
            return 0;
        },
        [&events](int) { events << u"later write"_s; }, JobOrder::write(1));
    first->release();
    QTRY_COMPARE_WITH_TIMEOUT(events, QStringList({u"fetch"_s}), 10000);
    QCOMPARE(fetched->thread, kReader);
    hold.release();
    QTRY_COMPARE_WITH_TIMEOUT(events, QStringList({u"fetch"_s, u"later write"_s}), 10000);
    executor->stop();
}

void TestStoreReader::longReadDoesNotDelayInserts()
{
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    sendAll(room.id, {m_alice.id, m_bob.id}, {u"早上好"_s, u"开会吗"_s, u"好的"_s});
    auto executor = startExecutor();
    QVERIFY(executor);
    // A short-query search (the slow scan) that the test keeps from finishing.
    QSemaphore hold;
    QSemaphore holding;
    QStringList events;
    executor->run<Result<SearchPage>>(
        this,
        [&, me = m_alice.id](Store& s) {
            Result<SearchPage> page = s.searchMessages(me, u"会"_s, {}, {}, 10);
            holding.release();
            hold.acquire();
            return page;
        },
        [&events](Result<SearchPage> page) {
            events << (page ? u"search %1"_s.arg(page->messages.size()) : u"search failed"_s);
        },
        JobOrder::read(2));
    holding.acquire(); // the reader is busy

    executor->insertMessage(
        this, 1, newMessage(room.id, m_alice.id, u"not held up"_s, tick()),
        [&events](Result<InsertedMessage> inserted) { events << (inserted ? u"ack"_s : u"ack failed"_s); });
    QTRY_COMPARE_WITH_TIMEOUT(events, QStringList({u"ack"_s}), 10000);
    hold.release();
    QTRY_COMPARE_WITH_TIMEOUT(events, QStringList({u"ack"_s, u"search 1"_s}), 10000);
    executor->stop();
}

// The reader's connection follows the writer's reconnect rules: after the
// database dropped it, a read fails at most once (unavailable), then works.
void TestStoreReader::readerReconnects()
{
    if (!isPostgres())
        QSKIP("only a PostgreSQL server can drop the reader's connection");
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    sendAll(room.id, {m_alice.id}, {u"before"_s});
    auto executor = startExecutor();
    QVERIFY(executor);
    std::optional<Fetched> first;
    fetch(*executor, 2, room.id, first);
    QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 10000);
    QVERIFY(first->page.ok());

    AdminConnection admin(m_url);
    QSqlQuery kill(admin.db());
    QVERIFY2(kill.exec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()"_s),
             qPrintable(kill.lastError().text()));
    std::optional<Fetched> afterKill;
    fetch(*executor, 2, room.id, afterKill);
    QTRY_VERIFY_WITH_TIMEOUT(afterKill.has_value(), 10000);
    QCOMPARE(afterKill->thread, kReader);
    if (!afterKill->page.ok())
        QCOMPARE(errorCodeName(afterKill->page.error().code), u"unavailable"_s);
    std::optional<Fetched> again;
    fetch(*executor, 2, room.id, again);
    QTRY_VERIFY_WITH_TIMEOUT(again.has_value(), 10000);
    QVERIFY2(again->page.ok(), qPrintable(describe(again->page)));
    QCOMPARE(again->page->messages.size(), 1);
    executor->stop();
}

CONFAB_TEST_GUILESS_MAIN(TestStoreReader)
#include "tst_store_reader.moc"
