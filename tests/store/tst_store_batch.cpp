// Group commit on every backend (store_fixture.h): Store::insertMessages()
// stores a batch in one transaction with a savepoint per message, and the
// StoreExecutor's writer batches the consecutive inserts it finds queued and
// completes them only after the COMMIT.

#include "store/store_executor.h"
#include "store_fixture.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

namespace {

// A statement failure the store cannot foresee: any message whose content is
// `content` is refused by the database itself, when inserted or (deferred)
// at COMMIT. DDL is not preparable on PostgreSQL, hence plain exec.
bool refuseContent(const AdminConnection& admin, bool postgres, const QString& content, bool atCommit)
{
    QStringList statements;
    if (!postgres) {
        statements << u"CREATE TRIGGER refuse_content BEFORE INSERT ON messages WHEN NEW.content = '%1' "
                      "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"_s.arg(content);
    } else {
        statements << u"CREATE FUNCTION refuse_content() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                      "IF NEW.content = '%1' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
                      "RETURN NEW; END $$"_s.arg(content);
        statements << (atCommit
                           ? u"CREATE CONSTRAINT TRIGGER refuse_content AFTER INSERT ON messages "
                             "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_content()"_s
                           : u"CREATE TRIGGER refuse_content BEFORE INSERT ON messages "
                             "FOR EACH ROW EXECUTE FUNCTION refuse_content()"_s);
    }
    for (const QString& statement : std::as_const(statements)) {
        QSqlQuery query(admin.db());
        if (!query.exec(statement)) {
            qWarning() << "cannot install the refusing trigger:" << query.lastError().text();
            return false;
        }
    }
    return true;
}

NewMessage newMessage(Id roomId, Id senderId, const QString& content, const QString& tempId, qint64 at)
{
    return NewMessage{roomId, senderId, content, tempId, {}, {}, at};
}

} // namespace

class TestStoreBatch : public StoreFixture {
    Q_OBJECT

private slots:
    void oneFailingMessageFailsAlone()
    {
        TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
        AdminConnection admin(m_url);
        QVERIFY(refuseContent(admin, isPostgres(), u"boom"_s, false));
        const QString hiBob = u"hi @bob"_s;
        NewMessage mentioning = newMessage(room.id, m_alice.id, hiBob, u"t-2"_s, tick());
        mentioning.mentions = {spanOf(hiBob, u"bob"_s, m_bob.id)};
        const QList<NewMessage> batch{
            newMessage(room.id, m_alice.id, u"first"_s, u"t-1"_s, tick()),    mentioning,
            newMessage(room.id, m_alice.id, u"boom"_s, u"t-3"_s, tick()),     // the database refuses it
            newMessage(room.id, m_carol.id, u"not mine"_s, u"t-4"_s, tick()), // carol is no member
            newMessage(room.id, m_bob.id, u"last"_s, u"t-5"_s, tick()),
        };
        const QList<Result<InsertedMessage>> results = m_store->insertMessages(batch);
        QCOMPARE(results.size(), batch.size());
        QVERIFY2(results[0].ok(), qPrintable(describe(results[0])));
        QVERIFY2(results[1].ok(), qPrintable(describe(results[1])));
        QCOMPARE(errorCodeName(results[2].error().code), u"internal"_s);
        QCOMPARE(errorCodeName(results[3].error().code), u"forbidden"_s);
        QVERIFY2(results[4].ok(), qPrintable(describe(results[4])));
        QCOMPARE(results[1]->mentionedUserIds, QList<Id>({m_bob.id}));

        TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(page.messages,
                 QList<Message>({results[0]->message, results[1]->message, results[4]->message}));
        TAKE(const MessagePage mentions, m_store->listMentions(m_bob.id, {}, 10));
        QCOMPARE(idsOf(mentions.messages), QList<Id>({results[1]->message.id}));
        TAKE(const SearchPage found, m_store->searchMessages(m_bob.id, u"LAST"_s, {}, {}, 10));
        QCOMPARE(idsOf(found.messages), QList<Id>({results[4]->message.id}));
        TAKE(const Room forBob, m_store->roomForUser(room.id, m_bob.id));
        QCOMPARE(forBob.unreadCount, 2); // alice's two; his own does not count
        // The refused tempId is still free.
        TAKE(const InsertedMessage retried, send(room.id, m_alice.id, u"boom, but calmer"_s, u"t-3"_s));
        QVERIFY(!retried.duplicate);
    }

