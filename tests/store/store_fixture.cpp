#include "store_fixture.h"

#include "store/database_url.h"
#include "store/store_factory.h"
#include "test_server.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace confab::test {

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

Mention spanOf(const QString& content, const QString& username, Id userId)
{
    const int start = int(content.indexOf(u'@' + username));
    return Mention{userId, start, start + int(username.size()) + 1};
}

AdminConnection::AdminConnection(const QString& url)
{
    static int counter = 0;
    m_name = u"tst-admin-%1"_s.arg(++counter);
    openTestDatabase(url, m_name);
}

AdminConnection::~AdminConnection()
{
    QSqlDatabase::database(m_name, false).close();
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase AdminConnection::db() const
{
    return QSqlDatabase::database(m_name, false);
}

bool AdminConnection::exec(const QString& statement, const QVariantList& values) const
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

QVariant AdminConnection::scalar(const QString& statement) const
{
    QSqlQuery query(db());
    if (!query.exec(statement) || !query.next())
        return {};
    return query.value(0);
}

QStringList AdminConnection::rows(const QString& statement) const
{
    QStringList result;
    QSqlQuery query(db());
    if (!query.exec(statement))
        return {u"error: "_s + query.lastError().text()};
    while (query.next())
        result.append(query.value(0).toString());
    return result;
}

// One row: the backend of this ctest entry (tst_store_x: sqlite, tst_store_x_pg:
// postgresql), so the two run side by side and each has its own verdict.
void StoreFixture::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    const QString backend = TestServer::usesPostgres() ? u"postgresql"_s : u"sqlite"_s;
    QTest::newRow(qPrintable(backend)) << backend;
}

void StoreFixture::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s), "the QSQLITE driver is missing");
    if (TestServer::usesPostgres())
        CONFAB_REQUIRE_POSTGRES(); // the whole suite: failed in CI, Skipped (77) elsewhere
}

void StoreFixture::init()
{
    QFETCH_GLOBAL(QString, backend);
    m_backend = backend;
    if (!isSqlite() && m_backendIndependent.contains(QLatin1String(QTest::currentTestFunction())))
        QSKIP("does not depend on the backend: runs in the sqlite row");
    m_clock = kT0;
    m_url = newDatabaseUrl();
    QVERIFY2(!m_url.isEmpty(), qPrintable(u"no test database for backend "_s + backend));
    TAKE(m_store, openStore(m_url));
    TAKE(m_alice, addUser(u"alice"_s, u"Alice Liddell"_s));
    TAKE(m_bob, addUser(u"bob"_s, u"Bob Wang"_s));
    TAKE(m_carol, addUser(u"carol"_s, u"Carol Chen"_s));
    TAKE(m_ming, addUser(u"小明"_s, u"王小明"_s));
}

void StoreFixture::cleanup()
{
    if (m_store)
        m_store->close();
    m_store.reset();
    m_postgres.clear(); // drops this test's databases (WITH (FORCE): admin connections too)
}

QString StoreFixture::newDatabaseUrl()
{
    if (isSqlite()) // a subdirectory that does not exist yet: open() creates it
        return u"sqlite:"_s + m_dir.filePath(u"db%1/confab.db"_s.arg(++m_databases));
    auto database = std::make_unique<ScratchPostgres>();
    if (!database->isValid()) {
        qWarning().noquote() << "no PostgreSQL test database:" << database->error();
        return {};
    }
    const QString url = database->url();
    m_postgres.push_back(std::move(database));
    return url;
}

Result<std::shared_ptr<server::Store>> StoreFixture::openStore(const QString& url, int version)
{
    Result<server::DatabaseUrl> parsed = server::DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    Result<std::shared_ptr<server::Store>> store = server::createStore(parsed.value());
    if (!store)
        return store;
    auto* sql = dynamic_cast<server::SqlStore*>(store->get());
    Result<void> opened = version < 0 || !sql ? store.value()->open() : sql->openAtVersion(version);
    if (!opened)
        return opened.error();
    return store;
}

std::unique_ptr<server::StoreExecutor> StoreFixture::startExecutor()
{
    Result<server::DatabaseUrl> url = server::DatabaseUrl::parse(m_url);
    if (!url)
        return nullptr;
    Result<std::shared_ptr<server::Store>> store = server::createStore(url.value());
    if (!store)
        return nullptr;
    auto executor = std::make_unique<server::StoreExecutor>(store.value());
    if (Result<void> started = executor->start(); !started) {
        qWarning().noquote() << "the store executor did not start:" << started.error().message;
        return nullptr;
    }
    return executor;
}

Result<User> StoreFixture::addUser(const QString& username, const QString& displayName)
{
    return m_store->createUser(username, displayName, "$argon2id$v=19$m=19456,t=2,p=1$" + username.toUtf8(),
                               tick());
}

Result<server::InsertedMessage> StoreFixture::send(Id roomId, Id senderId, const QString& content,
                                                   const QString& tempId, const QList<Mention>& mentions,
                                                   std::optional<Id> replyTo)
{
    server::NewMessage message;
    message.roomId = roomId;
    message.senderId = senderId;
    message.content = content;
    message.tempId = tempId;
    message.mentions = mentions;
    message.replyTo = replyTo;
    message.createdAt = tick();
    return m_store->insertMessage(message);
}

QList<Id> StoreFixture::sendAll(Id roomId, const QList<Id>& senders, const QStringList& contents)
{
    QList<Id> ids;
    for (int i = 0; i < contents.size(); ++i) {
        static int tempIds = 0;
        Result<server::InsertedMessage> sent =
            send(roomId, senders.at(i % senders.size()), contents.at(i), u"bulk-%1"_s.arg(++tempIds));
        if (!sent) {
            qWarning() << "send failed:" << describe(sent);
            return {};
        }
        ids.append(sent->message.id);
    }
    return ids;
}

} // namespace confab::test

namespace confab {

namespace {
template <typename T>
char* jsonToString(const T& value)
{
    return qstrdup(QJsonDocument(value.toJson()).toJson(QJsonDocument::Compact).constData());
}
} // namespace

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
