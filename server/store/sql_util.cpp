#include "store/sql_util.h"

#include "protocol/attention.h"

#include "protocol/validation.h"
#include "store/store_log.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>

namespace confab::server::sql {

IdList idList(const QList<Id>& ids)
{
    Q_ASSERT(ids.size() <= kIdListMax);
    // Bind names must outlive the binds: built once.
    static const QList<QByteArray> kNames = [] {
        QList<QByteArray> names;
        for (int i = 0; i < kIdListMax; ++i)
            names.append(":i" + QByteArray::number(i));
        return names;
    }();
    IdList list;
    QStringList names;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        names.append(QString::fromLatin1(kNames.at(i)));
        list.binds.append({kNames.at(i).constData(), ids.at(i)});
    }
    list.placeholders = names.join(QLatin1String(", "));
    return list;
}

Error queryError(const QSqlQuery& query, const char* what)
{
    const QSqlError error = query.lastError();
    qCWarning(lcSqlStore).noquote() << "SQL error while" << what << "-" << error.text() << "(native code"
                                    << error.nativeErrorCode() << ") in:" << query.lastQuery();
    return makeError(ErrorCode::Internal, QStringLiteral("database error while %1").arg(QLatin1String(what)));
}

Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& statement, const QList<Bind>& binds,
                       const char* what)
{
    if (!db.isOpen()) {
        qCWarning(lcSqlStore) << "store used while not open, while" << what;
        return makeError(ErrorCode::Internal, QStringLiteral("the database is not open"));
    }
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(statement))
        return queryError(query, what);
    for (const Bind& bind : binds)
        query.bindValue(QLatin1String(bind.name), bind.value);
    if (!query.exec())
        return queryError(query, what);
    return query;
}

Statement::Statement(const QSqlDatabase& db, QString statement, const char* what)
    : m_db(db)
    , m_statement(std::move(statement))
    , m_what(what)
    , m_query(db)
{
    m_query.setForwardOnly(true);
}

Result<QSqlQuery*> Statement::exec(const QList<Bind>& binds)
{
    if (!m_db.isOpen()) {
        qCWarning(lcSqlStore) << "store used while not open, while" << m_what;
        return makeError(ErrorCode::Internal, QStringLiteral("the database is not open"));
    }
    if (!m_prepared) {
        if (!m_query.prepare(m_statement))
            return queryError(m_query, m_what);
        m_prepared = true;
    }
    m_query.finish();
    for (const Bind& bind : binds)
        m_query.bindValue(QLatin1String(bind.name), bind.value);
    if (!m_query.exec())
        return queryError(m_query, m_what);
    return &m_query;
}

void Statement::finish()
{
    if (m_prepared)
        m_query.finish();
}

Result<void> execUnprepared(const QSqlDatabase& db, const QString& statement, const char* what)
{
    if (!db.isOpen()) {
        qCWarning(lcSqlStore) << "store used while not open, while" << what;
        return makeError(ErrorCode::Internal, QStringLiteral("the database is not open"));
    }
    QSqlQuery query(db);
    if (!query.exec(statement))
        return queryError(query, what);
    return {};
}

QString likeEscaped(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            escaped.append(QLatin1Char('\\'));
        escaped.append(c);
    }
    return escaped;
}

Result<void> backfillSearchIndex(const QSqlDatabase& db, const QString& insertStatement)
{
    constexpr int kBatch = 1'000;
    qint64 after = 0;
    for (;;) {
        QList<QPair<qint64, QString>> batch;
        auto rows = exec(
            db, QStringLiteral("SELECT id, content FROM messages WHERE id > :after ORDER BY id LIMIT :limit"),
            {{":after", after}, {":limit", kBatch}}, "reading messages to index");
        if (!rows)
            return rows.error();
        while (rows->next())
            batch.append({rows->value(0).toLongLong(), rows->value(1).toString()});
        rows->finish();
        if (batch.isEmpty())
            return {};
        for (const auto& [id, content] : std::as_const(batch)) {
            auto indexed = exec(db, insertStatement, {{":id", id}, {":body", validation::foldCase(content)}},
                                "indexing a message");
            if (!indexed)
                return indexed.error();
        }
        after = batch.constLast().first;
    }
}

