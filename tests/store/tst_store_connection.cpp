// The storage layer against a real database, on every backend (store_fixture.h). Each backend's connection:
// SQLite's pragmas and a file that is not a database; PostgreSQL's session settings, a database in the
// wrong encoding, one whose LC_CTYPE is C, and a server that is not there.

#include "store_fixture.h"

#include "store/database_url.h"
#include "store/store_factory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QUrl>

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

namespace {

// The one connection the store under test opened (connection names are unique per store).
QSqlDatabase storeConnection(const QString& prefix)
{
    QStringList names;
    for (const QString& name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(prefix))
            names.append(name);
    }
    return names.size() == 1 ? QSqlDatabase::database(names.first(), false) : QSqlDatabase();
}

// The connection of the store opened last (the fixture's own store is open too).
QSqlDatabase newestStoreConnection(const QString& prefix)
{
    QString newest;
    for (const QString& name : QSqlDatabase::connectionNames()) {
        if (name.startsWith(prefix) && (newest.isEmpty() || name.mid(prefix.size()).toULongLong() >
                                                                newest.mid(prefix.size()).toULongLong()))
            newest = name;
    }
    return newest.isEmpty() ? QSqlDatabase() : QSqlDatabase::database(newest, false);
}

QString firstValue(const QSqlDatabase& db, const QString& statement)
{
    QSqlQuery query(db);
    return query.exec(statement) && query.next() ? query.value(0).toString() : u"error"_s;
}

// A database on the test cluster made with the CREATE DATABASE options a test
// needs (ScratchPostgres takes none), dropped on destruction.
class CustomDatabase {
public:
    CustomDatabase(const QString& purpose, const QString& options)
        : m_admin(ScratchPostgres::adminUrl())
        , m_name(u"confab_%1_%2"_s.arg(purpose).arg(QCoreApplication::applicationPid()))
    {
        QSqlQuery create(m_admin.db());
        if (!create.exec(u"CREATE DATABASE %1 %2"_s.arg(m_name, options)))
            error = create.lastError().text();
    }
    ~CustomDatabase()
    {
        QSqlQuery(m_admin.db()).exec(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_name));
    }

    QString name() const { return m_name; }
    DatabaseUrl url() const
    {
        DatabaseUrl url = DatabaseUrl::parse(ScratchPostgres::adminUrl()).value();
        url.databaseName = m_name;
        return url;
    }
    QString urlText() const
    {
        QUrl url(ScratchPostgres::adminUrl());
        url.setPath(u"/"_s + m_name);
        return url.toString();
    }

    QString error; // empty when the database was created

private:
    AdminConnection m_admin;
    QString m_name;
};

} // namespace

