// LocalStore's statements (worker thread). Rooms and messages are kept as
// the protocol's own JSON, read back through the same fromJson() as the
// wire: a cache row that no longer parses is skipped, never trusted.
#include "local_store_sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

namespace confab::client::store_sql {

Q_LOGGING_CATEGORY(lcStoreSql, "confab.client.store")

namespace {

QString compact(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject objectOf(const QVariant& text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

// Prepares `sql`, binds `values` in order and runs it; logs a failure.
bool run(QSqlDatabase& db, const QString& sql, const QVariantList& values = {}, QSqlQuery* out = nullptr)
{
    QSqlQuery q(db);
    if (!q.prepare(sql)) {
        qCWarning(lcStoreSql, "prepare failed: %s", qPrintable(q.lastError().text()));
        return false;
    }
    for (const QVariant& v : values)
        q.addBindValue(v);
    if (!q.exec()) {
        qCWarning(lcStoreSql, "%s: %s", qPrintable(sql.left(60)), qPrintable(q.lastError().text()));
        return false;
    }
    if (out)
        *out = std::move(q);
    return true;
}

// Several statements as one commit; rolled back unless all succeed.
template <typename F>
void transaction(QSqlDatabase& db, F&& body)
{
    if (!db.transaction())
        return;
    if (body())
        db.commit();
    else
        db.rollback();
}

QString metaValue(QSqlDatabase& db, const QString& key)
{
    QSqlQuery q;
    if (run(db, QStringLiteral("SELECT value FROM meta WHERE key = ?"), {key}, &q) && q.next())
        return q.value(0).toString();
    return {};
}

QVariant nullableId(const std::optional<Id>& id)
{
    return id ? QVariant(qint64(*id)) : QVariant(QMetaType::fromType<qint64>());
}

} // namespace

LocalStore::Snapshot load(QSqlDatabase db)
{
    LocalStore::Snapshot s;
    s.server = QUrl(metaValue(db, QStringLiteral("server")));
    s.userId = metaValue(db, QStringLiteral("userId")).toLongLong();
    if (auto user = User::fromJson(objectOf(metaValue(db, QStringLiteral("user"))));
        user && user->id == s.userId)
        s.user = *user;

    QSqlQuery q;
    if (run(db,
            QStringLiteral("SELECT temp_id, room_id, content, mentions_json, reply_to, created_at, failed, "
                           "files_json FROM outbox ORDER BY seq"),
            {}, &q)) {
        while (q.next()) {
            Outbox::Item item;
            item.tempId = q.value(0).toString();
            item.roomId = q.value(1).toLongLong();
            item.content = q.value(2).toString();
            const QJsonArray spans = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).array();
            for (const QJsonValue& v : spans) {
                if (auto m = Mention::fromJson(v.toObject()))
                    item.mentions.append(*m);
            }
            if (!q.value(4).isNull())
                item.replyTo = q.value(4).toLongLong();
            item.createdAt = q.value(5).toLongLong();
            item.failed = q.value(6).toBool();
            item.files = outgoingFilesFromJson(q.value(7).toString());
            s.outbox.append(item);
        }
    }
    if (run(db, QStringLiteral("SELECT room_id, text FROM drafts"), {}, &q)) {
        while (q.next())
            s.drafts.insert(q.value(0).toLongLong(), q.value(1).toString());
    }
    if (run(db, QStringLiteral("SELECT room_id, message_id FROM read_markers"), {}, &q)) {
        while (q.next())
            s.readMarkers.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    }
    if (run(db, QStringLiteral("SELECT json FROM rooms ORDER BY position"), {}, &q)) {
        while (q.next()) {
            if (auto room = Room::fromJson(objectOf(q.value(0))))
                s.rooms.append(*room);
        }
    }
    if (run(db, QStringLiteral("SELECT room_id, json FROM messages ORDER BY room_id, message_id"), {}, &q)) {
        while (q.next()) {
            if (auto m = Message::fromJson(objectOf(q.value(1))))
                s.pages[q.value(0).toLongLong()].append(*m);
        }
    }
    return s;
}

void setOwner(QSqlDatabase db, const QUrl& server, const User& user)
{
    transaction(db, [&] {
        const QString sql = QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
        return run(db, sql, {QStringLiteral("server"), server.toString()}) &&
               run(db, sql, {QStringLiteral("userId"), QString::number(user.id)}) &&
               run(db, sql, {QStringLiteral("user"), compact(user.toJson())});
    });
}

void wipe(QSqlDatabase db)
{
    transaction(db, [&] {
        for (const char* table :
             {"meta", "outbox", "drafts", "read_markers", "rooms", "cached_pages", "messages"}) {
            if (!run(db, QStringLiteral("DELETE FROM %1").arg(QLatin1String(table)))) // our own names
                return false;
        }
        return true;
    });
}

void addSend(QSqlDatabase db, const Outbox::Item& item)
{
    QJsonArray spans;
    for (const Mention& m : item.mentions)
        spans.append(m.toJson());
    run(db,
        QStringLiteral("INSERT OR IGNORE INTO outbox (temp_id, room_id, content, mentions_json, reply_to, "
                       "created_at, failed, files_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        // A send of files alone may have a null content, which would bind as NULL.
        {item.tempId, qint64(item.roomId), item.content.isNull() ? QStringLiteral("") : item.content,
         QString::fromUtf8(QJsonDocument(spans).toJson(QJsonDocument::Compact)), nullableId(item.replyTo),
         item.createdAt, item.failed ? 1 : 0, outgoingFilesToJson(item.files)});
}

void setSendFiles(QSqlDatabase db, const QString& tempId, const QList<OutgoingFile>& files)
{
    run(db, QStringLiteral("UPDATE outbox SET files_json = ? WHERE temp_id = ?"),
        {outgoingFilesToJson(files), tempId});
}

void requeueSend(QSqlDatabase db, const QString& tempId)
{
    // A new seq puts it at the end of the queue, as Outbox::retry() does.
    run(db,
        QStringLiteral(
            "UPDATE outbox SET failed = 0, seq = (SELECT MAX(seq) + 1 FROM outbox) WHERE temp_id = ?"),
        {tempId});
}

void setSendFailed(QSqlDatabase db, const QString& tempId)
{
    run(db, QStringLiteral("UPDATE outbox SET failed = 1 WHERE temp_id = ?"), {tempId});
}

void removeSend(QSqlDatabase db, const QString& tempId)
{
    run(db, QStringLiteral("DELETE FROM outbox WHERE temp_id = ?"), {tempId});
}

void removeRoom(QSqlDatabase db, Id roomId)
{
    transaction(db, [&] {
        for (const char* table : {"outbox", "drafts", "read_markers", "rooms", "cached_pages", "messages"}) {
            if (!run(db, QStringLiteral("DELETE FROM %1 WHERE room_id = ?").arg(QLatin1String(table)),
                     {qint64(roomId)}))
                return false;
        }
        return true;
    });
}

void setDraft(QSqlDatabase db, Id roomId, const QString& text)
{
    if (text.isEmpty())
        run(db, QStringLiteral("DELETE FROM drafts WHERE room_id = ?"), {qint64(roomId)});
    else
        run(db, QStringLiteral("INSERT OR REPLACE INTO drafts (room_id, text) VALUES (?, ?)"),
            {qint64(roomId), text});
}

void setReadMarker(QSqlDatabase db, Id roomId, Id messageId)
{
    run(db,
        QStringLiteral("INSERT INTO read_markers (room_id, message_id) VALUES (?, ?) ON CONFLICT (room_id) "
                       "DO UPDATE SET message_id = MAX(message_id, excluded.message_id)"),
        {qint64(roomId), qint64(messageId)});
}

void clearReadMarker(QSqlDatabase db, Id roomId, Id upToMessageId)
{
    run(db, QStringLiteral("DELETE FROM read_markers WHERE room_id = ? AND message_id <= ?"),
        {qint64(roomId), qint64(upToMessageId)});
}

void cacheRooms(QSqlDatabase db, const QList<Room>& rooms)
{
    transaction(db, [&] {
        if (!run(db, QStringLiteral("DELETE FROM rooms")))
            return false;
        for (int i = 0; i < rooms.size(); ++i) {
            if (!run(
                    db,
                    QStringLiteral("INSERT OR REPLACE INTO rooms (room_id, position, json) VALUES (?, ?, ?)"),
                    {qint64(rooms.at(i).id), i, compact(rooms.at(i).toJson())}))
                return false;
        }
        // Pages of rooms no longer listed (left, or the list was cut) go too.
        return run(db,
                   QStringLiteral("DELETE FROM messages WHERE room_id NOT IN (SELECT room_id FROM rooms)")) &&
               run(db, QStringLiteral(
                           "DELETE FROM cached_pages WHERE room_id NOT IN (SELECT room_id FROM rooms)"));
    });
}

void cachePage(QSqlDatabase db, Id roomId, const QList<Message>& newest)
{
    const QList<Message> page = newest.mid(std::max<qsizetype>(0, newest.size() - LocalStore::kPageSize));
    transaction(db, [&] {
        if (!run(db, QStringLiteral("DELETE FROM messages WHERE room_id = ?"), {qint64(roomId)}))
            return false;
        for (const Message& m : page) {
            if (!run(db,
                     QStringLiteral(
                         "INSERT OR REPLACE INTO messages (room_id, message_id, json) VALUES (?, ?, ?)"),
                     {qint64(roomId), qint64(m.id), compact(m.toJson())}))
                return false;
        }
        // A counter, not the time: writes come in bursts within one millisecond.
        if (!run(db,
                 QStringLiteral("INSERT OR REPLACE INTO cached_pages (room_id, recency) "
                                "VALUES (?, (SELECT COALESCE(MAX(recency), 0) + 1 FROM cached_pages))"),
                 {qint64(roomId)}))
            return false;
        // The bound: the most recently cached rooms, within the byte budget.
        QSqlQuery q;
        if (!run(db,
                 QStringLiteral("SELECT p.room_id, COALESCE(SUM(LENGTH(m.json)), 0) FROM cached_pages p "
                                "LEFT JOIN messages m ON m.room_id = p.room_id "
                                "GROUP BY p.room_id ORDER BY p.recency DESC"),
                 {}, &q))
            return false;
        QList<qint64> evict;
        qint64 bytes = 0;
        int rooms = 0;
        while (q.next()) {
            bytes += q.value(1).toLongLong();
            if (++rooms > LocalStore::kMaxCachedRooms || bytes > LocalStore::kMaxCachedBytes)
                evict.append(q.value(0).toLongLong());
        }
        for (qint64 id : evict) {
            if (!run(db, QStringLiteral("DELETE FROM messages WHERE room_id = ?"), {id}) ||
                !run(db, QStringLiteral("DELETE FROM cached_pages WHERE room_id = ?"), {id}))
                return false;
        }
        return true;
    });
}

} // namespace confab::client::store_sql
