// LocalStore on real SQLite files: migrations, the outbox's order across a
// reopen, drafts, read markers, the cache's bounds, wiping, and the Outbox
// writing through to it while offline.
#include "local_store.h"
#include "local_store_sql.h"
#include "outbox.h"
#include "session.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace confab;
using namespace confab::client;

namespace {

Outbox::Item send(Id room, const QString& tempId, const QString& content)
{
    Outbox::Item item;
    item.roomId = room;
    item.tempId = tempId;
    item.content = content;
    item.createdAt = 1700000000000;
    return item;
}

LocalStore::Snapshot loadFrom(const QString& path)
{
    LocalStore store(path);
    QSignalSpy loaded(&store, &LocalStore::loaded);
    store.load();
    if (!loaded.wait(5000))
        return {};
    return loaded.first().first().value<LocalStore::Snapshot>();
}

QStringList tempIds(const QList<Outbox::Item>& items)
{
    QStringList ids;
    for (const Outbox::Item& item : items)
        ids.append(item.tempId);
    return ids;
}

Message message(Id room, Id id)
{
    Message m;
    m.id = id;
    m.roomId = room;
    m.senderId = 7;
    m.content = QStringLiteral("message %1").arg(id);
    m.createdAt = 1700000000000 + id;
    m.tempId = QStringLiteral("t%1").arg(id);
    m.revision = id;
    return m;
}

Room room(Id id)
{
    Room r;
    r.id = id;
    r.type = RoomType::Group;
    r.name = QStringLiteral("room %1 ❤").arg(id);
    r.ownerId = 7;
    r.createdAt = 1700000000000;
    return r;
}

int userVersion(const QString& path)
{
    const QString name = QStringLiteral("probe");
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
                version = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return version;
}

void setUserVersion(const QString& path, int version)
{
    const QString name = QStringLiteral("probe");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version)));
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

class TestLocalStore : public QObject {
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void migratesAFreshFile();
    void refusesANewerSchema();
    void outboxKeepsOrderAcrossReopen();
    void draftsAndReadMarkers();
    void cacheIsBounded();
    void wipeForgetsEverything();
    void outboxWritesThroughWhileOffline();
    void outboxFilesSurviveReopen();
    void version1StoreGainsFiles();

private:
    QString path(const QString& name) const { return m_dir.filePath(name + QStringLiteral("/store.sqlite")); }
    QTemporaryDir m_dir;
};

void TestLocalStore::migratesAFreshFile()
{
    const QString file = path(QStringLiteral("fresh"));
    {
        LocalStore store(file);
    } // created, migrated, closed
    QCOMPARE(userVersion(file), store_sql::schemaVersion());
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(s.userId, Id(0));
    QVERIFY(s.outbox.isEmpty() && s.rooms.isEmpty() && s.pages.isEmpty());
}

void TestLocalStore::refusesANewerSchema()
{
    const QString file = path(QStringLiteral("newer"));
    {
        LocalStore store(file);
    }
    setUserVersion(file, store_sql::schemaVersion() + 1);
    LocalStore store(file);
    QSignalSpy unavailable(&store, &LocalStore::unavailable);
    QSignalSpy loaded(&store, &LocalStore::loaded);
    store.addSend(send(1, QStringLiteral("a"), QStringLiteral("kept in memory only")));
    store.load();
    QVERIFY(unavailable.wait(5000));
    QVERIFY(unavailable.first().first().toString().contains(QLatin1String("newer")));
    store.sync();
    QCOMPARE(loaded.size(), 0);                                  // nothing read from a file it refused
    QCOMPARE(userVersion(file), store_sql::schemaVersion() + 1); // and not downgraded
}

// Issue 16: a queued send's files and how far their uploads got come back
// after a restart, so the uploads resume instead of starting again.
void TestLocalStore::outboxFilesSurviveReopen()
{
    const QString file = path(QStringLiteral("files"));
    OutgoingFile shot;
    shot.path = QStringLiteral("/home/mei/Pictures/shot.png");
    shot.name = QStringLiteral("shot.png");
    shot.size = 183402;
    shot.mime = QStringLiteral("image/png");
    shot.width = 1280;
    shot.height = 800;
    shot.thumbnailPath = QStringLiteral("/tmp/thumb.png");
    shot.thumbnailMime = QStringLiteral("image/png");
    shot.thumbnailSize = 9000;
    {
        LocalStore store(file);
        Outbox::Item item = send(10, QStringLiteral("f"), QString()); // files alone: no text
        item.files = {shot};
        store.addSend(item);
        // The upload got an id and its hash, then the app went away.
        shot.sha256 = QString(64, u'5');
        shot.fileId = 91;
        store.setSendFiles(QStringLiteral("f"), {shot});
    }
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(s.outbox.size(), 1);
    QCOMPARE(s.outbox.first().content, QStringLiteral(""));
    QCOMPARE(s.outbox.first().files, QList<OutgoingFile>{shot});
}