class TestStoreConnection : public StoreFixture {
    Q_OBJECT

public:
    TestStoreConnection() { m_backendIndependent = QStringList{u"postgresUnreachable"_s}; }

private slots:
    void sqlitePragmas()
    {
        if (!isSqlite())
            QSKIP("SQLite's pragmas (postgresSession checks PostgreSQL's settings)");
        // The store's own connection: synchronous and foreign_keys are per connection.
        const QSqlDatabase db = storeConnection(u"confab-sqlite-"_s);
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
        if (!isSqlite())
            QSKIP("a file that is not a database is SQLite's case");
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

    void postgresSession()
    {
        if (!isPostgres())
            QSKIP("PostgreSQL's session settings (sqlitePragmas checks SQLite's)");
        const QSqlDatabase db = storeConnection(u"confab-postgresql-"_s);
        QVERIFY(db.isOpen());
        // Set in the connection string, so in force before QPSQL's own start-up
        // queries: the driver quotes bound strings by what it sees then.
        QCOMPARE(firstValue(db, u"SHOW standard_conforming_strings"_s), u"on"_s);
        QCOMPARE(firstValue(db, u"SHOW client_min_messages"_s), u"warning"_s);
        QVERIFY(QStringList({u"UTF8"_s, u"UNICODE"_s}).contains(firstValue(db, u"SHOW client_encoding"_s)));
        QCOMPARE(firstValue(db, u"SHOW server_encoding"_s), u"UTF8"_s);
        QCOMPARE(firstValue(db, u"SHOW application_name"_s), u"confab-server"_s);
        QVERIFY(firstValue(db, u"SHOW server_version_num"_s).toInt() >= 130000);
    }

    // A database (or role) set to synchronous_commit=off would have the store
    // ack messages before they are on disk: the store's session turns it on.
    void postgresSessionIsDurableWhateverTheDatabaseSays()
    {
        if (!isPostgres())
            QSKIP("PostgreSQL: synchronous_commit can be set per database");
        const CustomDatabase lax(u"lax"_s, u"ENCODING 'UTF8' TEMPLATE template0"_s);
        QVERIFY2(lax.error.isEmpty(), qPrintable(lax.error));
        {
            AdminConnection admin(ScratchPostgres::adminUrl());
            QSqlQuery alter(admin.db());
            QVERIFY2(alter.exec(u"ALTER DATABASE %1 SET synchronous_commit = off"_s.arg(lax.name())),
                     qPrintable(alter.lastError().text()));
        }
        {
            AdminConnection plain(lax.urlText()); // what any other session gets there
            QCOMPARE(plain.scalar(u"SHOW synchronous_commit"_s).toString(), u"off"_s);
        }
        TAKE(const auto store, createStore(lax.url()));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"synchronous_commit is off"_s));
        VERIFY_OK(store->open());
        const QSqlDatabase db = newestStoreConnection(u"confab-postgresql-"_s);
        QCOMPARE(db.databaseName(), lax.name());
        QCOMPARE(firstValue(db, u"SHOW synchronous_commit"_s), u"on"_s);
        store->close();
    }

    void postgresRefusesNonUtf8Database()
    {
        if (!isPostgres())
            QSKIP("PostgreSQL: a database's encoding is chosen at CREATE DATABASE");
        const CustomDatabase latin1(u"latin1"_s, u"ENCODING 'LATIN1' LOCALE 'C' TEMPLATE template0"_s);
        QVERIFY2(latin1.error.isEmpty(), qPrintable(latin1.error));
        const DatabaseUrl url = latin1.url();
        TAKE(const auto store, createStore(url));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"has encoding LATIN1"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .* has encoding LATIN1"_s));
        const Result<void> opened = store->open();
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().message,
                 u"the database \"%1\" on PostgreSQL at %2:%3 (user %4) has encoding LATIN1; Confab needs a "
                 "UTF8 database (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)"_s
                     .arg(latin1.name(), url.host)
                     .arg(url.port)
                     .arg(url.user));
        // Refused before migrating: nothing was created there.
        AdminConnection admin(latin1.urlText());
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"_s).toInt(), 0);
    }

    // A UTF8 database whose LC_CTYPE is C: pg_trgm finds no trigrams in
    // non-ASCII text there, so the store says so (once), and search stays
    // exact on every path because LIKE, not the index, decides.
    void postgresCLocaleSearchIsExact()
    {
        if (!isPostgres())
            QSKIP("PostgreSQL: pg_trgm's word characters come from the database's LC_CTYPE");
        const CustomDatabase cLocale(u"c_locale"_s, u"ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0"_s);
        QVERIFY2(cLocale.error.isEmpty(), qPrintable(cLocale.error));
        TAKE(m_store, createStore(cLocale.url()));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"has LC_CTYPE C - message search cannot use"_s));
        VERIFY_OK(m_store->open());
        TAKE(const User ann, addUser(u"ann"_s, u"Ann"_s));
        TAKE(const User ben, addUser(u"ben"_s, u"Ben"_s));
        TAKE(const Room room, m_store->createGroup(u"C"_s, ann.id, {ben.id}, tick()));
        const QList<Id> ids = sendAll(room.id, {ann.id, ben.id},
                                      {u"今天下午开会 @ben"_s, u"明天开会吗？"_s, u"会议室在三楼"_s,
                                       u"Deploy the NEW build"_s, u"So ÄRGERLICH, in МОСКВА"_s});
        QCOMPARE(ids.size(), 5);
        const auto search = [this, &ben](const QString& query) {
            Result<SearchPage> page = m_store->searchMessages(ben.id, query, {}, {}, 20);
            return page ? idsOf(page->messages) : QList<Id>({-1});
        };
        QCOMPARE(search(u"下午开会"_s), QList<Id>({ids[0]}));
        QCOMPARE(search(u"开会"_s), QList<Id>({ids[1], ids[0]}));
        QCOMPARE(search(u"会"_s), QList<Id>({ids[2], ids[1], ids[0]}));
        QCOMPARE(search(u"三楼开"_s), QList<Id>());
        QCOMPARE(search(u"new build"_s), QList<Id>({ids[3]}));
        QCOMPARE(search(u"москва"_s), QList<Id>({ids[4]}));
        QCOMPARE(search(u"ärger"_s), QList<Id>({ids[4]}));
        m_store->close();
    }

    // No server at that address: open() fails at once with what libpq says,
    // and the store stays closed. (confab-server then exits 1 with this
    // message: tst_server_process.)
    void postgresUnreachable()
    {
        QVERIFY2(QSqlDatabase::isDriverAvailable(u"QPSQL"_s),
                 "the QPSQL driver is missing (libqt6sql6-psql)");
        QTcpServer probe; // a port nobody listens on: free it right after the OS picked it
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const int port = probe.serverPort();
        probe.close();
        TAKE(const auto store,
             createStore(
                 DatabaseUrl::parse(u"postgresql://confab:secret@127.0.0.1:%1/chat"_s.arg(port)).value()));
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(u"cannot open .* - cannot open the database .*Connection refused"_s));
        const Result<void> opened = store->open();
        QVERIFY(!opened.ok());
        const QString prefix =
            u"cannot open the database \"chat\" on PostgreSQL at 127.0.0.1:%1 (user confab): "_s.arg(port);
        QVERIFY2(opened.error().message.startsWith(prefix), qPrintable(opened.error().message));
        QVERIFY2(opened.error().message.contains(u"Connection refused"_s),
                 qPrintable(opened.error().message));
        QVERIFY(!opened.error().message.contains(u"secret"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"store used while not open"_s));
        EXPECT_ERROR(store->userById(1), "internal", "the database is not open");
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreConnection)
#include "tst_store_connection.moc"
