// The storage layer against a real database: every Store operation, the
// migrations, the SQLite settings and message search. Every test runs once per
// backend row of initTestCase_data() ("sqlite" now); a backend added later adds
// a row and its cases in newDatabaseUrl()/AdminConnection, nothing else.

#include "protocol/error_code.h"
#include "protocol/types.h"
#include "store/database_url.h"
#include "store/sql_store.h"
#include "store/sqlite_store.h"
#include "store/store_factory.h"
#include "store/transaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace confab;
using namespace confab::server;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kT0 = 1764107700000; // 2025-11-25T21:55:00Z

template <typename T>
QString describe(const Result<T>& result)
{
    return result.ok() ? u"ok"_s : errorCodeName(result.error().code) + u": "_s + result.error().message;
}

#define CONFAB_CAT2(a, b) a##b
#define CONFAB_CAT(a, b) CONFAB_CAT2(a, b)
// TAKE(const User alice, store->createUser(...)); fails the test on an error.
#define TAKE(declaration, expression)                                                                        \
    auto CONFAB_CAT(taken_, __LINE__) = (expression);                                                        \
    QVERIFY2(CONFAB_CAT(taken_, __LINE__).ok(), qPrintable(describe(CONFAB_CAT(taken_, __LINE__))));         \
    declaration = std::move(CONFAB_CAT(taken_, __LINE__)).value()
#define VERIFY_OK(expression)                                                                                \
    do {                                                                                                     \
        const auto result_ = (expression);                                                                   \
        QVERIFY2(result_.ok(), qPrintable(describe(result_)));                                               \
    } while (false)
// The exact error a call must fail with.
#define EXPECT_ERROR(expression, codeName, text)                                                             \
    do {                                                                                                     \
        const auto result_ = (expression);                                                                   \
        QVERIFY2(!result_.ok(), "expected an error, got a value");                                           \
        QCOMPARE(errorCodeName(result_.error().code), QStringLiteral(codeName));                             \
        QCOMPARE(result_.error().message, QStringLiteral(text));                                             \
    } while (false)

QList<Id> idsOf(const QList<Message>& messages)
{
    QList<Id> ids;
    for (const Message& m : messages)
        ids.append(m.id);
    return ids;
}

QList<Id> idsOf(const QList<User>& users)
{
    QList<Id> ids;
    for (const User& u : users)
        ids.append(u.id);
    return ids;
}

QList<Id> idsOf(const QList<Room>& rooms)
{
    QList<Id> ids;
    for (const Room& r : rooms)
        ids.append(r.id);
    return ids;
}

// A span covering `@username` at its first occurrence in content.
Mention spanOf(const QString& content, const QString& username, Id userId)
{
    const int start = int(content.indexOf(u'@' + username));
    return Mention{userId, start, start + int(username.size()) + 1};
}

// A direct connection to the database under test, for what the Store API
// cannot do (read pragmas, mark a message deleted, fake a future schema).
class AdminConnection {
public:
    AdminConnection(const QString& backend, const QString& url)
    {
        static int counter = 0;
        m_name = u"tst-admin-%1"_s.arg(++counter);
        if (backend == "sqlite"_L1) {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
            db.setDatabaseName(DatabaseUrl::parse(url)->sqlitePath);
            db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
            db.open();
        }
    }
    ~AdminConnection()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString& statement, const QVariantList& values = {}) const
    {
        QSqlQuery query(db());
        query.prepare(statement);
        for (const QVariant& value : values)
            query.addBindValue(value);
        if (!query.exec()) {
            qWarning() << "admin statement failed:" << query.lastError().text() << statement;
            return false;
        }
        return true;
    }
    QVariant scalar(const QString& statement) const
    {
        QSqlQuery query(db());
        if (!query.exec(statement) || !query.next())
            return {};
        return query.value(0);
    }
    QStringList rows(const QString& statement) const
    {
        QStringList result;
        QSqlQuery query(db());
        if (!query.exec(statement))
            return {u"error: "_s + query.lastError().text()};
        while (query.next())
            result.append(query.value(0).toString());
        return result;
    }

private:
    QString m_name;
};

} // namespace

// Readable QCOMPARE failures: values print as their wire JSON.
namespace confab {
template <typename T>
char* jsonToString(const T& value)
{
    return qstrdup(QJsonDocument(value.toJson()).toJson(QJsonDocument::Compact).constData());
}
char* toString(const User& value)
{
    return jsonToString(value);
}
char* toString(const Mention& value)
{
    return jsonToString(value);
}
char* toString(const Message& value)
{
    return jsonToString(value);
}
char* toString(const Room& value)
{
    return jsonToString(value);
}
char* toString(const Error& error)
{
    return QTest::toString(errorCodeName(error.code) + u": "_s + error.message);
}
} // namespace confab

class TestStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_databases = 0;
    QString m_backend;
    QString m_url;
    std::shared_ptr<Store> m_store;
    qint64 m_clock = kT0;
    User m_alice, m_bob, m_carol, m_ming; // created by init()

    qint64 tick() { return m_clock += 1000; }

    // A URL naming a new, empty database of the backend under test.
    QString newDatabaseUrl()
    {
        if (m_backend == "sqlite"_L1) // a subdirectory that does not exist yet: open() creates it
            return u"sqlite:"_s + m_dir.filePath(u"db%1/confab.db"_s.arg(++m_databases));
        return {};
    }

    Result<std::shared_ptr<Store>> openStore(const QString& url, int version = -1)
    {
        Result<DatabaseUrl> parsed = DatabaseUrl::parse(url);
        if (!parsed)
            return parsed.error();
        Result<std::shared_ptr<Store>> store = createStore(parsed.value());
        if (!store)
            return store;
        auto* sqlStore = dynamic_cast<SqlStore*>(store->get());
        Result<void> opened =
            version < 0 || !sqlStore ? store.value()->open() : sqlStore->openAtVersion(version);
        if (!opened)
            return opened.error();
        return store;
    }

    Result<User> addUser(const QString& username, const QString& displayName)
    {
        return m_store->createUser(username, displayName,
                                   "$argon2id$v=19$m=19456,t=2,p=1$" + username.toUtf8(), tick());
    }

    Result<InsertedMessage> send(Id roomId, Id senderId, const QString& content, const QString& tempId,
                                 const QList<Mention>& mentions = {}, std::optional<Id> replyTo = {})
    {
        NewMessage message;
        message.roomId = roomId;
        message.senderId = senderId;
        message.content = content;
        message.tempId = tempId;
        message.mentions = mentions;
        message.replyTo = replyTo;
        message.createdAt = tick();
        return m_store->insertMessage(message);
    }

    // Sends `contents` to the room in order, alternating senders, and returns the ids.
    QList<Id> sendAll(Id roomId, const QList<Id>& senders, const QStringList& contents)
    {
        QList<Id> ids;
        for (int i = 0; i < contents.size(); ++i) {
            static int tempIds = 0;
            Result<InsertedMessage> sent =
                send(roomId, senders.at(i % senders.size()), contents.at(i), u"bulk-%1"_s.arg(++tempIds));
            if (!sent) {
                qWarning() << "send failed:" << describe(sent);
                return {};
            }
            ids.append(sent->message.id);
        }
        return ids;
    }

    SqliteStore* sqliteStore() const { return dynamic_cast<SqliteStore*>(m_store.get()); }

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QVERIFY2(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s), "the QSQLITE driver is missing");
        QTest::newRow("sqlite") << u"sqlite"_s;
        // A PostgreSQL row will come with PostgresStore; it must QSKIP loudly
        // when no test server is configured, never pass silently.
    }

    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void init()
    {
        QFETCH_GLOBAL(QString, backend);
        m_backend = backend;
        m_clock = kT0;
        m_url = newDatabaseUrl();
        QVERIFY2(!m_url.isEmpty(), qPrintable(u"no test database for backend "_s + backend));
        TAKE(m_store, openStore(m_url));
        TAKE(m_alice, addUser(u"alice"_s, u"Alice Liddell"_s));
        TAKE(m_bob, addUser(u"bob"_s, u"Bob Wang"_s));
        TAKE(m_carol, addUser(u"carol"_s, u"Carol Chen"_s));
        TAKE(m_ming, addUser(u"小明"_s, u"王小明"_s));
    }

    void cleanup()
    {
        if (m_store)
            m_store->close();
        m_store.reset();
    }

    // --- URLs and the factory

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
        EXPECT_ERROR(
            createStore(DatabaseUrl::parse(u"postgresql://u:p@localhost/confab"_s).value()), "internal",
            "PostgreSQL support is not available yet in this build; use --db sqlite:/path/to/confab.db");
        TAKE(const auto store,
             createStore(DatabaseUrl::parse(u"sqlite:"_s + m_dir.filePath(u"f/x.db"_s)).value()));
        QVERIFY(dynamic_cast<SqliteStore*>(store.get()));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store used while not open"_s));
        EXPECT_ERROR(store->schemaVersion(), "internal", "the database is not open"); // not opened yet
        VERIFY_OK(store->open());
        TAKE(const int version, store->schemaVersion());
        QCOMPARE(version, 2);
        // Two open stores have two connections; closing one leaves the other working.
        store->close();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store used while not open"_s));
        EXPECT_ERROR(store->userById(m_alice.id), "internal", "the database is not open");
        TAKE(const User alice, m_store->userById(m_alice.id));
        QCOMPARE(alice, m_alice);
    }

    // --- SQLite specifics

    void sqlitePragmas()
    {
        if (m_backend != "sqlite"_L1)
            QSKIP("SQLite only");
        // The store's own connection: synchronous and foreign_keys are per connection.
        QStringList names;
        for (const QString& name : QSqlDatabase::connectionNames()) {
            if (name.startsWith("confab-sqlite-"_L1))
                names.append(name);
        }
        QCOMPARE(names.size(), 1);
        QSqlDatabase db = QSqlDatabase::database(names.first(), false);
        QVERIFY(db.isOpen());
        const auto pragma = [&db](const char* name) {
            QSqlQuery query(db);
            return query.exec(u"PRAGMA "_s + QLatin1String(name)) && query.next() ? query.value(0).toString()
                                                                                  : u"error"_s;
        };
        QCOMPARE(pragma("journal_mode"), u"wal"_s);
        QCOMPARE(pragma("synchronous"), u"2"_s); // FULL
        QCOMPARE(pragma("foreign_keys"), u"1"_s);
        QCOMPARE(pragma("busy_timeout"), u"5000"_s);
    }

    void openRefusesNonDatabaseFile()
    {
        if (m_backend != "sqlite"_L1)
            QSKIP("writes a file");
        const QString path = m_dir.filePath(u"garbage/not-a-database.db"_s);
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("this is a text file, not SQLite\n").repeated(200));
        file.close();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"file is not a database"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .*not-a-database.db"_s));
        const Result<std::shared_ptr<Store>> store = openStore(u"sqlite:"_s + path);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, ErrorCode::Internal);
        QCOMPARE(QFileInfo(path).size(), qint64(200 * 32)); // left as it was
    }

    void migrationsOldDatabaseEqualsFresh()
    {
        if (m_backend != "sqlite"_L1)
            QSKIP("the schema dump reads sqlite_master");
        const auto schemaOf = [this](const QString& url) {
            AdminConnection admin(m_backend, url);
            return admin.rows(
                u"SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '') "
                "FROM sqlite_master ORDER BY type, name"_s);
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
        TAKE(const int v2, migrated->schemaVersion());
        QCOMPARE(v2, 2);
        QCOMPARE(schemaOf(oldUrl), fresh);
        AdminConnection admin(m_backend, oldUrl);
        QCOMPARE(admin.rows(u"SELECT version || ' ' || description FROM schema_version ORDER BY version"_s),
                 QStringList({u"1 core tables"_s, u"2 message search index (FTS5 trigram)"_s}));

        // Data preserved, and the old messages are searchable (backfilled).
        TAKE(const MessagePage after, migrated->fetchMessages(group.id, {}, {}, 50));
        QCOMPARE(after.messages, before.messages);
        QCOMPARE(after.messages.at(1).replyTo, std::optional<Id>(first.message.id));
        QCOMPARE(after.messages.at(0).mentions, QList<Mention>({spanOf(text, u"ben"_s, ben.id)}));
        TAKE(const Room roomAfter, migrated->roomForUser(group.id, ben.id));
        QCOMPARE(roomAfter, roomBefore);
        QCOMPARE(roomAfter.mentionCount, 1);
        TAKE(const User byToken, migrated->userForToken("0123456789abcdef0123456789abcdef", kT0 + 1));
        QCOMPARE(byToken, ann);
        TAKE(const SearchPage found, migrated->searchMessages(ben.id, u"开会"_s, {}, {}, 10));
        QCOMPARE(idsOf(found.messages), QList<Id>({first.message.id}));
        TAKE(const SearchPage foundLong, migrated->searchMessages(ben.id, u"room 3 at four"_s, {}, {}, 10));
        QCOMPARE(idsOf(foundLong.messages), QList<Id>({reply.message.id}));
        // New messages after the migration are indexed as they are stored.
        TAKE(const InsertedMessage later, send(group.id, ann.id, u"开会改到明天"_s, u"a-2"_s));
        TAKE(const SearchPage both, migrated->searchMessages(ann.id, u"开会"_s, {}, {}, 10));
        QCOMPARE(idsOf(both.messages), QList<Id>({later.message.id, first.message.id}));
    }

    void migrationsRefuseNewerDatabase()
    {
        m_store->close();
        {
            AdminConnection admin(m_backend, m_url);
            QVERIFY(admin.exec(
                u"INSERT INTO schema_version (version, description) VALUES (3, 'from the future')"_s));
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .* is newer than"_s));
        EXPECT_ERROR(openStore(m_url), "internal",
                     "database schema version 3 is newer than this server supports (2)");
        // Refused means not open, and nothing was changed.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .* is newer than"_s));
        EXPECT_ERROR(m_store->open(), "internal",
                     "database schema version 3 is newer than this server supports (2)");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store used while not open"_s));
        EXPECT_ERROR(m_store->userById(m_alice.id), "internal", "the database is not open");
        AdminConnection admin(m_backend, m_url);
        QCOMPARE(admin.scalar(u"SELECT MAX(version) FROM schema_version"_s).toInt(), 3);
    }

    void transactionRollsBackUnlessCommitted()
    {
        AdminConnection admin(m_backend, m_url);
        const QString begin = m_backend == "sqlite"_L1 ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s;
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

    // --- users and tokens

    void users()
    {
        QVERIFY(m_alice.id > 0 && m_bob.id > m_alice.id);
        QCOMPARE(m_alice.username, u"alice"_s);
        QCOMPARE(m_alice.displayName, u"Alice Liddell"_s);
        QCOMPARE(m_alice.lastSeenAt, kT0 + 1000); // createUser sets last seen = now
        QCOMPARE(m_alice.online, false);
        TAKE(const User byId, m_store->userById(m_bob.id));
        QCOMPARE(byId, m_bob);
        EXPECT_ERROR(m_store->userById(9999), "not_found", "no such user");

        // Unique case-insensitively, also beyond ASCII.
        EXPECT_ERROR(addUser(u"ALICE"_s, u"Another Alice"_s), "conflict", "username is already taken");
        TAKE(const User emile, addUser(u"Émile"_s, u"Émile Zola"_s));
        EXPECT_ERROR(addUser(u"éMILE"_s, u"Copy"_s), "conflict", "username is already taken");
        EXPECT_ERROR(addUser(u"小明"_s, u"Copy"_s), "conflict", "username is already taken");

        TAKE(const Credentials credentials, m_store->credentialsByUsername(u"ÉMILE"_s));
        QCOMPARE(credentials.user, emile);
        QCOMPARE(credentials.user.username, u"Émile"_s); // stored as registered
        QCOMPARE(credentials.passwordHash, "$argon2id$v=19$m=19456,t=2,p=1$" + u"Émile"_s.toUtf8());
        QCOMPARE(credentials.disabled, false);
        EXPECT_ERROR(m_store->credentialsByUsername(u"nobody"_s), "not_found", "no such user");

        VERIFY_OK(m_store->setLastSeen(m_bob.id, kT0 + 777'000));
        TAKE(const User seen, m_store->userById(m_bob.id));
        QCOMPARE(seen.lastSeenAt, kT0 + 777'000);
        EXPECT_ERROR(m_store->setLastSeen(9999, kT0), "not_found", "no such user");

        AdminConnection admin(m_backend, m_url);
        QVERIFY(admin.exec(u"UPDATE users SET disabled = 1 WHERE id = ?"_s, {emile.id}));
        TAKE(const Credentials disabled, m_store->credentialsByUsername(u"émile"_s));
        QCOMPARE(disabled.disabled, true);
    }

    void tokens()
    {
        const QByteArray aliceToken = QByteArray(32, '\xa1');
        const QByteArray aliceOther = QByteArray(32, '\x00') + "x"; // binary, with NUL bytes
        const QByteArray bobToken = QByteArray(32, '\xb0');
        VERIFY_OK(m_store->insertToken(aliceToken, m_alice.id, kT0, kT0 + 60'000));
        VERIFY_OK(m_store->insertToken(aliceOther, m_alice.id, kT0, kT0 + 60'000));
        VERIFY_OK(m_store->insertToken(bobToken, m_bob.id, kT0, kT0 + 120'000));
        EXPECT_ERROR(m_store->insertToken(QByteArray(32, 'z'), 9999, kT0, kT0 + 1), "not_found",
                     "no such user");

        TAKE(const User alice, m_store->userForToken(aliceToken, kT0 + 59'999));
        QCOMPARE(alice, m_alice);
        TAKE(const User aliceAgain, m_store->userForToken(aliceOther, kT0 + 1));
        QCOMPARE(aliceAgain, m_alice);
        EXPECT_ERROR(m_store->userForToken(aliceToken, kT0 + 60'000), "invalid_credentials",
                     "invalid or expired token");
        EXPECT_ERROR(m_store->userForToken(QByteArray(32, '\xa2'), kT0), "invalid_credentials",
                     "invalid or expired token");

        VERIFY_OK(m_store->revokeToken(aliceToken));
        EXPECT_ERROR(m_store->userForToken(aliceToken, kT0 + 1), "invalid_credentials",
                     "invalid or expired token");
        VERIFY_OK(m_store->revokeToken(QByteArray(32, '\xee'))); // unknown: nothing to do
        TAKE(const User stillValid,
             m_store->userForToken(aliceOther, kT0 + 2)); // only that token was revoked
        QCOMPARE(stillValid.id, m_alice.id);
        TAKE(const User bob, m_store->userForToken(bobToken, kT0 + 119'999));
        QCOMPARE(bob, m_bob);

        AdminConnection admin(m_backend, m_url);
        QVERIFY(admin.exec(u"UPDATE users SET disabled = 1 WHERE id = ?"_s, {m_bob.id}));
        EXPECT_ERROR(m_store->userForToken(bobToken, kT0 + 1), "invalid_credentials",
                     "invalid or expired token");
    }

    void searchUsers()
    {
        TAKE(const User alfa, addUser(u"alfa"_s, u"Alfa Romeo"_s));
        TAKE(const User alEx, addUser(u"al_ex"_s, u"Alex Under"_s));
        TAKE(const User zola, addUser(u"zola"_s, u"Émile Zola"_s));
        TAKE(const User percent, addUser(u"pct"_s, u"100% Real"_s));
        TAKE(const User thousand, addUser(u"club"_s, u"1000 Club"_s));
        const auto search = [this](const QString& query, std::optional<Id> room = {}, int limit = 20) {
            Result<QList<User>> users = m_store->searchUsers(query, room, limit);
            return users ? idsOf(users.value()) : QList<Id>({-1});
        };
        // Prefix, case-insensitive, ordered by username ("al_ex" < "alfa" < "alice").
        QCOMPARE(search(u"AL"_s), QList<Id>({alEx.id, alfa.id, m_alice.id}));
        QCOMPARE(search(u"  al  "_s), QList<Id>({alEx.id, alfa.id, m_alice.id})); // trimmed
        // Display names too; a prefix, not a substring.
        QCOMPARE(search(u"bob w"_s), QList<Id>({m_bob.id}));
        QCOMPARE(search(u"wang"_s), QList<Id>());
        // Unicode folding; no accent stripping.
        QCOMPARE(search(u"émi"_s), QList<Id>({zola.id}));
        QCOMPARE(search(u"ÉMI"_s), QList<Id>({zola.id}));
        QCOMPARE(search(u"emi"_s), QList<Id>());
        QCOMPARE(search(u"王"_s), QList<Id>({m_ming.id}));
        QCOMPARE(search(u"小"_s), QList<Id>({m_ming.id}));
        // LIKE wildcards are literal.
        QCOMPARE(search(u"al_"_s), QList<Id>({alEx.id}));
        QCOMPARE(search(u"100%"_s), QList<Id>({percent.id}));
        QCOMPARE(search(u"10"_s), QList<Id>({thousand.id, percent.id}));
        QCOMPARE(search(u"%"_s), QList<Id>());
        QCOMPARE(search(u"_"_s), QList<Id>());
        QCOMPARE(search(u"\\"_s), QList<Id>());
        // Empty query lists users by username; limit applies.
        QCOMPARE(search(QString(), {}, 3), QList<Id>({alEx.id, alfa.id, m_alice.id}));
        TAKE(const QList<User> all, m_store->searchUsers(QString(), {}, 100));
        QCOMPARE(all.size(), 9);
        QCOMPARE(all.last(), m_ming); // "小明" sorts after the Latin names
        QCOMPARE(all.first().online, false);

        // roomId: members only.
        TAKE(const Room team, m_store->createGroup(u"Team"_s, m_bob.id, {m_alice.id, alfa.id}, tick()));
        QCOMPARE(search(u"al"_s, team.id), QList<Id>({alfa.id, m_alice.id}));
        QCOMPARE(search(QString(), team.id), QList<Id>({alfa.id, m_alice.id, m_bob.id}));
        QCOMPARE(search(u"carol"_s, team.id), QList<Id>());
    }

    // --- rooms

    void createGroup()
    {
        const qint64 now = tick();
        TAKE(const Room room,
             m_store->createGroup(u"Launch 发布"_s, m_alice.id, {m_bob.id, m_carol.id, m_bob.id}, now));
        QVERIFY(room.id > 0);
        QCOMPARE(room.type, RoomType::Group);
        QCOMPARE(room.name, u"Launch 发布"_s);
        QCOMPARE(room.ownerId, m_alice.id);
        QCOMPARE(room.createdAt, now);
        QCOMPARE(idsOf(room.members),
                 QList<Id>({m_alice.id, m_bob.id, m_carol.id})); // owner included, no repeats
        QCOMPARE(room.members.at(1), m_bob);
        QCOMPARE(room.unreadCount, 0);
        QCOMPARE(room.mentionCount, 0);
        QVERIFY(!room.lastMessage);
        TAKE(const Room asCarol, m_store->roomForUser(room.id, m_carol.id));
        QCOMPARE(asCarol, room);

        // The owner alone; the owner listed among the members too.
        TAKE(const Room solo, m_store->createGroup(u"Notes"_s, m_bob.id, {m_bob.id}, tick()));
        QCOMPARE(idsOf(solo.members), QList<Id>({m_bob.id}));

        // An unknown member: nothing is stored.
        TAKE(const QList<RoomMembership> before, m_store->memberships());
        EXPECT_ERROR(m_store->createGroup(u"Ghosts"_s, m_alice.id, {m_bob.id, 9999}, tick()), "not_found",
                     "no such user");
        TAKE(const QList<RoomMembership> after, m_store->memberships());
        QCOMPARE(after.size(), before.size());
        TAKE(const QList<Room> aliceRooms, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(aliceRooms), QList<Id>({room.id}));
    }

    void openDm()
    {
        TAKE(const DmRoom first, m_store->openDm(m_alice.id, m_bob.id, tick()));
        QVERIFY(first.created);
        QCOMPARE(first.room.type, RoomType::Dm);
        QCOMPARE(first.room.name, u"Bob Wang"_s); // the other member, as alice sees it
        QCOMPARE(first.room.ownerId, Id(0));
        QCOMPARE(idsOf(first.room.members), QList<Id>({m_alice.id, m_bob.id}));

        TAKE(const DmRoom reverse, m_store->openDm(m_bob.id, m_alice.id, tick()));
        QVERIFY(!reverse.created);
        QCOMPARE(reverse.room.id, first.room.id);
        QCOMPARE(reverse.room.name, u"Alice Liddell"_s);
        TAKE(const DmRoom again, m_store->openDm(m_alice.id, m_bob.id, tick()));
        QVERIFY(!again.created);
        QCOMPARE(again.room, first.room);
        TAKE(const Room asBob, m_store->roomForUser(first.room.id, m_bob.id));
        QCOMPARE(asBob.name, u"Alice Liddell"_s);

        TAKE(const DmRoom other, m_store->openDm(m_carol.id, m_alice.id, tick()));
        QVERIFY(other.created);
        QVERIFY(other.room.id != first.room.id);

        // Note to self: one member, named after the user.
        TAKE(const DmRoom self, m_store->openDm(m_ming.id, m_ming.id, tick()));
        QVERIFY(self.created);
        QCOMPARE(self.room.name, u"王小明"_s);
        QCOMPARE(idsOf(self.room.members), QList<Id>({m_ming.id}));
        TAKE(const DmRoom selfAgain, m_store->openDm(m_ming.id, m_ming.id, tick()));
        QVERIFY(!selfAgain.created);
        QCOMPARE(selfAgain.room.id, self.room.id);

        EXPECT_ERROR(m_store->openDm(m_alice.id, 9999, tick()), "not_found", "no such user");
        TAKE(const QList<RoomMembership> memberships, m_store->memberships());
        QCOMPARE(memberships.size(), 3);
        QCOMPARE(memberships.at(0).roomId, first.room.id);
        QCOMPARE(memberships.at(0).type, RoomType::Dm);
        QCOMPARE(memberships.at(0).memberIds, QList<Id>({m_alice.id, m_bob.id}));
        QCOMPARE(memberships.at(2).memberIds, QList<Id>({m_ming.id}));
    }

    void leaveRoom()
    {
        TAKE(const Room group,
             m_store->createGroup(u"Book club"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const DmRoom dm, m_store->openDm(m_alice.id, m_bob.id, tick()));
        TAKE(const InsertedMessage hello, send(group.id, m_bob.id, u"hello"_s, u"b-1"_s));

        VERIFY_OK(m_store->leaveRoom(group.id, m_carol.id));
        EXPECT_ERROR(m_store->roomForUser(group.id, m_carol.id), "forbidden", "no such room or not a member");
        TAKE(const QList<Room> carolRooms, m_store->roomsForUser(m_carol.id));
        QVERIFY(carolRooms.isEmpty());
        TAKE(const Room asAlice, m_store->roomForUser(group.id, m_alice.id));
        QCOMPARE(idsOf(asAlice.members), QList<Id>({m_alice.id, m_bob.id}));
        TAKE(const QList<RoomMembership> memberships, m_store->memberships());
        QCOMPARE(memberships.at(0).memberIds, QList<Id>({m_alice.id, m_bob.id}));
        EXPECT_ERROR(send(group.id, m_carol.id, u"still here?"_s, u"c-1"_s), "forbidden",
                     "no such room or not a member");
        EXPECT_ERROR(m_store->markRead(group.id, m_carol.id, hello.message.id), "forbidden",
                     "no such room or not a member");

        EXPECT_ERROR(m_store->leaveRoom(group.id, m_carol.id), "forbidden", "no such room or not a member");
        EXPECT_ERROR(m_store->leaveRoom(9999, m_carol.id), "forbidden", "no such room or not a member");
        EXPECT_ERROR(m_store->leaveRoom(dm.room.id, m_alice.id), "forbidden",
                     "cannot leave a direct message");
        // Someone else's DM looks like any room one is not in.
        EXPECT_ERROR(m_store->leaveRoom(dm.room.id, m_carol.id), "forbidden", "no such room or not a member");
        TAKE(const Room dmStill, m_store->roomForUser(dm.room.id, m_alice.id));
        QCOMPARE(dmStill.members.size(), 2);

        // The owner may leave too; the room stays with its other members.
        VERIFY_OK(m_store->leaveRoom(group.id, m_alice.id));
        TAKE(const Room asBob, m_store->roomForUser(group.id, m_bob.id));
        QCOMPARE(idsOf(asBob.members), QList<Id>({m_bob.id}));
    }

    void roomForbiddenIsIndistinguishable()
    {
        TAKE(const Room bobs, m_store->createGroup(u"Private"_s, m_bob.id, {m_carol.id}, tick()));
        const Result<Room> notMember = m_store->roomForUser(bobs.id, m_alice.id);
        const Result<Room> nonexistent = m_store->roomForUser(bobs.id + 1000, m_alice.id);
        QVERIFY(!notMember.ok() && !nonexistent.ok());
        QCOMPARE(notMember.error(), nonexistent.error()); // code, message and all
        QCOMPARE(notMember.error().code, ErrorCode::Forbidden);
        QCOMPARE(notMember.error().message, u"no such room or not a member"_s);
        const Result<InsertedMessage> sendNotMember = send(bobs.id, m_alice.id, u"hi"_s, u"a-1"_s);
        const Result<InsertedMessage> sendNonexistent = send(bobs.id + 1000, m_alice.id, u"hi"_s, u"a-2"_s);
        QCOMPARE(sendNotMember.error(), sendNonexistent.error());
        QCOMPARE(m_store->markRead(bobs.id, m_alice.id, 1).error(), notMember.error());
    }

    void roomsOrderedByActivity()
    {
        TAKE(const Room r1, m_store->createGroup(u"One"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const Room r2, m_store->createGroup(u"Two"_s, m_bob.id, {m_alice.id}, tick()));
        TAKE(const DmRoom r3, m_store->openDm(m_alice.id, m_carol.id, tick()));
        TAKE(const QList<Room> fresh, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(fresh), QList<Id>({r3.room.id, r2.id, r1.id})); // newest room first

        TAKE(const InsertedMessage inOne, send(r1.id, m_bob.id, u"ping"_s, u"b-1"_s));
        TAKE(const QList<Room> afterOne, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(afterOne), QList<Id>({r1.id, r3.room.id, r2.id}));
        QCOMPARE(afterOne.at(0).lastMessage, std::optional<Message>(inOne.message));
        QCOMPARE(afterOne.at(0).unreadCount, 1);
        QCOMPARE(afterOne.at(2).lastMessage, std::optional<Message>());

        TAKE(const InsertedMessage inTwo, send(r2.id, m_alice.id, u"pong"_s, u"a-1"_s));
        TAKE(const QList<Room> afterTwo, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(afterTwo), QList<Id>({r2.id, r1.id, r3.room.id}));
        QCOMPARE(afterTwo.at(0).lastMessage->id, inTwo.message.id);
        QCOMPARE(afterTwo.at(0).unreadCount, 0); // her own message
        QCOMPARE(afterTwo.at(2).name, u"Carol Chen"_s);
        TAKE(const QList<Room> bobRooms, m_store->roomsForUser(m_bob.id));
        QCOMPARE(idsOf(bobRooms), QList<Id>({r2.id, r1.id}));
    }

    // --- messages

    void insertMessageAndDedupe()
    {
        TAKE(const Room general, m_store->createGroup(u"General"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const Room random, m_store->createGroup(u"Random"_s, m_alice.id, {m_bob.id}, tick()));
        const qint64 sentAt = m_clock + 1000;
        TAKE(const InsertedMessage first, send(general.id, m_alice.id, u"Hello, team 👋"_s, u"c-8f2d1"_s));
        QVERIFY(!first.duplicate);
        QVERIFY(first.mentionedUserIds.isEmpty());
        QVERIFY(first.message.id > 0);
        QCOMPARE(first.message.roomId, general.id);
        QCOMPARE(first.message.senderId, m_alice.id);
        QCOMPARE(first.message.content, u"Hello, team 👋"_s);
        QCOMPARE(first.message.tempId, u"c-8f2d1"_s);
        QCOMPARE(first.message.createdAt, sentAt);
        QCOMPARE(first.message.replyTo, std::optional<Id>());
        QCOMPARE(first.message.editedAt, std::optional<qint64>());
        QCOMPARE(first.message.deleted, false);
        TAKE(const MessagePage stored, m_store->fetchMessages(general.id, {}, {}, 10));
        QCOMPARE(stored.messages, QList<Message>({first.message}));

        // The same (sender, tempId) again, in the same room or another: the first message, nothing stored.
        TAKE(const InsertedMessage repeat, send(general.id, m_alice.id, u"Hello, team 👋"_s, u"c-8f2d1"_s));
        QVERIFY(repeat.duplicate);
        QCOMPARE(repeat.message, first.message);
        TAKE(const InsertedMessage elsewhere, send(random.id, m_alice.id, u"different text"_s, u"c-8f2d1"_s,
                                                   {spanOf(u"@bob"_s, u"bob"_s, m_bob.id)}));
        QVERIFY(elsewhere.duplicate);
        QCOMPARE(elsewhere.message, first.message);
        QVERIFY(elsewhere.mentionedUserIds.isEmpty());
        TAKE(const MessagePage randomPage, m_store->fetchMessages(random.id, {}, {}, 10));
        QVERIFY(randomPage.messages.isEmpty());
        TAKE(const MessagePage mentions, m_store->listMentions(m_bob.id, {}, 10));
        QVERIFY(mentions.messages.isEmpty());

        // Another sender may use the same tempId.
        TAKE(const InsertedMessage bobs, send(general.id, m_bob.id, u"Hi!"_s, u"c-8f2d1"_s));
        QVERIFY(!bobs.duplicate);
        QVERIFY(bobs.message.id > first.message.id);

        // Replies: only to a message of the same room; nothing stored otherwise.
        TAKE(const InsertedMessage reply,
             send(general.id, m_bob.id, u"re"_s, u"b-2"_s, {}, first.message.id));
        QCOMPARE(reply.message.replyTo, std::optional<Id>(first.message.id));
        TAKE(const InsertedMessage inRandom, send(random.id, m_bob.id, u"elsewhere"_s, u"b-3"_s));
        EXPECT_ERROR(send(general.id, m_bob.id, u"re"_s, u"b-4"_s, {}, inRandom.message.id), "not_found",
                     "replyTo is not a message of this room");
        EXPECT_ERROR(send(general.id, m_bob.id, u"re"_s, u"b-5"_s, {}, 99999), "not_found",
                     "replyTo is not a message of this room");
        EXPECT_ERROR(send(general.id, m_carol.id, u"let me in"_s, u"c-1"_s), "forbidden",
                     "no such room or not a member");
        TAKE(const MessagePage all, m_store->fetchMessages(general.id, {}, {}, 10));
        QCOMPARE(idsOf(all.messages), QList<Id>({first.message.id, bobs.message.id, reply.message.id}));
        QCOMPARE(all.messages.at(2), reply.message);
        // A tempId whose send failed is still free.
        TAKE(const InsertedMessage retried,
             send(general.id, m_bob.id, u"re"_s, u"b-4"_s, {}, bobs.message.id));
        QVERIFY(!retried.duplicate);
    }

    void mentionVerification()
    {
        TAKE(const Room room, m_store->createGroup(u"Planning"_s, m_alice.id, {m_bob.id, m_ming.id}, tick()));
        // carol exists but is not a member. 😀 is two UTF-16 units.
        const QString content = u"😀 @bob 和 @小明 看看, @carol @alice"_s;
        const Mention bob = spanOf(content, u"bob"_s, m_bob.id);
        const Mention ming = spanOf(content, u"小明"_s, m_ming.id);
        const Mention self = spanOf(content, u"alice"_s, m_alice.id);
        QCOMPARE(bob.indexStart, 3);
        QCOMPARE(bob.indexEnd, 7);
        QCOMPARE(ming.indexStart, 10);
        QCOMPARE(ming.indexEnd, 13);
        const QList<Mention> sent{
            bob,
            Mention{m_bob.id, 4, 8},                           // off by one
            Mention{m_bob.id, ming.indexStart, ming.indexEnd}, // someone else's span
            ming,
            spanOf(content, u"carol"_s, m_carol.id),     // not a member
            Mention{9999, bob.indexStart, bob.indexEnd}, // no such user
            self,                                        // kept, but not notified
            bob,                                         // repeated span
            Mention{m_ming.id, 40, 43},                  // out of range
        };
        TAKE(const InsertedMessage inserted, send(room.id, m_alice.id, content, u"a-1"_s, sent));
        QCOMPARE(inserted.message.mentions, QList<Mention>({bob, ming, self}));
        QCOMPARE(inserted.mentionedUserIds, QList<Id>({m_bob.id, m_ming.id}));
        TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(page.messages.at(0).mentions, QList<Mention>({bob, ming, self}));

        TAKE(const Room forBob, m_store->roomForUser(room.id, m_bob.id));
        QCOMPARE(forBob.mentionCount, 1);
        TAKE(const Room forAlice, m_store->roomForUser(room.id, m_alice.id));
        QCOMPARE(forAlice.mentionCount, 0);
        TAKE(const MessagePage bobMentions, m_store->listMentions(m_bob.id, {}, 10));
        QCOMPARE(idsOf(bobMentions.messages), QList<Id>({inserted.message.id}));
        TAKE(const MessagePage aliceMentions, m_store->listMentions(m_alice.id, {}, 10));
        QVERIFY(aliceMentions.messages.isEmpty());
        TAKE(const MessagePage carolMentions, m_store->listMentions(m_carol.id, {}, 10));
        QVERIFY(carolMentions.messages.isEmpty());

        // A span must be exactly '@' + username: the display name does not count.
        const QString byName = u"@王小明 hi"_s;
        TAKE(const InsertedMessage named,
             send(room.id, m_bob.id, byName, u"b-1"_s, {Mention{m_ming.id, 0, 4}}));
        QVERIFY(named.message.mentions.isEmpty());
        QVERIFY(named.mentionedUserIds.isEmpty());
    }

    void fetchMessagesPaging()
    {
        TAKE(const Room room, m_store->createGroup(u"History"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const Room other, m_store->createGroup(u"Other"_s, m_alice.id, {}, tick()));
        QList<Id> ids;
        for (int i = 0; i < 23; ++i) { // interleaved with another room: ids have gaps
            TAKE(const InsertedMessage m,
                 send(room.id, i % 2 ? m_alice.id : m_bob.id, u"message %1"_s.arg(i), u"h-%1"_s.arg(i)));
            ids.append(m.message.id);
            TAKE(const InsertedMessage noise,
                 send(other.id, m_alice.id, u"noise %1"_s.arg(i), u"n-%1"_s.arg(i)));
            QVERIFY(noise.message.id > m.message.id);
        }

        // Backwards from the newest page.
        QList<Id> seen;
        QList<bool> more;
        std::optional<Id> before;
        for (int guard = 0; guard < 10; ++guard) {
            TAKE(const MessagePage page, m_store->fetchMessages(room.id, before, {}, 10));
            QVERIFY(std::is_sorted(page.messages.begin(), page.messages.end(),
                                   [](const Message& a, const Message& b) { return a.id < b.id; }));
            seen = idsOf(page.messages) + seen;
            more.append(page.hasMore);
            if (!page.hasMore)
                break;
            before = page.messages.first().id;
        }
        QCOMPARE(seen, ids);
        QCOMPARE(more, QList<bool>({true, true, false}));
        TAKE(const MessagePage newest, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(idsOf(newest.messages), ids.mid(13));
        QCOMPARE(newest.messages.last().content, u"message 22"_s);

        // Forwards from the start.
        seen.clear();
        more.clear();
        std::optional<Id> after = 0;
        for (int guard = 0; guard < 10; ++guard) {
            TAKE(const MessagePage page, m_store->fetchMessages(room.id, {}, after, 10));
            seen += idsOf(page.messages);
            more.append(page.hasMore);
            if (!page.hasMore)
                break;
            after = page.messages.last().id;
        }
        QCOMPARE(seen, ids);
        QCOMPARE(more, QList<bool>({true, true, false}));

        // hasMore is exact at the boundary.
        TAKE(const MessagePage exact, m_store->fetchMessages(room.id, {}, {}, 23));
        QCOMPARE(exact.messages.size(), 23);
        QVERIFY(!exact.hasMore);
        TAKE(const MessagePage oneShort, m_store->fetchMessages(room.id, {}, {}, 22));
        QVERIFY(oneShort.hasMore);
        TAKE(const MessagePage afterLast, m_store->fetchMessages(room.id, {}, ids.last(), 10));
        QVERIFY(afterLast.messages.isEmpty() && !afterLast.hasMore);
        TAKE(const MessagePage beforeFirst, m_store->fetchMessages(room.id, ids.first(), {}, 10));
        QVERIFY(beforeFirst.messages.isEmpty() && !beforeFirst.hasMore);
        TAKE(const MessagePage between, m_store->fetchMessages(room.id, ids.at(5), ids.at(1), 10));
        QCOMPARE(idsOf(between.messages), ids.mid(2, 3));
        TAKE(const MessagePage empty, m_store->fetchMessages(9999, {}, {}, 10));
        QVERIFY(empty.messages.isEmpty() && !empty.hasMore);
    }

    void unreadMentionsAndReadMarker()
    {
        TAKE(const Room room, m_store->createGroup(u"Ops"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const Room quiet, m_store->createGroup(u"Quiet"_s, m_alice.id, {m_bob.id}, tick()));
        const QString callBob = u"@bob deploy?"_s;
        TAKE(const InsertedMessage a1, send(room.id, m_alice.id, u"standup in 5"_s, u"a-1"_s));
        TAKE(const InsertedMessage b1, send(room.id, m_bob.id, u"ok"_s, u"b-1"_s));
        TAKE(const InsertedMessage a2,
             send(room.id, m_alice.id, callBob, u"a-2"_s, {spanOf(callBob, u"bob"_s, m_bob.id)}));
        TAKE(const InsertedMessage b2, send(room.id, m_bob.id, u"done"_s, u"b-2"_s));
        TAKE(const InsertedMessage a3, send(room.id, m_alice.id, u"thanks @bob"_s, u"a-3"_s,
                                            {spanOf(u"thanks @bob"_s, u"bob"_s, m_bob.id)}));
        TAKE(const InsertedMessage q1, send(quiet.id, m_alice.id, u"elsewhere"_s, u"q-1"_s));

        const auto counts = [this, &room](Id user) {
            Result<Room> r = m_store->roomForUser(room.id, user);
            return r ? QList<int>({r->unreadCount, r->mentionCount}) : QList<int>({-1, -1});
        };
        QCOMPARE(counts(m_bob.id), QList<int>({3, 2}));   // a1 a2 a3; mentions a2 a3
        QCOMPARE(counts(m_alice.id), QList<int>({2, 0})); // b1 b2
        QCOMPARE(counts(m_carol.id), QList<int>({5, 0}));

        TAKE(const Id marker1, m_store->markRead(room.id, m_bob.id, b1.message.id));
        QCOMPARE(marker1, b1.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({2, 2}));
        TAKE(const Id marker2, m_store->markRead(room.id, m_bob.id, a2.message.id));
        QCOMPARE(marker2, a2.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({1, 1}));
        // Never backwards: an older id leaves the marker where it is.
        TAKE(const Id marker3, m_store->markRead(room.id, m_bob.id, a1.message.id));
        QCOMPARE(marker3, a2.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({1, 1}));
        TAKE(const Id marker4, m_store->markRead(room.id, m_bob.id, a3.message.id));
        QCOMPARE(marker4, a3.message.id);
        QCOMPARE(counts(m_bob.id), QList<int>({0, 0}));
        QCOMPARE(counts(m_carol.id), QList<int>({5, 0})); // markers are per member
        TAKE(const Room quietForBob, m_store->roomForUser(quiet.id, m_bob.id));
        QCOMPARE(quietForBob.unreadCount, 1);

        EXPECT_ERROR(m_store->markRead(room.id, m_bob.id, q1.message.id), "not_found",
                     "no such message in this room");
        EXPECT_ERROR(m_store->markRead(room.id, m_bob.id, 99999), "not_found",
                     "no such message in this room");
        EXPECT_ERROR(m_store->markRead(quiet.id, m_carol.id, q1.message.id), "forbidden",
                     "no such room or not a member");

        // Deleted messages are neither unread nor the last message; history still has them.
        AdminConnection admin(m_backend, m_url);
        QVERIFY(admin.exec(u"UPDATE messages SET deleted = 1 WHERE id = ?"_s, {a3.message.id}));
        QCOMPARE(counts(m_carol.id), QList<int>({4, 0}));
        TAKE(const Room forCarol, m_store->roomForUser(room.id, m_carol.id));
        QCOMPARE(forCarol.lastMessage->id, b2.message.id);
        TAKE(const MessagePage history, m_store->fetchMessages(room.id, {}, {}, 10));
        QCOMPARE(history.messages.last().id, a3.message.id);
        QCOMPARE(history.messages.last().deleted, true);
    }

    void listMentions()
    {
        TAKE(const Room one, m_store->createGroup(u"One"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const Room two, m_store->createGroup(u"Two"_s, m_carol.id, {m_bob.id}, tick()));
        QList<Id> expected; // newest first
        for (int i = 0; i < 5; ++i) {
            const bool inOne = i % 2 == 0;
            const QString text = u"@bob item %1"_s.arg(i);
            TAKE(const InsertedMessage m, send(inOne ? one.id : two.id, inOne ? m_alice.id : m_carol.id, text,
                                               u"m-%1"_s.arg(i), {spanOf(text, u"bob"_s, m_bob.id)}));
            QCOMPARE(m.mentionedUserIds, QList<Id>({m_bob.id}));
            expected.prepend(m.message.id);
            TAKE(const InsertedMessage plain,
                 send(one.id, m_alice.id, u"no mention %1"_s.arg(i), u"p-%1"_s.arg(i)));
            Q_UNUSED(plain);
        }
        TAKE(const MessagePage page1, m_store->listMentions(m_bob.id, {}, 2));
        QCOMPARE(idsOf(page1.messages), expected.mid(0, 2));
        QVERIFY(page1.hasMore);
        TAKE(const MessagePage page2, m_store->listMentions(m_bob.id, page1.messages.last().id, 2));
        QCOMPARE(idsOf(page2.messages), expected.mid(2, 2));
        QVERIFY(page2.hasMore);
        TAKE(const MessagePage page3, m_store->listMentions(m_bob.id, page2.messages.last().id, 2));
        QCOMPARE(idsOf(page3.messages), expected.mid(4));
        QVERIFY(!page3.hasMore);
        QCOMPARE(page3.messages.at(0).content, u"@bob item 0"_s);

        // Only rooms the user is still in.
        VERIFY_OK(m_store->leaveRoom(two.id, m_bob.id));
        TAKE(const MessagePage remaining, m_store->listMentions(m_bob.id, {}, 10));
        QCOMPARE(idsOf(remaining.messages), QList<Id>({expected.at(0), expected.at(2), expected.at(4)}));
        QVERIFY(!remaining.hasMore);
    }

    // --- message search

    void searchMessagesText()
    {
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
        AdminConnection admin(m_backend, m_url);
        QVERIFY(admin.exec(u"UPDATE messages SET deleted = 1 WHERE id = ?"_s, {ids[4]}));
        QCOMPARE(search(u"开会"_s), QList<Id>({ids[3]}));
        QCOMPARE(search(u"明天开会"_s), QList<Id>());
    }

    void searchMessagesScope()
    {
        TAKE(const Room shared,
             m_store->createGroup(u"Shared"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const Room secret, m_store->createGroup(u"Secret"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const DmRoom dm, m_store->openDm(m_carol.id, m_ming.id, tick()));
        TAKE(const InsertedMessage s1, send(shared.id, m_alice.id, u"release notes 发布"_s, u"a-1"_s));
        TAKE(const InsertedMessage s2, send(secret.id, m_alice.id, u"secret release plan 发布"_s, u"a-2"_s));
        TAKE(const InsertedMessage s3, send(dm.room.id, m_ming.id, u"release party? 发布"_s, u"m-1"_s));
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

    void searchMessagesPaging_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("indexed, 3+ characters") << u"status 报告"_s;
        QTest::newRow("scanned, 2 characters") << u"报告"_s;
        QTest::newRow("scanned, 1 character") << u"报"_s;
    }

    void searchMessagesPaging()
    {
        QFETCH(QString, query);
        TAKE(const Room room, m_store->createGroup(u"Reports"_s, m_alice.id, {m_bob.id}, tick()));
        QStringList contents;
        for (int i = 0; i < 25; ++i) {
            contents.append(u"STATUS 报告 #%1"_s.arg(i));
            contents.append(u"unrelated chatter %1"_s.arg(i));
        }
        const QList<Id> ids = sendAll(room.id, {m_alice.id, m_bob.id}, contents);
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

    void searchShortQueryScanBudget()
    {
        SqliteStore* sqlite = sqliteStore();
        if (!sqlite)
            QSKIP("the scan budget is the SQLite backend's");
        QCOMPARE(sqlite->shortQueryScanBudget(), qint64(50'000));
        QCOMPARE(qint64(SqliteStore::kShortQueryWindowIds), qint64(20'000));
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

        sqlite->setShortQueryScanBudget(5);
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
        sqlite->setShortQueryScanBudget(SqliteStore::kDefaultShortQueryScanBudget);
        TAKE(const SearchPage whole, m_store->searchMessages(m_bob.id, u"会"_s, {}, {}, 10));
        QCOMPARE(idsOf(whole.messages), QList<Id>({ids[28], ids[17], ids[4], ids[3]}));
        QVERIFY(!whole.hasMore);
        // The 3+ character path has no budget.
        sqlite->setShortQueryScanBudget(1);
        TAKE(const SearchPage indexed, m_store->searchMessages(m_bob.id, u"开会 "_s + u"1"_s, {}, {}, 10));
        QCOMPARE(idsOf(indexed.messages), QList<Id>({ids[17]}));
    }

    void searchShortQueryLongHistory()
    {
        SqliteStore* sqlite = sqliteStore();
        if (!sqlite)
            QSKIP("writes the SQLite search index directly");
        TAKE(const Room room, m_store->createGroup(u"Long"_s, m_alice.id, {m_bob.id}, tick()));
        // 4,500 messages in one transaction (the store commits each one
        // durably), so that the scan crosses growing windows of ids.
        const QList<Id> matching{17, 1001, 1002, 2999, 3000, 4321, 4499};
        {
            AdminConnection admin(m_backend, m_url);
            QVERIFY(admin.db().transaction());
            for (Id id = 1; id <= 4500; ++id) {
                const QString text = matching.contains(id) ? u"第%1次开会"_s.arg(id) : u"chat %1"_s.arg(id);
                QVERIFY(
                    admin.exec(u"INSERT INTO messages (id, room_id, sender_id, content, temp_id, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)"_s,
                               {id, room.id, m_alice.id, text, u"bulk-%1"_s.arg(id), kT0 + id}));
                QVERIFY(admin.exec(u"INSERT INTO message_search (rowid, body) VALUES (?, ?)"_s, {id, text}));
            }
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
        sqlite->setShortQueryScanBudget(2'500);
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

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