Result<void> backfillRoomNameFolds(const QSqlDatabase& db)
{
    QList<QPair<qint64, QString>> groups;
    auto rows = exec(db, QStringLiteral("SELECT id, name FROM rooms WHERE type = 'group' ORDER BY id"), {},
                     "reading group names to fold");
    if (!rows)
        return rows.error();
    while (rows->next())
        groups.append({rows->value(0).toLongLong(), rows->value(1).toString()});
    rows->finish(); // a QPSQL forward-only result is lost by the next statement
    for (const auto& [id, name] : std::as_const(groups)) {
        auto folded = exec(db, QStringLiteral("UPDATE rooms SET name_fold = :fold WHERE id = :id"),
                           {{":fold", validation::foldCase(name)}, {":id", id}}, "folding a group name");
        if (!folded)
            return folded.error();
    }
    return {};
}

QVariant nullableId(std::optional<Id> id)
{
    return id ? QVariant(qlonglong(*id)) : QVariant(QMetaType::fromType<qlonglong>());
}

QVariant nullableTime(std::optional<qint64> at)
{
    return at ? QVariant(qlonglong(*at)) : QVariant(QMetaType::fromType<qlonglong>());
}

User userFromRow(const QSqlQuery& query, int first)
{
    User user;
    user.id = query.value(first).toLongLong();
    user.username = query.value(first + 1).toString();
    user.displayName = query.value(first + 2).toString();
    user.lastSeenAt = query.value(first + 3).toLongLong();
    user.status = userStatusFromName(query.value(first + 4).toString()).value_or(UserStatus::Available);
    user.statusText = query.value(first + 5).toString();
    user.avatarId = query.value(first + 6).toString();
    user.online = false;
    return user;
}

QString userColumns(bool attention, bool avatars)
{
    const QString avatar = avatars ? QStringLiteral(", COALESCE(u.avatar_id, '')") : QStringLiteral(", ''");
    return (attention
                ? QStringLiteral("u.id, u.username, u.display_name, u.last_seen_at, u.status, u.status_text")
                : QStringLiteral("u.id, u.username, u.display_name, u.last_seen_at, 'available', ''")) +
           avatar;
}

Message messageFromRow(const QSqlQuery& query, int first)
{
    Message message;
    message.id = query.value(first).toLongLong();
    message.roomId = query.value(first + 1).toLongLong();
    message.senderId = query.value(first + 2).toLongLong();
    message.content = query.value(first + 3).toString();
    message.mentions = mentionsFromJson(query.value(first + 4).toString());
    message.tempId = query.value(first + 5).toString();
    if (!query.isNull(first + 6))
        message.replyTo = query.value(first + 6).toLongLong();
    message.createdAt = query.value(first + 7).toLongLong();
    if (!query.isNull(first + 8))
        message.editedAt = query.value(first + 8).toLongLong();
    message.deleted = query.value(first + 9).toLongLong() != 0;
    return message;
}

QString mentionsToJson(const QList<Mention>& mentions)
{
    QJsonArray array;
    for (const Mention& mention : mentions)
        array.append(mention.toJson());
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<Mention> mentionsFromJson(const QString& json)
{
    QList<Mention> mentions;
    const QJsonArray array = QJsonDocument::fromJson(json.toUtf8()).array();
    for (const QJsonValue& value : array) {
        Result<Mention> mention = Mention::fromJson(value.toObject());
        if (mention)
            mentions.append(mention.value());
        else
            qCWarning(lcSqlStore) << "skipping an unreadable stored mention:" << mention.error().message;
    }
    return mentions;
}

} // namespace confab::server::sql
