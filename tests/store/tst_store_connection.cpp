// The storage layer against a real database, on every backend (store_fixture.h). Each backend's connection:
// SQLite's pragmas and a file that is not a database; PostgreSQL's session settings, a database in the
// wrong encoding and a server that is not there.

#include "store_fixture.h"

#include "store/database_url.h"
#include "store/store_factory.h"

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

QString firstValue(const QSqlDatabase& db, const QString& statement)
{
    QSqlQuery query(db);
    return query.exec(statement) && query.next() ? query.value(0).toString() : u"error"_s;
}

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

    void postgresRefusesNonUtf8Database()
    {
        if (!isPostgres())
            QSKIP("PostgreSQL: a database's encoding is chosen at CREATE DATABASE");
        const QString name = u"confab_latin1_%1"_s.arg(QCoreApplication::applicationPid());
        AdminConnection admin(ScratchPostgres::adminUrl());
        QSqlQuery create(admin.db());
        QVERIFY2(create.exec(u"CREATE DATABASE %1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' "
                             "TEMPLATE template0"_s.arg(name)),
                 qPrintable(create.lastError().text()));
        const auto drop = qScopeGuard([&admin, &name] {
            QSqlQuery(admin.db()).exec(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name));
        });
        Result<DatabaseUrl> url = DatabaseUrl::parse(ScratchPostgres::adminUrl());
        QVERIFY(url.ok());
        url->databaseName = name;
        TAKE(const auto store, createStore(url.value()));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"has encoding LATIN1"_s));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open .* has encoding LATIN1"_s));
        const Result<void> opened = store->open();
        QVERIFY(!opened.ok());
        QCOMPARE(
            opened.error().message,
            u"the database \"%1\" on PostgreSQL at %2:%3 (user %4) has encoding LATIN1; Confab needs a "
            "UTF8 database (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)"_s.arg(name, url->host)
                .arg(url->port)
                .arg(url->user));
        // Refused before migrating: nothing was created there.
        QUrl latin1Url(ScratchPostgres::adminUrl());
        latin1Url.setPath(u"/"_s + name);
        AdminConnection latin1(latin1Url.toString());
        QCOMPARE(latin1.scalar(u"SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"_s).toInt(), 0);
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

QTEST_GUILESS_MAIN(TestStoreConnection)
#include "tst_store_connection.moc"
