#pragma once

// The storage layer's tests run against real databases, once per backend:
// each suite is registered twice (BACKENDS sqlite postgresql), and
// StoreFixture::initTestCase_data() gives it the one row of its entry:
// "sqlite" (a file in a temporary directory) or, in tst_store_*_pg,
// "postgresql" (a fresh database on the test cluster, CONFAB_TEST_PG_URL,
// dropped after each test). Without that cluster the _pg entry fails when
// CONFAB_REQUIRE_POSTGRES=1 (CI) and is Skipped (exit 77) otherwise; it never
// passes silently.

#include "protocol/error_code.h"
#include "protocol/types.h"
#include "scratch_postgres.h"
#include "store/sql_store.h"
#include "store/store_executor.h"

#include <QObject>
#include <QSemaphore>
#include <QSqlDatabase>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

namespace confab::test {

inline constexpr qint64 kT0 = 1764107700000; // 2025-11-25T21:55:00Z

// A user's own copy (credentials, userForToken: with sendReceipts) as others
// see it, to compare with createUser()'s.
inline User asSeenByOthers(User user)
{
    user.sendReceipts.reset();
    return user;
}

template <typename T>
QString describe(const Result<T>& result)
{
    return result.ok() ? QStringLiteral("ok")
                       : errorCodeName(result.error().code) + QStringLiteral(": ") + result.error().message;
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

QList<Id> idsOf(const QList<Message>& messages);
QList<Id> idsOf(const QList<User>& users);
QList<Id> idsOf(const QList<Room>& rooms);

// A span covering `@username` at its first occurrence in content.
Mention spanOf(const QString& content, const QString& username, Id userId);

// A direct connection to a database under test, for what the Store API
// cannot do (read the schema, mark a message deleted, fake a future schema).
// Keeps an executor's writer thread busy until release() (or destruction):
// jobs submitted meanwhile queue up behind it, to test what queuing does.
class WriterHold {
public:
    // `order`: as whose write (a client connection's) the hold counts.
    WriterHold(server::StoreExecutor& executor, QObject* context, server::JobOrder order = {})
        : m_hold(std::make_shared<QSemaphore>())
    {
        auto holding = std::make_shared<QSemaphore>();
        executor.run<int>(
            context,
            [hold = m_hold, holding](server::Store&) {
                holding->release();
                hold->acquire();
                return 0;
            },
            [](int) {}, order);
        holding->acquire(); // the writer has taken the job
    }
    ~WriterHold() { release(); }
    WriterHold(const WriterHold&) = delete;
    WriterHold& operator=(const WriterHold&) = delete;

    void release()
    {
        if (!m_released) {
            m_released = true;
            m_hold->release();
        }
    }

private:
    std::shared_ptr<QSemaphore> m_hold; // shared: the job may still hold it as we go
    bool m_released = false;
};

class AdminConnection {
public:
    explicit AdminConnection(const QString& url);
    ~AdminConnection();
    AdminConnection(const AdminConnection&) = delete;
    AdminConnection& operator=(const AdminConnection&) = delete;

    QSqlDatabase db() const;
    // A prepared statement with positional (?) values; false (logged) on error.
    bool exec(const QString& statement, const QVariantList& values = {}) const;
    QVariant scalar(const QString& statement) const;
    // The first column of every row, or one "error: ..." row.
    QStringList rows(const QString& statement) const;

private:
    QString m_name;
};

class StoreFixture : public QObject {
    Q_OBJECT

protected:
    QTemporaryDir m_dir;
    QString m_backend;
    QString m_url; // the database init() opened
    std::shared_ptr<server::Store> m_store;
    qint64 m_clock = kT0;
    User m_alice, m_bob, m_carol, m_ming; // created by init()
    // Test functions that do not depend on the backend: run in the sqlite row only.
    QStringList m_backendIndependent;

    bool isSqlite() const { return m_backend == QLatin1String("sqlite"); }
    bool isPostgres() const { return m_backend == QLatin1String("postgresql"); }
    qint64 tick() { return m_clock += 1000; }
    // A URL naming a new, empty database of the backend under test (dropped
    // after the test on PostgreSQL). Empty, with the reason logged, on failure.
    QString newDatabaseUrl();
    // createStore + open (or openAtVersion(version) when version >= 0).
    Result<std::shared_ptr<server::Store>> openStore(const QString& url, int version = -1);
    // A StoreExecutor (writer and reader threads) on the database init()
    // opened, with connections of its own opened on its threads; nullptr
    // (logged) when it does not start.
    std::unique_ptr<server::StoreExecutor> startExecutor();
    server::SqlStore* sqlStore() const { return dynamic_cast<server::SqlStore*>(m_store.get()); }
    // What the writer does between jobs (SQLite: indexes new messages for
    // search, issue 17), until nothing is left; nothing on PostgreSQL.
    void runUpkeep()
    {
        for (int guard = 0; m_store->runUpkeep(); ++guard)
            QVERIFY(guard < 10'000);
    }

    Result<User> addUser(const QString& username, const QString& displayName);
    Result<server::InsertedMessage> send(Id roomId, Id senderId, const QString& content,
                                         const QString& tempId, const QList<Mention>& mentions = {},
                                         std::optional<Id> replyTo = {});
    // Sends `contents` to the room in order, alternating senders, and returns the ids.
    QList<Id> sendAll(Id roomId, const QList<Id>& senders, const QStringList& contents);

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

private:
    int m_databases = 0;
    std::vector<std::unique_ptr<ScratchPostgres>> m_postgres;
};

} // namespace confab::test

// Readable QCOMPARE failures: values print as their wire JSON.
namespace confab {
char* toString(const User& value);
char* toString(const Mention& value);
char* toString(const Message& value);
char* toString(const Room& value);
char* toString(const Error& error);
} // namespace confab
