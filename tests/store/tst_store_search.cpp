// The storage layer against a real database, on every backend (store_fixture.h). Message search: case-
// insensitive substrings in any script, 1-3+ character Chinese queries, scope, paging and the bounded short-
// query scan.

#include "store_fixture.h"

#include <QSqlQuery>

#include <algorithm>

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

class TestStoreSearch : public StoreFixture {
    Q_OBJECT

    static void indexedOrNot()
    {
        QTest::addColumn<bool>("indexed");
        QTest::newRow("indexed") << true;
        QTest::newRow("not indexed yet") << false;
    }

private slots:
    // Each search test runs on messages the index has and (on SQLite, which
    // indexes after the commit) on ones it has not yet: both must match alike.
    void searchMessagesText_data() { indexedOrNot(); }
    void searchMessagesText()
    {
        QFETCH(bool, indexed);
        TAKE(const Room room, m_store->createGroup(u"Search"_s, m_alice.id, {m_bob.id}, tick()));
        const QStringList contents{
            u"Deploy the NEW build tonight"_s,   // 0
            u"new york trip🎉"_s,                 // 1
            u"Contract renewal"_s,               // 2
            u"今天下午开会 @bob"_s,              // 3
            u"明天开会吗？"_s,                   // 4
            u"会议室在三楼"_s,                   // 5
            u"开发进度 𠮷野家"_s,                // 6
            u"So ÄRGERLICH, in МОСКВА"_s,        // 7
            u"she said \"ship it\" AND left*"_s, // 8
        };
        const QList<Id> ids = sendAll(room.id, {m_alice.id, m_bob.id}, contents);
        QCOMPARE(ids.size(), contents.size());
        if (indexed)
            runUpkeep();
        const auto search = [this](const QString& query) {
            Result<SearchPage> page = m_store->searchMessages(m_bob.id, query, {}, {}, 20);
            return page ? idsOf(page->messages) : QList<Id>({-1});
        };
        // English: case-insensitive substrings, newest first.
        QCOMPARE(search(u"new"_s), QList<Id>({ids[2], ids[1], ids[0]}));
        QCOMPARE(search(u"NEW BUILD"_s), QList<Id>({ids[0]}));
        QCOMPARE(search(u"enew"_s), QList<Id>({ids[2]}));
        QCOMPARE(search(u"  york trip  "_s), QList<Id>({ids[1]}));
        QCOMPARE(search(u"yorktrip"_s), QList<Id>());
        QCOMPARE(search(u"ne"_s), QList<Id>({ids[2], ids[1], ids[0]})); // 2 characters: scanned
        QCOMPARE(search(u"K"_s), QList<Id>({ids[1]}));
        // Code points, not UTF-16 units, pick the path: these are 1 and 2 code points.
        QCOMPARE(search(u"🎉"_s), QList<Id>({ids[1]}));
        QCOMPARE(search(u"P🎉"_s), QList<Id>({ids[1]}));
        QCOMPARE(search(u"𠮷野"_s), QList<Id>({ids[6]}));
        QCOMPARE(search(u"𠮷野家"_s), QList<Id>({ids[6]}));
        // Beyond ASCII.
        QCOMPARE(search(u"ärger"_s), QList<Id>({ids[7]}));
        QCOMPARE(search(u"москва"_s), QList<Id>({ids[7]}));
        // Chinese: 1, 2, 3 and 4 characters.
        QCOMPARE(search(u"会"_s), QList<Id>({ids[5], ids[4], ids[3]}));
        QCOMPARE(search(u"开会"_s), QList<Id>({ids[4], ids[3]}));
        QCOMPARE(search(u"下午开"_s), QList<Id>({ids[3]}));
        QCOMPARE(search(u"下午开会"_s), QList<Id>({ids[3]}));
        QCOMPARE(search(u"开"_s), QList<Id>({ids[6], ids[4], ids[3]}));
        QCOMPARE(search(u"会 @b"_s), QList<Id>({ids[3]}));
        QCOMPARE(search(u"三楼开"_s), QList<Id>());
        // FTS5 syntax in the query is just text.
        QCOMPARE(search(u"\"ship it\""_s), QList<Id>({ids[8]}));
        QCOMPARE(search(u"AND left*"_s), QList<Id>({ids[8]}));
        QCOMPARE(search(u"\""_s), QList<Id>({ids[8]}));
        QCOMPARE(search(u"new OR york"_s), QList<Id>());
        QCOMPARE(search(u"   "_s), QList<Id>());

        TAKE(const SearchPage full, m_store->searchMessages(m_bob.id, u"会"_s, {}, {}, 20));
        QCOMPARE(full.messages.at(2).content, u"今天下午开会 @bob"_s);
        QVERIFY(!full.hasMore);
        QCOMPARE(full.nextBeforeId, std::optional<Id>());

        // Deleted messages are never found, by either path.
        AdminConnection admin(m_url);
        QVERIFY(admin.exec(u"UPDATE messages SET deleted = 1 WHERE id = ?"_s, {ids[4]}));
        QCOMPARE(search(u"开会"_s), QList<Id>({ids[3]}));
        QCOMPARE(search(u"明天开会"_s), QList<Id>());
    }