void TestLocalStore::version1StoreGainsFiles()
{
    const QString file = path(QStringLiteral("v1"));
    {
        LocalStore store(file);
        store.addSend(send(10, QStringLiteral("old"), QStringLiteral("queued before files existed")));
    }
    {
        // What issue 14's client left: no files_json, user_version 1.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(file);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE outbox DROP COLUMN files_json")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1"));
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(userVersion(file), store_sql::schemaVersion());
    QCOMPARE(tempIds(s.outbox), QStringList{QStringLiteral("old")});
    QVERIFY(s.outbox.first().files.isEmpty());
}

void TestLocalStore::outboxKeepsOrderAcrossReopen()
{
    const QString file = path(QStringLiteral("outbox"));
    {
        LocalStore store(file);
        User owner;
        owner.id = 42;
        owner.username = QStringLiteral("mei");
        owner.displayName = QStringLiteral("Mei ❤");
        store.setOwner(QUrl(QStringLiteral("ws://127.0.0.1:7860")), owner);
        Outbox::Item withMention = send(10, QStringLiteral("a"), QStringLiteral("@bob hi"));
        withMention.mentions.append(Mention{5, 0, 4});
        withMention.replyTo = 99;
        store.addSend(withMention);
        store.addSend(send(11, QStringLiteral("b"), QStringLiteral("second")));
        store.addSend(send(10, QStringLiteral("c"), QStringLiteral("third")));
        store.addSend(send(10, QStringLiteral("c"), QStringLiteral("a duplicate tempId is ignored")));
        store.setSendFailed(QStringLiteral("a"));
        store.requeueSend(QStringLiteral("a")); // a retry goes to the end, no longer failed
        store.setSendFailed(QStringLiteral("b"));
        store.addSend(send(10, QStringLiteral("d"), QStringLiteral("fourth")));
        store.removeSend(QStringLiteral("c"));
    }
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(s.server, QUrl(QStringLiteral("ws://127.0.0.1:7860")));
    QCOMPARE(s.userId, Id(42));
    QCOMPARE(s.user.username, QStringLiteral("mei"));
    QCOMPARE(s.user.displayName, QStringLiteral("Mei ❤"));
    QCOMPARE(tempIds(s.outbox), (QStringList{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("d")}));
    QVERIFY(s.outbox.at(0).failed);
    QVERIFY(!s.outbox.at(1).failed);
    QCOMPARE(s.outbox.at(1).content, QStringLiteral("@bob hi"));
    QCOMPARE(s.outbox.at(1).roomId, Id(10));
    QCOMPARE(s.outbox.at(1).mentions, (QList<Mention>{Mention{5, 0, 4}}));
    QCOMPARE(s.outbox.at(1).replyTo, std::optional<Id>(99));
    QCOMPARE(s.outbox.at(1).createdAt, qint64(1700000000000));
    QCOMPARE(s.outbox.at(2).replyTo, std::nullopt);
}

void TestLocalStore::draftsAndReadMarkers()
{
    const QString file = path(QStringLiteral("drafts"));
    {
        LocalStore store(file);
        store.setDraft(1, QStringLiteral("half a thought ☕"));
        store.setDraft(2, QStringLiteral("gone soon"));
        store.setDraft(2, {});
        store.setReadMarker(5, 100);
        store.setReadMarker(5, 90); // never moves back
        store.setReadMarker(6, 200);
        store.clearReadMarker(6, 150); // an older marker accepted: the newer one stays
        store.setReadMarker(7, 300);
        store.clearReadMarker(7, 300);
    }
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(s.drafts, (QHash<Id, QString>{{1, QStringLiteral("half a thought ☕")}}));
    QCOMPARE(s.readMarkers, (QHash<Id, Id>{{5, 100}, {6, 200}}));
}

void TestLocalStore::cacheIsBounded()
{
    const QString file = path(QStringLiteral("cache"));
    {
        LocalStore store(file);
        QList<Room> rooms;
        for (Id id = 1; id <= LocalStore::kMaxCachedRooms + 5; ++id)
            rooms.append(room(id));
        store.cacheRooms(rooms);
        QList<Message> many;
        for (Id id = 1; id <= 80; ++id)
            many.append(message(1, id));
        store.cachePage(1, many);
        // More rooms with pages than the bound: the least recently cached go.
        for (Id id = 2; id <= LocalStore::kMaxCachedRooms + 2; ++id)
            store.cachePage(id, {message(id, 1000 + id)});
    }
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(s.rooms.size(), LocalStore::kMaxCachedRooms + 5);
    QCOMPARE(s.rooms.first(), room(1));
    QCOMPARE(s.pages.size(), LocalStore::kMaxCachedRooms);
    // 102 rooms cached, 100 kept: the two cached first went.
    QVERIFY(!s.pages.contains(1) && !s.pages.contains(2));
    QVERIFY(s.pages.contains(3) && s.pages.contains(LocalStore::kMaxCachedRooms + 2));
    QCOMPARE(s.pages.value(3), (QList<Message>{message(3, 1003)}));

    // The newest 50 of a page are kept, ascending; a room no longer listed loses its page.
    {
        LocalStore store(file);
        QList<Message> many;
        for (Id id = 1; id <= 80; ++id)
            many.append(message(3, id));
        store.cachePage(3, many);
        store.cacheRooms({room(3)});
    }
    const LocalStore::Snapshot again = loadFrom(file);
    QCOMPARE(again.pages.keys(), QList<Id>{3});
    QCOMPARE(again.pages.value(3).size(), LocalStore::kPageSize);
    QCOMPARE(again.pages.value(3).first(), message(3, 31));
    QCOMPARE(again.pages.value(3).last(), message(3, 80));
}

void TestLocalStore::wipeForgetsEverything()
{
    const QString file = path(QStringLiteral("wipe"));
    {
        LocalStore store(file);
        User owner;
        owner.id = 3;
        owner.username = QStringLiteral("a");
        store.setOwner(QUrl(QStringLiteral("ws://a:1")), owner);
        store.addSend(send(1, QStringLiteral("x"), QStringLiteral("x")));
        store.setDraft(1, QStringLiteral("d"));
        store.setReadMarker(1, 5);
        store.cacheRooms({room(1)});
        store.cachePage(1, {message(1, 1)});
        store.wipe();
    }
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(s.userId, Id(0));
    QVERIFY(s.server.isEmpty());
    QVERIFY(s.outbox.isEmpty() && s.drafts.isEmpty() && s.readMarkers.isEmpty());
    QVERIFY(s.rooms.isEmpty() && s.pages.isEmpty());
}

void TestLocalStore::outboxWritesThroughWhileOffline()
{
    const QString file = path(QStringLiteral("through"));
    {
        Session offline; // never connected: sends stay queued
        LocalStore store(file);
        Outbox outbox(&offline);
        outbox.setStore(&store);
        QSignalSpy sizes(&outbox, &Outbox::sizeChanged);
        outbox.enqueue(send(1, QStringLiteral("one"), QStringLiteral("1")));
        outbox.enqueue(send(2, QStringLiteral("two"), QStringLiteral("2")));
        outbox.enqueue(send(1, QStringLiteral("three"), QStringLiteral("3")));
        outbox.markStored(QStringLiteral("two")); // seen stored elsewhere: leaves the store too
        QCOMPARE(sizes.size(), 4);
        QCOMPARE(outbox.size(), 2);
    }
    const LocalStore::Snapshot s = loadFrom(file);
    QCOMPARE(tempIds(s.outbox), (QStringList{QStringLiteral("one"), QStringLiteral("three")}));

    // The next run: the stored items go before anything queued since.
    Session offline;
    Outbox next(&offline);
    next.enqueue(send(1, QStringLiteral("four"), QStringLiteral("4")));
    next.restore(s.outbox);
    next.restore(s.outbox); // twice: no duplicates
    QCOMPARE(tempIds(next.items()),
             (QStringList{QStringLiteral("one"), QStringLiteral("three"), QStringLiteral("four")}));
}

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_local_store.moc"
