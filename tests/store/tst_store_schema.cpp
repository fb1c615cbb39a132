// The storage layer against a real database, on every backend (store_fixture.h). Opening a database: URLs,
// the factory, migrations (old databases, newer ones, servers migrating at once), transactions and each
// backend's connection settings.

#include "store_fixture.h"

#include "store/database_url.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store_factory.h"
#include "store/transaction.h"

#include <QRegularExpression>

#include <array>
#include <atomic>
#include <thread>

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

class TestStoreSchema : public StoreFixture {
    Q_OBJECT

public:
    TestStoreSchema() { m_backendIndependent = QStringList{u"databaseUrl"_s}; }

private slots:
    void databaseUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("database");
        const int sqlite = int(DatabaseUrl::Kind::Sqlite);
        const int pg = int(DatabaseUrl::Kind::Postgresql);
        QTest::newRow("sqlite absolute")
            << u"sqlite:/var/lib/confab/confab.db"_s << true << sqlite << u"/var/lib/confab/confab.db"_s
            << QString() << 5432 << QString() << QString() << QString();
        QTest::newRow("sqlite relative")
            << u"sqlite:data/confab.db"_s << true << sqlite << u"data/confab.db"_s << QString() << 5432
            << QString() << QString() << QString();
        QTest::newRow("sqlite url form")
            << u"sqlite:///srv/chat/confab.db"_s << true << sqlite << u"/srv/chat/confab.db"_s << QString()
            << 5432 << QString() << QString() << QString();
        QTest::newRow("postgresql") << u"postgresql://confab:s%40cr%3At@db.example.org:6543/chat"_s << true
                                    << pg << QString() << u"db.example.org"_s << 6543 << u"confab"_s
                                    << u"s@cr:t"_s << u"chat"_s;
        QTest::newRow("postgres default port")
            << u"postgres://chat@localhost/confab"_s << true << pg << QString() << u"localhost"_s << 5432
            << u"chat"_s << QString() << u"confab"_s;
        for (const char* bad : {"", "confab.db", "mysql://u@h/db", "sqlite:", "sqlite://host/confab.db",
                                "postgresql://db.example.org", "postgresql:///chat"}) {
            QTest::newRow(bad) << QString::fromUtf8(bad) << false << 0 << QString() << QString() << 0
                               << QString() << QString() << QString();
        }
    }

    void databaseUrl()
    {
        QFETCH(QString, url);
        QFETCH(bool, valid);
        const Result<DatabaseUrl> parsed = DatabaseUrl::parse(url);
        QCOMPARE(parsed.ok(), valid);
        if (!valid) {
            QCOMPARE(parsed.error().code, ErrorCode::BadRequest);
            QVERIFY2(parsed.error().message.contains(url) && parsed.error().message.contains("sqlite:/"_L1),
                     qPrintable(parsed.error().message));
            return;
        }
        QFETCH(int, kind);
        QFETCH(QString, path);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, database);
        QCOMPARE(int(parsed->kind), kind);
        QCOMPARE(parsed->sqlitePath, path);
        QCOMPARE(parsed->host, host);
        QCOMPARE(parsed->port, port);
        QCOMPARE(parsed->user, user);
        QCOMPARE(parsed->password, password);
        QCOMPARE(parsed->databaseName, database);
    }

    void factory()
    {
        // The factory only picks the backend: nothing connects before open().
        TAKE(const auto store, createStore(DatabaseUrl::parse(newDatabaseUrl()).value()));
        QCOMPARE(dynamic_cast<SqliteStore*>(store.get()) != nullptr, isSqlite());
        QCOMPARE(dynamic_cast<PostgresStore*>(store.get()) != nullptr, isPostgres());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store used while not open"_s));
        EXPECT_ERROR(store->schemaVersion(), "internal", "the database is not open"); // not opened yet
        VERIFY_OK(store->open());
        TAKE(const int version, store->schemaVersion());
        QCOMPARE(version, sqlStore()->latestSchemaVersion());
        QVERIFY(version >= 2);
        // Two open stores have two connections; closing one leaves the other working.
        store->close();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store used while not open"_s));
        EXPECT_ERROR(store->userById(m_alice.id), "internal", "the database is not open");
        TAKE(const User alice, m_store->userById(m_alice.id));
        QCOMPARE(alice, m_alice);
    }

    void migrationsOldDatabaseEqualsFresh()
    {
        const auto schemaOf = [this](const QString& url) {
            AdminConnection admin(url);
            if (isSqlite())
                return admin.rows(
                    u"SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '') "
                    "FROM sqlite_master ORDER BY type, name"_s);
            return admin.rows(
                u"SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' "
                "|| COALESCE(collation_name, '-') || ' nullable=' || is_nullable || ' identity=' || "
                "is_identity "
                "|| ' default=' || COALESCE(column_default, '-') "
                "FROM information_schema.columns WHERE table_schema = 'public' "
                "UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || "
                "pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
                "UNION ALL SELECT 'extension ' || extname FROM pg_extension ORDER BY 1"_s);
        };
        const QStringList fresh = schemaOf(m_url);
        QVERIFY(fresh.size() > 10);
        QVERIFY(fresh.filter(u"message_search"_s).size() >= 2);

        // A database created at version 1, given data, then reopened and migrated.
        const QString oldUrl = newDatabaseUrl();
        TAKE(std::shared_ptr<Store> old, openStore(oldUrl, 1));
        m_store = old;
        TAKE(const int v1, old->schemaVersion());
        QCOMPARE(v1, 1);
        QVERIFY(schemaOf(oldUrl).filter(u"message_search"_s).isEmpty());
        TAKE(const User ann, addUser(u"ann"_s, u"Ann Lee"_s));
        TAKE(const User ben, addUser(u"ben"_s, u"Ben Zhou"_s));
        VERIFY_OK(old->insertToken("0123456789abcdef0123456789abcdef", ann.id, kT0, kT0 + 86'400'000));
        TAKE(const Room group, old->createGroup(u"Release"_s, ann.id, {ben.id}, tick()));
        const QString text = u"今天下午开会 @ben"_s;
        TAKE(const InsertedMessage first,
             send(group.id, ann.id, text, u"a-1"_s, {spanOf(text, u"ben"_s, ben.id)}));
        TAKE(const InsertedMessage reply,
             send(group.id, ben.id, u"OK, Room 3 at FOUR"_s, u"b-1"_s, {}, first.message.id));
        TAKE(const MessagePage before, old->fetchMessages(group.id, {}, {}, 50));
        TAKE(const Room roomBefore, old->roomForUser(group.id, ben.id));
        EXPECT_ERROR(old->searchMessages(ann.id, u"开会"_s, {}, {}, 10), "internal",
                     "message search needs schema version 2");
        old->close();

        TAKE(std::shared_ptr<Store> migrated, openStore(oldUrl));
        m_store = migrated;
        TAKE(const int latest, migrated->schemaVersion());
        QCOMPARE(latest, sqlStore()->latestSchemaVersion());
        QCOMPARE(schemaOf(oldUrl), fresh);
        AdminConnection admin(oldUrl);
        // One row per migration, in order; later versions (cluster tables) follow the search index.
        const QStringList versions =
            admin.rows(u"SELECT version || ' ' || description FROM schema_version ORDER BY version"_s);
        QCOMPARE(versions.size(), latest);
        // The groups migration: the group's owner owns it, the others are
        // members holding the role since they joined; topic, visibility and the
        // directory's folded name as a new group has them.
        QCOMPARE(admin.rows(u"SELECT user_id || ' ' || role || ' ' || (role_since = joined_at) FROM members "
                            "WHERE room_id = %1 ORDER BY user_id"_s.arg(group.id)),
                 QStringList({u"%1 owner %2"_s.arg(ann.id).arg(isSqlite() ? u"1"_s : u"true"_s),
                              u"%1 member %2"_s.arg(ben.id).arg(isSqlite() ? u"1"_s : u"true"_s)}));
        QCOMPARE(admin.rows(
                     u"SELECT topic || '|' || visibility || '|' || name_fold FROM rooms WHERE id = %1"_s.arg(
                         group.id)),
                 QStringList({u"|private|release"_s}));
        TAKE(const Room fresher, migrated->createGroup(u"Ops Ünïcode"_s, ben.id, {ann.id}, tick()));
        QCOMPARE(admin.rows(
                     u"SELECT user_id || ' ' || role FROM members WHERE room_id = %1 ORDER BY user_id"_s.arg(
                         fresher.id)),
                 QStringList({u"%1 member"_s.arg(ann.id), u"%1 owner"_s.arg(ben.id)}));
        QCOMPARE(admin.rows(u"SELECT name_fold FROM rooms WHERE id = %1"_s.arg(fresher.id)),
                 QStringList({u"ops ünïcode"_s}));
        QCOMPARE(versions.mid(0, 2),
                 QStringList({u"1 core tables"_s, isSqlite() ? u"2 message search index (FTS5 trigram)"_s
                                                             : u"2 message search index (pg_trgm GIN)"_s}));

        // Data preserved, and the old messages are searchable (backfilled).
        TAKE(const MessagePage after, migrated->fetchMessages(group.id, {}, {}, 50));
        // The lifecycle migration gave each message its id as its first
        // revision; a reply now carries its preview. The rest is as it was.
        MessagePage expected = before;
        for (Message& m : expected.messages) {
            m.revision = m.id;
            if (m.replyTo)
                m.replyPreview = ReplyPreview{first.message.id, ann.id, text, false};
        }
        QCOMPARE(after.messages, expected.messages);
        QCOMPARE(after.messages.at(1).replyTo, std::optional<Id>(first.message.id));
        QCOMPARE(after.messages.at(0).mentions, QList<Mention>({spanOf(text, u"ben"_s, ben.id)}));
        TAKE(const Room roomAfter, migrated->roomForUser(group.id, ben.id));
        Room expectedRoom = roomBefore;
        expectedRoom.lastMessage->revision = expectedRoom.lastMessage->id;
        expectedRoom.lastMessage->replyPreview = expected.messages.constLast().replyPreview;
        // The groups migration made the group's owner its owner, Ben a member.
        expectedRoom.members[0].role = MemberRole::Owner;
        expectedRoom.members[1].role = MemberRole::Member;
        QCOMPARE(roomAfter, expectedRoom);
        QCOMPARE(roomAfter.mentionCount, 1);
        TAKE(const User byToken, migrated->userForToken("0123456789abcdef0123456789abcdef", kT0 + 1));
        QCOMPARE(asSeenByOthers(byToken), ann);
        QCOMPARE(byToken.sendReceipts, std::optional<bool>(true)); // the migration's default
        TAKE(const SearchPage found, migrated->searchMessages(ben.id, u"开会"_s, {}, {}, 10));
        QCOMPARE(idsOf(found.messages), QList<Id>({first.message.id}));
        TAKE(const SearchPage foundLong, migrated->searchMessages(ben.id, u"room 3 at four"_s, {}, {}, 10));
        QCOMPARE(idsOf(foundLong.messages), QList<Id>({reply.message.id}));
        // New messages after the migration are indexed as they are stored.
        TAKE(const InsertedMessage later, send(group.id, ann.id, u"开会改到明天"_s, u"a-2"_s));
        TAKE(const SearchPage both, migrated->searchMessages(ann.id, u"开会"_s, {}, {}, 10));
        QCOMPARE(idsOf(both.messages), QList<Id>({later.message.id, first.message.id}));
        if (isSqlite()) {
            // Version 11 copied the index into one that merges 8 segments at a
            // time and keeps no per-message token counts (bench/README.md).
            QCOMPARE(admin.rows(u"SELECT v FROM message_search_config WHERE k = 'automerge'"_s),
                     QStringList({u"8"_s}));
            QCOMPARE(admin.rows(u"SELECT name FROM sqlite_master WHERE name LIKE 'message_search%' "
                                "AND type = 'table' ORDER BY name"_s),
                     QStringList({u"message_search"_s, u"message_search_config"_s,
                                  u"message_search_content"_s, u"message_search_data"_s,
                                  u"message_search_idx"_s, u"message_search_progress"_s}));
        }
    }

    void migrationsRefuseNewerDatabase()
    {
        const int latest = sqlStore()->latestSchemaVersion();
        const QString refusal = u"database schema version %1 is newer than this server supports (%2)"_s.arg(
            QString::number(latest + 1), QString::number(latest));
        m_store->close();
        {
            AdminConnection admin(m_url);
            QVERIFY(admin.exec(
                u"INSERT INTO schema_version (version, description) VALUES (?, 'from the future')"_s,
                {latest + 1}));
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .* is newer than"_s));
        const Result<std::shared_ptr<Store>> reopened = openStore(m_url);
        QVERIFY(!reopened.ok());
        QCOMPARE(reopened.error().message, refusal);
        // Refused means not open, and nothing was changed.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .* is newer than"_s));
        const Result<void> again = m_store->open();
        QVERIFY(!again.ok());
        QCOMPARE(again.error().message, refusal);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store used while not open"_s));
        EXPECT_ERROR(m_store->userById(m_alice.id), "internal", "the database is not open");
        AdminConnection admin(m_url);
        QCOMPARE(admin.scalar(u"SELECT MAX(version) FROM schema_version"_s).toInt(), latest + 1);
    }

    // Two servers started together on one empty database both come up at the
    // newest schema: PostgresStore migrates under an advisory lock, so the
    // second waits and then finds nothing left to do. (Without the lock the
    // second fails on the tables the first is creating.)
    void migrationsConcurrentOpen()
    {
        if (!isPostgres())
            QSKIP("a SQLite file belongs to one server; PostgreSQL is shared by design");
        const int latest = sqlStore()->latestSchemaVersion();
        for (int round = 0; round < 3; ++round) {
            const QString url = newDatabaseUrl();
            QVERIFY(!url.isEmpty());
            std::array<QString, 2> outcome;
            std::atomic<int> created{0};
            // Each store connects from its own thread (a connection belongs to
            // the thread that opened it); both call open() at the same moment.
            const auto openOnce = [&](int i) {
                auto store = createStore(DatabaseUrl::parse(url).value()).value();
                ++created;
                while (created.load() < 2)
                    std::this_thread::yield();
                const Result<void> opened = store->open();
                const Result<int> version = store->schemaVersion();
                outcome.at(i) = !opened    ? opened.error().message
                                : !version ? version.error().message
                                           : u"opened at version %1"_s.arg(version.value());
                store->close();
            };
            std::thread first(openOnce, 0), second(openOnce, 1);
            first.join();
            second.join();
            const QString expected = u"opened at version %1"_s.arg(latest);
            QCOMPARE(outcome.at(0), expected);
            QCOMPARE(outcome.at(1), expected);
            AdminConnection admin(url);
            QStringList versions;
            for (int v = 1; v <= latest; ++v)
                versions.append(QString::number(v));
            QCOMPARE(admin.rows(u"SELECT version FROM schema_version ORDER BY version"_s), versions);
        }
    }

    void transactionRollsBackUnlessCommitted()
    {
        AdminConnection admin(m_url);
        const QString begin = isSqlite() ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s;
        {
            TAKE(Transaction tx, Transaction::begin(admin.db(), begin));
            QVERIFY(tx.isActive());
            QVERIFY(
                admin.exec(u"UPDATE users SET display_name = 'Rolled Back' WHERE id = ?"_s, {m_alice.id}));
        } // destroyed without commit()
        TAKE(const User stillAlice, m_store->userById(m_alice.id));
        QCOMPARE(stillAlice.displayName, u"Alice Liddell"_s);
        {
            TAKE(Transaction tx, Transaction::begin(admin.db(), begin));
            QVERIFY(admin.exec(u"UPDATE users SET display_name = 'Committed' WHERE id = ?"_s, {m_alice.id}));
            Transaction moved = std::move(tx); // ownership moves; only one rollback/commit
            QVERIFY(!tx.isActive());
            VERIFY_OK(moved.commit());
            QVERIFY(!moved.isActive());
            EXPECT_ERROR(moved.commit(), "internal", "commit of a transaction that is not active");
        }
        TAKE(const User renamed, m_store->userById(m_alice.id));
        QCOMPARE(renamed.displayName, u"Committed"_s);
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_store_schema.moc"