    void duplicateTempIdsInOneBatch()
    {
        TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
        AdminConnection admin(m_url);
        QVERIFY(refuseContent(admin, isPostgres(), u"boom"_s, false));
        const QList<NewMessage> batch{
            newMessage(room.id, m_alice.id, u"once"_s, u"same"_s, tick()),
            newMessage(room.id, m_alice.id, u"once, resent"_s, u"same"_s, tick()),
            newMessage(room.id, m_bob.id, u"bob may use it"_s, u"same"_s, tick()),
            newMessage(room.id, m_bob.id, u"boom"_s, u"b-1"_s, tick()),
            newMessage(room.id, m_bob.id, u"after a failure"_s, u"b-1"_s, tick()),
            newMessage(room.id, m_alice.id, u"and again"_s, u"same"_s, tick()),
        };
        const QList<Result<InsertedMessage>> results = m_store->insertMessages(batch);
        QCOMPARE(results.size(), batch.size());
        for (int i : {0, 1, 2, 4, 5})
            QVERIFY2(results[i].ok(), qPrintable(describe(results[i])));
        QVERIFY(!results[0]->duplicate);
        QVERIFY(results[1]->duplicate);
        QCOMPARE(results[1]->message, results[0]->message);
        QVERIFY(!results[2]->duplicate);
        QVERIFY(!results[3].ok());
        QVERIFY(!results[4]->duplicate); // the failed first use of b-1 stored nothing
        QVERIFY(results[5]->duplicate);
        QCOMPARE(results[5]->message, results[0]->message);

        TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(idsOf(page.messages),
                 QList<Id>({results[0]->message.id, results[2]->message.id, results[4]->message.id}));
        // Committed: a later batch still sees them as duplicates.
        TAKE(const InsertedMessage later, send(room.id, m_alice.id, u"later"_s, u"same"_s));
        QVERIFY(later.duplicate);
        QCOMPARE(later.message, results[0]->message);
    }

    // A COMMIT that fails stores nothing and fails every message of the
    // batch. Only PostgreSQL can be made to fail a COMMIT honestly here (a
    // deferred constraint trigger); SQLite checks everything per statement.
    void failedCommitFailsTheWholeBatch()
    {
        if (!isPostgres())
            QSKIP("SQLite has no deferred check that could make COMMIT fail");
        TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
        AdminConnection admin(m_url);
        QVERIFY(refuseContent(admin, isPostgres(), u"boom"_s, true));
        const QList<Result<InsertedMessage>> results = m_store->insertMessages({
            newMessage(room.id, m_alice.id, u"fine"_s, u"t-1"_s, tick()),
            newMessage(room.id, m_alice.id, u"boom"_s, u"t-2"_s, tick()),
            newMessage(room.id, m_bob.id, u"fine too"_s, u"t-3"_s, tick()),
        });
        QCOMPARE(results.size(), 3);
        for (const auto& result : results)
            QCOMPARE(errorCodeName(result.error().code), u"internal"_s);
        TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
        QVERIFY(page.messages.isEmpty());
    }

    void executorBatchesQueuedInsertsAndAcksAfterCommit();
    void executorFailedCommitAcksNothing();
    void executorCommitDelayGathersATrickle();
    void executorCheckpointsOffTheWriter();
};

// The writer is held by a job waiting on a semaphore while inserts and a
// fetch queue behind it; released, it must store the inserts in order, ack
// each after its batch committed and before the later fetch answers.
void TestStoreBatch::executorBatchesQueuedInsertsAndAcksAfterCommit()
{
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    AdminConnection admin(m_url);
    QVERIFY(refuseContent(admin, isPostgres(), u"boom"_s, false));
    auto executor = startExecutor();
    QVERIFY(executor);

    WriterHold writer(*executor, this); // the writer is busy: what follows queues up

    QStringList events;
    QList<Result<InsertedMessage>> acks;
    const QStringList contents{u"m0"_s, u"m1"_s, u"boom"_s, u"m3"_s};
    for (int i = 0; i < contents.size(); ++i) {
        executor->insertMessage(this, 1,
                                newMessage(room.id, m_alice.id, contents[i], u"e-%1"_s.arg(i), tick()),
                                [&events, &acks, i](Result<InsertedMessage> inserted) {
                                    events << u"ack %1"_s.arg(i);
                                    acks << inserted;
                                });
    }
    executor->run<Result<MessagePage>>(
        this, [roomId = room.id](Store& s) { return s.fetchMessages(roomId, {}, {}, 10); },
        [&events](Result<MessagePage> page) {
            events << u"fetch %1"_s.arg(page ? page->messages.size() : -1);
        });
    executor->insertMessage(this, 1, newMessage(room.id, m_bob.id, u"after the fetch"_s, u"e-9"_s, tick()),
                            [&events](Result<InsertedMessage> inserted) {
                                events << (inserted ? u"ack 9"_s : u"ack 9 failed"_s);
                            });
    writer.release();
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 6, 10000);
    QCOMPARE(events, QStringList({u"ack 0"_s, u"ack 1"_s, u"ack 2"_s, u"ack 3"_s, u"fetch 3"_s, u"ack 9"_s}));
    QVERIFY(acks[0].ok() && acks[1].ok() && acks[3].ok());
    QCOMPARE(errorCodeName(acks[2].error().code), u"internal"_s);
    QVERIFY(acks[0]->message.id < acks[1]->message.id && acks[1]->message.id < acks[3]->message.id);
    executor->stop();
}