    void searchMessagesScope_data() { indexedOrNot(); }
    void searchMessagesScope()
    {
        QFETCH(bool, indexed);
        TAKE(const Room shared,
             m_store->createGroup(u"Shared"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const Room secret, m_store->createGroup(u"Secret"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const DmRoom dm, m_store->openDm(m_carol.id, m_ming.id, tick()));
        TAKE(const InsertedMessage s1, send(shared.id, m_alice.id, u"release notes 发布"_s, u"a-1"_s));
        TAKE(const InsertedMessage s2, send(secret.id, m_alice.id, u"secret release plan 发布"_s, u"a-2"_s));
        TAKE(const InsertedMessage s3, send(dm.room.id, m_ming.id, u"release party? 发布"_s, u"m-1"_s));
        if (indexed)
            runUpkeep();
        const auto search = [this](Id user, const QString& query, std::optional<Id> room = {}) {
            Result<SearchPage> page = m_store->searchMessages(user, query, room, {}, 20);
            return page ? idsOf(page->messages) : QList<Id>({-1});
        };
        for (const QString& query : {u"release"_s, u"发布"_s, u"发"_s}) {
            QCOMPARE(search(m_alice.id, query), QList<Id>({s2.message.id, s1.message.id}));
            QCOMPARE(search(m_carol.id, query), QList<Id>({s3.message.id, s1.message.id}));
            QCOMPARE(search(m_bob.id, query), QList<Id>({s2.message.id, s1.message.id}));
            QCOMPARE(search(m_bob.id, query, shared.id), QList<Id>({s1.message.id}));
            QCOMPARE(search(m_carol.id, query, secret.id), QList<Id>()); // not hers
        }
        VERIFY_OK(m_store->leaveRoom(secret.id, m_bob.id));
        QCOMPARE(search(m_bob.id, u"release"_s), QList<Id>({s1.message.id}));
        QCOMPARE(search(m_bob.id, u"发"_s), QList<Id>({s1.message.id}));
    }

    // Issue 17: SQLite indexes a message after its commit, between the
    // writer's jobs (runUpkeep). An edit or a delete before that must leave
    // the index as if it had been indexed at once; a restart loses nothing.
    void searchIndexCatchesUp()
    {
        TAKE(const Room room, m_store->createGroup(u"Later"_s, m_alice.id, {m_bob.id}, tick()));
        const QList<Id> ids =
            sendAll(room.id, {m_alice.id}, {u"alpha plan one"_s, u"alpha plan two"_s, u"alpha plan three"_s});
        QCOMPARE(ids.size(), 3);
        const auto search = [this](const QString& query) {
            Result<SearchPage> page = m_store->searchMessages(m_bob.id, query, {}, {}, 20);
            return page ? idsOf(page->messages) : QList<Id>({-1});
        };
        const auto edit = [this](Id id, const QString& content) {
            return m_store->editMessage({id, m_alice.id, content, {}, tick(), 3'600'000});
        };
        VERIFY_OK(edit(ids[1], u"beta plan two"_s));
        VERIFY_OK(m_store->deleteMessage(ids[2], m_alice.id, tick(), 3'600'000));
        const auto check = [&] {
            QCOMPARE(search(u"alpha"_s), QList<Id>({ids[0]}));
            QCOMPARE(search(u"beta"_s), QList<Id>({ids[1]}));
            QCOMPARE(search(u"a p"_s), QList<Id>({ids[1], ids[0]}));
            QCOMPARE(search(u"三"_s), QList<Id>());
        };
        check();
        runUpkeep();
        check();
        AdminConnection admin(m_url);
        const QString indexed = isPostgres() ? u"SELECT message_id FROM message_search ORDER BY 1"_s
                                             : u"SELECT rowid FROM message_search ORDER BY 1"_s;
        QCOMPARE(admin.rows(indexed), QStringList({QString::number(ids[0]), QString::number(ids[1])}));
        if (!isPostgres())
            QCOMPARE(admin.rows(u"SELECT indexed_through FROM message_search_progress"_s),
                     QStringList({QString::number(ids[2])}));

        // Indexed now: an edit re-indexes it at once.
        VERIFY_OK(edit(ids[0], u"gamma plan one"_s));
        QCOMPARE(search(u"alpha"_s), QList<Id>());
        QCOMPARE(search(u"gamma"_s), QList<Id>({ids[0]}));

        // A restart before the writer indexed a message: found at once, indexed later.
        TAKE(const InsertedMessage late, send(room.id, m_alice.id, u"delta plan four"_s, u"late-1"_s));
        m_store->close();
        TAKE(m_store, openStore(m_url));
        QCOMPARE(search(u"delta"_s), QList<Id>({late.message.id}));
        runUpkeep();
        QCOMPARE(search(u"delta"_s), QList<Id>({late.message.id}));
        QCOMPARE(admin.rows(indexed).size(), 3);
    }

    // A backlog longer than one search's scan of the unindexed messages
    // (the index catching up after a burst): pages continue the scan, and
    // paging on finds every match exactly once.
    void searchLongUnindexedBacklog()
    {
        if (isPostgres())
            QSKIP("PostgreSQL indexes each message with its insert");
        SqlStore* store = sqlStore();
        QVERIFY(store);
        TAKE(const Room room, m_store->createGroup(u"Backlog"_s, m_alice.id, {m_bob.id}, tick()));
        QStringList contents;
        for (int i = 0; i < 12; ++i)
            contents.append(i % 3 == 0 ? u"deploy %1"_s.arg(i) : u"chat %1"_s.arg(i));
        const QList<Id> ids = sendAll(room.id, {m_alice.id}, contents);
        QCOMPARE(ids.size(), 12);
        store->setUnindexedScanCap(5);
        QList<Id> seen;
        std::optional<Id> before;
        int pages = 0;
        for (;;) {
            TAKE(const SearchPage page, m_store->searchMessages(m_bob.id, u"deploy"_s, {}, before, 10));
            seen += idsOf(page.messages);
            QVERIFY(++pages < 10);
            if (!page.hasMore)
                break;
            QVERIFY(page.nextBeforeId.has_value());
            before = page.nextBeforeId;
        }
        QCOMPARE(seen, QList<Id>({ids[9], ids[6], ids[3], ids[0]}));
        QCOMPARE(pages, 3); // 12 rows, 5 a scan
    }

    void searchMessagesPaging_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("indexedFirst"); // messages indexed before the rest are sent
        for (int indexedFirst : {0, 17, 50}) {
            const QByteArray suffix = ", " + QByteArray::number(indexedFirst) + " of 50 indexed";
            QTest::newRow(("indexed, 3+ characters" + suffix).constData())
                << u"status 报告"_s << indexedFirst;
            QTest::newRow(("scanned, 2 characters" + suffix).constData()) << u"报告"_s << indexedFirst;
            QTest::newRow(("scanned, 1 character" + suffix).constData()) << u"报"_s << indexedFirst;
        }
    }

    void searchMessagesPaging()
    {
        QFETCH(QString, query);
        QFETCH(int, indexedFirst);
        TAKE(const Room room, m_store->createGroup(u"Reports"_s, m_alice.id, {m_bob.id}, tick()));
        QStringList contents;
        for (int i = 0; i < 25; ++i) {
            contents.append(u"STATUS 报告 #%1"_s.arg(i));
            contents.append(u"unrelated chatter %1"_s.arg(i));
        }
        QList<Id> ids = sendAll(room.id, {m_alice.id, m_bob.id}, contents.mid(0, indexedFirst));
        runUpkeep();
        ids += sendAll(room.id, {m_alice.id, m_bob.id}, contents.mid(indexedFirst));
        QCOMPARE(ids.size(), 50);
        QList<Id> expected;
        for (int i = 48; i >= 0; i -= 2)
            expected.append(ids.at(i));

        QList<Id> seen;
        QList<bool> more;
        std::optional<Id> before;
        for (int guard = 0; guard < 10; ++guard) {
            TAKE(const SearchPage page, m_store->searchMessages(m_bob.id, query, {}, before, 10));
            seen += idsOf(page.messages);
            more.append(page.hasMore);
            QCOMPARE(page.nextBeforeId.has_value(), page.hasMore);
            if (!page.hasMore)
                break;
            QCOMPARE(*page.nextBeforeId, page.messages.last().id);
            before = page.nextBeforeId;
        }
        QCOMPARE(seen, expected);
        QCOMPARE(more, QList<bool>({true, true, false}));
        TAKE(const SearchPage exact, m_store->searchMessages(m_bob.id, query, {}, {}, 25));
        QCOMPARE(idsOf(exact.messages), expected);
        QVERIFY(!exact.hasMore);
        TAKE(const SearchPage below, m_store->searchMessages(m_bob.id, query, {}, ids.at(4), 10));
        QCOMPARE(idsOf(below.messages), QList<Id>({ids.at(2), ids.at(0)}));
        QVERIFY(!below.hasMore);
    }

    // The pg_trgm GIN index applies to the LIKE of the 3+ code point path, for
    // Latin and Chinese text (whether it narrows CJK depends on the locale:
    // docs/search.md). seqscan off: a tiny table would never use an index.
    void postgresSearchUsesTrigramIndex()
    {
        if (!isPostgres())
            QSKIP("PostgreSQL's pg_trgm index (SQLite's FTS5 is what every other search test runs on)");
        TAKE(const Room room, m_store->createGroup(u"Index"_s, m_alice.id, {m_bob.id}, tick()));
        QCOMPARE(sendAll(room.id, {m_alice.id}, {u"Deploy the NEW build"_s, u"今天下午开会"_s}).size(), 2);
        AdminConnection admin(m_url);
        QSqlQuery(admin.db()).exec(u"SET enable_seqscan = off"_s);
        for (const QString& pattern : {u"%new build%"_s, u"%下午开%"_s}) {
            const QStringList plan = admin.rows(
                u"EXPLAIN SELECT message_id FROM message_search WHERE body LIKE '%1' ESCAPE '\\'"_s.arg(
                    pattern));
            QVERIFY2(plan.join(u'\n').contains(u"message_search_body_trgm"_s), qPrintable(plan.join(u'\n')));
        }
    }

    void searchShortQueryScanBudget()
    {
        SqlStore* store = sqlStore();
        QVERIFY(store);
        QCOMPARE(store->shortQueryScanBudget(), qint64(50'000));
        QCOMPARE(qint64(SqlStore::kShortQueryWindowIds), qint64(20'000));
        TAKE(const Room room, m_store->createGroup(u"Budget"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const Room hidden, m_store->createGroup(u"Hidden"_s, m_carol.id, {}, tick()));
        // 30 messages; "会" in 4 of them, plus one in a room bob cannot see.
        QStringList contents;
        for (int i = 0; i < 30; ++i)
            contents.append(i == 3 || i == 4 || i == 17 || i == 28 ? u"开会 %1"_s.arg(i)
                                                                   : u"chat %1"_s.arg(i));
        const QList<Id> ids = sendAll(room.id, {m_alice.id, m_bob.id}, contents);
        QCOMPARE(ids.size(), 30);
        TAKE(const InsertedMessage invisible, send(hidden.id, m_carol.id, u"会"_s, u"c-1"_s));
        const Id newest = invisible.message.id;
        QCOMPARE(newest, ids.last() + 1);
        runUpkeep(); // the budget is the indexed part's (the newest, unindexed part has its own bound)

        store->setShortQueryScanBudget(5);
        // The first call scans ids [newest-4, newest]: ids[28] is in it.
        TAKE(const SearchPage first, m_store->searchMessages(m_bob.id, u"会"_s, {}, {}, 10));
        QCOMPARE(idsOf(first.messages), QList<Id>({ids[28]}));
        QVERIFY(first.hasMore);
        QCOMPARE(first.nextBeforeId, std::optional<Id>(newest - 4)); // the lowest id scanned
        // An empty page can still say hasMore: the budget ran out, not the history.
        TAKE(const SearchPage second, m_store->searchMessages(m_bob.id, u"会"_s, {}, first.nextBeforeId, 10));
        QVERIFY(second.messages.isEmpty());
        QVERIFY(second.hasMore);
        QCOMPARE(second.nextBeforeId, std::optional<Id>(newest - 9));

        // A beforeId far above the newest message starts at the newest.
        TAKE(const SearchPage high, m_store->searchMessages(m_bob.id, u"会"_s, {}, Id(1) << 50, 10));
        QCOMPARE(idsOf(high.messages), idsOf(first.messages));
        QCOMPARE(high.nextBeforeId, first.nextBeforeId);

        // Paging on collects exactly what an unbounded scan finds.
        QList<Id> seen = idsOf(first.messages);
        std::optional<Id> before = second.nextBeforeId;
        int calls = 2;
        for (;;) {
            TAKE(const SearchPage page, m_store->searchMessages(m_bob.id, u"会"_s, {}, before, 10));
            ++calls;
            seen += idsOf(page.messages);
            if (!page.hasMore)
                break;
            QVERIFY(*page.nextBeforeId < *before);
            QVERIFY(calls < 50);
            before = page.nextBeforeId;
        }
        QCOMPARE(seen, QList<Id>({ids[28], ids[17], ids[4], ids[3]}));
        QCOMPARE(calls, 7); // ceil(newest / 5) requests of 5 ids each

        // Matches found before the budget ends: hasMore/nextBeforeId come from the limit.
        TAKE(const SearchPage limited, m_store->searchMessages(m_bob.id, u"开"_s, {}, ids[5], 1));
        QCOMPARE(idsOf(limited.messages), QList<Id>({ids[4]}));
        QVERIFY(limited.hasMore);
        QCOMPARE(limited.nextBeforeId, std::optional<Id>(ids[4]));

        // The default budget covers this whole history in one call.
        store->setShortQueryScanBudget(SqlStore::kDefaultShortQueryScanBudget);
        TAKE(const SearchPage whole, m_store->searchMessages(m_bob.id, u"会"_s, {}, {}, 10));
        QCOMPARE(idsOf(whole.messages), QList<Id>({ids[28], ids[17], ids[4], ids[3]}));
        QVERIFY(!whole.hasMore);
        // The 3+ character path has no budget.
        store->setShortQueryScanBudget(1);
        TAKE(const SearchPage indexed, m_store->searchMessages(m_bob.id, u"开会 "_s + u"1"_s, {}, {}, 10));
        QCOMPARE(idsOf(indexed.messages), QList<Id>({ids[17]}));
    }

    void searchShortQueryLongHistory()
    {
        SqlStore* store = sqlStore();
        QVERIFY(store);
        TAKE(const Room room, m_store->createGroup(u"Long"_s, m_alice.id, {m_bob.id}, tick()));
        // 4,500 messages with the ids we choose, written directly in one
        // transaction (the store commits each one durably) and 250 rows per
        // statement (PostgreSQL pays a round trip per statement), so that the
        // scan crosses growing windows of ids.
        const QList<Id> matching{17, 1001, 1002, 2999, 3000, 4321, 4499};
        {
            AdminConnection admin(m_url);
            constexpr int kRows = 250;
            // PostgreSQL's ids are GENERATED ALWAYS: choosing one must say so.
            const QString insertMessages =
                u"INSERT INTO messages (id, room_id, sender_id, content, temp_id, created_at) %1 VALUES "_s
                    .arg(isPostgres() ? u"OVERRIDING SYSTEM VALUE"_s : QString()) +
                QStringList(kRows, u"(?, ?, ?, ?, ?, ?)"_s).join(u", "_s);
            const QString insertTexts = u"INSERT INTO message_search (%1, body) VALUES "_s.arg(
                                            isPostgres() ? u"message_id"_s : u"rowid"_s) +
                                        QStringList(kRows, u"(?, ?)"_s).join(u", "_s);
            QVERIFY(admin.db().transaction());
            for (Id first = 1; first <= 4500; first += kRows) {
                QVariantList messages, texts;
                for (Id id = first; id < first + kRows; ++id) {
                    const QString text =
                        matching.contains(id) ? u"第%1次开会"_s.arg(id) : u"chat %1"_s.arg(id);
                    messages << id << room.id << m_alice.id << text << u"bulk-%1"_s.arg(id) << kT0 + id;
                    texts << id << text;
                }
                QVERIFY(admin.exec(insertMessages, messages));
                QVERIFY(admin.exec(insertTexts, texts));
            }
            // SQLite: these are indexed already (the writer indexes what comes after).
            if (!isPostgres())
                QVERIFY(admin.exec(u"UPDATE message_search_progress SET indexed_through = 4500"_s, {}));
            QVERIFY(admin.db().commit());
        }
        const QList<Id> expected = [&matching] {
            QList<Id> ids = matching;
            std::reverse(ids.begin(), ids.end());
            return ids;
        }();

        QList<Id> seen;
        std::optional<Id> before;
        int pages = 0;
        for (;;) {
            TAKE(const SearchPage page, m_store->searchMessages(m_bob.id, u"会"_s, {}, before, 2));
            ++pages;
            seen += idsOf(page.messages);
            if (!page.hasMore)
                break;
            QCOMPARE(page.messages.size(), 2);
            QCOMPARE(page.nextBeforeId, std::optional<Id>(page.messages.last().id));
            QVERIFY(pages < 10);
            before = page.nextBeforeId;
        }
        QCOMPARE(seen, expected);
        QCOMPARE(pages, 4);

        // A budget of 2,500 ids: windows of 1,000 and then the remaining 1,500.
        store->setShortQueryScanBudget(2'500);
        TAKE(const SearchPage first, m_store->searchMessages(m_bob.id, u"开会"_s, {}, {}, 10));
        QCOMPARE(idsOf(first.messages), QList<Id>({4499, 4321, 3000, 2999}));
        QVERIFY(first.hasMore);
        QCOMPARE(first.nextBeforeId, std::optional<Id>(2001));
        TAKE(const SearchPage rest, m_store->searchMessages(m_bob.id, u"开会"_s, {}, first.nextBeforeId, 10));
        QCOMPARE(idsOf(rest.messages), QList<Id>({1002, 1001, 17}));
        QVERIFY(!rest.hasMore);
        QCOMPARE(rest.nextBeforeId, std::optional<Id>());
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreSearch)
#include "tst_store_search.moc"