// One batch whose COMMIT fails: no insert of it may be acked.
void TestStoreBatch::executorFailedCommitAcksNothing()
{
    if (!isPostgres())
        QSKIP("SQLite has no deferred check that could make COMMIT fail");
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    AdminConnection admin(m_url);
    QVERIFY(refuseContent(admin, isPostgres(), u"boom"_s, true));
    auto executor = startExecutor();
    QVERIFY(executor);
    WriterHold writer(*executor, this);
    QList<Result<InsertedMessage>> acks;
    for (const QString& content : {u"a"_s, u"boom"_s, u"c"_s}) {
        executor->insertMessage(this, 1, newMessage(room.id, m_alice.id, content, content, tick()),
                                [&acks](Result<InsertedMessage> inserted) { acks << inserted; });
    }
    writer.release();
    QTRY_COMPARE_WITH_TIMEOUT(acks.size(), 3, 10000);
    for (const auto& ack : std::as_const(acks))
        QCOMPARE(errorCodeName(ack.error().code), u"internal"_s);
    executor->stop();
    TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
    QVERIFY(page.messages.isEmpty());
}

// Issue 17: while messages keep coming, an insert that finds the writer's
// queue empty waits (up to the delay) for others to share its commit; the
// first job of another kind ends the wait, and a first message never waits.
void TestStoreBatch::executorCommitDelayGathersATrickle()
{
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    auto executor = startExecutor();
    QVERIFY(executor);
    executor->setCommitDelay(3'000'000, 600'000); // 3 s, so that a wait cannot go unseen
    QElapsedTimer clock;
    clock.start();
    QStringList events;
    const auto insert = [&](const QString& content) {
        executor->insertMessage(this, 1, newMessage(room.id, m_alice.id, content, content, tick()),
                                [&events, content](Result<InsertedMessage> inserted) {
                                    events << (inserted ? content : u"failed"_s);
                                });
    };
    insert(u"first"_s); // nothing committed before it: no wait
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 2000);
    insert(u"second"_s); // right after a commit: waits for company
    QTest::qWait(300);
    QCOMPARE(events.size(), 1);
    insert(u"third"_s);
    executor->run<int>(
        this, [](Store&) { return 0; }, [&events](int) { events << u"run"_s; });
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 4, 2000);
    QCOMPARE(events, QStringList({u"first"_s, u"second"_s, u"third"_s, u"run"_s}));
    QVERIFY2(clock.elapsed() < 2900, "the run job must end the wait, not the delay");
    executor->stop();
    TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
    QCOMPARE(page.messages.size(), 3);
}

// Issue 17: the writer no longer checkpoints (wal_autocheckpoint = 0) and
// the checkpointer's connection copies the WAL into the database by itself.
// 300 KiB of messages are far below SQLite's own 1,000-page trigger, so
// only the checkpointer can have put them into the database file.
void TestStoreBatch::executorCheckpointsOffTheWriter()
{
    if (isPostgres())
        QSKIP("SQLite's WAL checkpoints");
    const QString file = m_url.mid(int(qstrlen("sqlite:")));
    QVERIFY(QFileInfo::exists(file));
    TAKE(const Room room, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
    auto executor = startExecutor();
    QVERIFY(executor);
    QTest::qWait(600); // what is in the log now is copied back meanwhile
    const qint64 before = QFileInfo(file).size();
    int acked = 0;
    for (int i = 0; i < 300; ++i) {
        executor->insertMessage(this, 1,
                                newMessage(room.id, m_alice.id, QString(1000, QLatin1Char('a' + i % 26)),
                                           u"c-%1"_s.arg(i), tick()),
                                [&acked](Result<InsertedMessage> inserted) { acked += inserted ? 1 : 0; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(acked, 300, 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        QFileInfo(file).size() > before + 250'000,
        qPrintable(u"the database file stayed at %1 bytes"_s.arg(QFileInfo(file).size())), 5000);

    executor->stop();
}

CONFAB_TEST_GUILESS_MAIN(TestStoreBatch)
#include "tst_store_batch.moc"
