#include "admin/importer.h"

#include "admin/export_tables.h"
#include "admin/table_writer.h"
#include "protocol/validation.h"
#include "store/sql_util.h"
#include "store/transaction.h"
#include "store/username_keys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>

#include <map>
#include <memory>

namespace confab::server::admin {

namespace {

Error formatError(qint64 line, const QString& message)
{
    return makeError(ErrorCode::BadRequest, QStringLiteral("line %1: %2").arg(line).arg(message));
}

Result<QVariant> fromJson(const QJsonValue& value, const ExportColumn& column)
{
    if (value.isNull()) {
        if (!column.nullable)
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("%1 may not be null").arg(QLatin1String(column.name)));
        return column.type == ColumnType::Integer ? QVariant(QMetaType::fromType<qlonglong>())
                                                  : QVariant(QMetaType::fromType<QString>());
    }
    switch (column.type) {
    case ColumnType::Integer: {
        const double number = value.toDouble();
        if (!value.isDouble() || number != double(qint64(number)))
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("%1 must be an integer").arg(QLatin1String(column.name)));
        return QVariant(qlonglong(value.toInteger()));
    }
    case ColumnType::Text:
        if (!value.isString())
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("%1 must be a string").arg(QLatin1String(column.name)));
        return QVariant(value.toString());
    case ColumnType::Blob: {
        auto decoded = QByteArray::fromBase64Encoding(value.toString().toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!value.isString() || !decoded)
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("%1 must be base64").arg(QLatin1String(column.name)));
        return QVariant(*decoded);
    }
    }
    return makeError(ErrorCode::BadRequest, QStringLiteral("unknown column type"));
}

// Checks the header and prepares a writer per table it lists.
Result<std::map<QString, TableWriter>> readHeader(const QJsonObject& header, const AdminConnection& target)
{
    if (header.value(QStringLiteral("format")).toString() != QLatin1String(kExportFormatName))
        return formatError(1, QStringLiteral("not a Confab export (no \"format\": \"%1\" header)")
                                  .arg(QLatin1String(kExportFormatName)));
    const int version = header.value(QStringLiteral("format_version")).toInt();
    if (version < 1 || version > kExportFormatVersion)
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("the export has format version %1; this confab-server reads up to %2: "
                           "import it with a newer confab-server")
                .arg(header.value(QStringLiteral("format_version")).toVariant().toString())
                .arg(kExportFormatVersion));
    const QJsonObject tables = header.value(QStringLiteral("tables")).toObject();
    std::map<QString, TableWriter> writers;
    for (auto it = tables.constBegin(); it != tables.constEnd(); ++it) {
        const ExportTable* table = findExportTable(it.key());
        if (!table)
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("the export has a table \"%1\" this confab-server does not know: "
                                            "import it with the version that exported it or a newer one")
                                 .arg(it.key()));
        QList<const ExportColumn*> columns;
        QStringList names;
        for (const QJsonValue& name : it.value().toArray()) {
            const ExportColumn* column = table->column(name.toString());
            if (!column)
                return makeError(
                    ErrorCode::BadRequest,
                    QStringLiteral("the export has a column \"%1.%2\" this confab-server does not "
                                   "know: import it with a newer confab-server")
                        .arg(it.key(), name.toString()));
            columns.append(column);
            names.append(name.toString());
        }
        for (const QString& key : table->keyNames()) {
            if (!names.contains(key))
                return makeError(
                    ErrorCode::BadRequest,
                    QStringLiteral("the export's table %1 lacks its key column %2").arg(it.key(), key));
        }
        writers.emplace(it.key(), TableWriter(target, *table, columns));
    }
    return writers;
}

Result<void> addRow(TableWriter& writer, const QJsonArray& row, qint64 line)
{
    const auto& columns = writer.columns();
    if (row.size() != columns.size())
        return formatError(line, QStringLiteral("%1 values for %2 columns of %3")
                                     .arg(row.size())
                                     .arg(columns.size())
                                     .arg(QLatin1String(writer.table().name)));
    QList<QVariant> values;
    values.reserve(row.size());
    for (int i = 0; i < row.size(); ++i) {
        Result<QVariant> value = fromJson(row.at(i), *columns.at(i));
        if (!value)
            return formatError(line, QStringLiteral("%1: %2").arg(QLatin1String(writer.table().name),
                                                                  value.error().message));
        values.append(value.value());
    }
    return writer.add(values, line);
}

// Moves each PostgreSQL identity past the highest imported id, so the next
// row the server inserts gets a fresh one.
Result<void> advanceSequences(const AdminConnection& target)
{
    for (const ExportTable* table = exportTablesBegin(); table != exportTablesEnd(); ++table) {
        if (!table->identity)
            continue;
        auto moved = run(target.db(),
                         QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), "
                                        "COALESCE((SELECT MAX(id) FROM %1), 0) + 1, false)")
                             .arg(QLatin1String(table->name)),
                         {}, QStringLiteral("moving the id sequence of %1").arg(QLatin1String(table->name)));
        if (!moved)
            return moved.error();
    }
    return {};
}

// Revisions (format 3): an older export has none, so its messages start at
// their id, as the lifecycle migration does; then the counter (SQLite) or
// sequence (PostgreSQL) moves past the highest, so new changes rise above
// every imported revision and fetch_changes stays right.
Result<void> advanceRevisions(const AdminConnection& target)
{
    auto unset = run(target.db(), QStringLiteral("UPDATE messages SET revision = id WHERE revision = 0"), {},
                     QStringLiteral("giving messages a revision"));
    if (!unset)
        return unset.error();
    auto moved = run(target.db(),
                     target.isPostgres()
                         ? QStringLiteral("SELECT setval('message_revisions', "
                                          "GREATEST((SELECT COALESCE(MAX(revision), 0) FROM messages), 1))")
                         : QStringLiteral("UPDATE revision_counter SET value = "
                                          "(SELECT COALESCE(MAX(revision), 0) FROM messages) WHERE id = 1"),
                     {}, QStringLiteral("moving the revision counter"));
    if (!moved)
        return moved.error();
    return {};
}

Result<void> verifyCounts(const AdminConnection& target, const QJsonObject& expected,
                          const std::map<QString, TableWriter>& writers)
{
    for (const auto& [name, writer] : writers) {
        const qint64 promised = expected.value(name).toInteger(-1);
        auto counted = run(target.db(), QStringLiteral("SELECT COUNT(*) FROM %1").arg(name), {},
                           QStringLiteral("counting %1").arg(name));
        if (!counted)
            return counted.error();
        const qint64 stored = counted->next() ? counted->value(0).toLongLong() : -1;
        if (promised != writer.rows() || stored != writer.rows())
            return makeError(
                ErrorCode::BadRequest,
                QStringLiteral("table %1: the footer says %2 rows, the file had %3, the database "
                               "now holds %4")
                    .arg(name)
                    .arg(promised)
                    .arg(writer.rows())
                    .arg(stored));
    }
    return {};
}

// The search index is derived: rebuilt from the imported messages with this
// server's case folding, a page of messages at a time, written in multi-row
// batches like the tables (TableWriter over the index's two columns).
Result<void> rebuildSearchIndex(const AdminConnection& target)
{
    static const ExportColumn kPostgresColumns[] = {{"message_id", ColumnType::Integer},
                                                    {"body", ColumnType::Text}};
    static const ExportColumn kSqliteColumns[] = {{"rowid", ColumnType::Integer}, {"body", ColumnType::Text}};
    const ExportColumn* columns = target.isPostgres() ? kPostgresColumns : kSqliteColumns;
    const ExportTable index{"message_search", columns, 2, columns[0].name, false, false};
    TableWriter insert(target, index, {&columns[0], &columns[1]});

    constexpr int kPage = 1'000;
    sql::Statement read(target.db(),
                        // System messages (format 5) have no text to find: never in the index.
                        QStringLiteral("SELECT id, content FROM messages WHERE id > :after AND kind = 'text' "
                                       "ORDER BY id LIMIT :limit"),
                        "reading messages to index");
    qint64 after = 0;
    for (;;) {
        // Read the page out first: a QPSQL result is lost when the
        // connection runs another statement.
        QList<QPair<qint64, QString>> page;
        auto rows = read.exec({{":after", after}, {":limit", kPage}});
        if (!rows)
            return rows.error();
        while (rows.value()->next())
            page.append({rows.value()->value(0).toLongLong(), rows.value()->value(1).toString()});
        read.finish();
        if (page.isEmpty())
            break;
        for (const auto& [id, content] : std::as_const(page)) {
            // The "line" in an error is the message id.
            if (Result<void> added = insert.add({qlonglong(id), validation::foldCase(content)}, id); !added)
                return added.error();
        }
        if (Result<void> flushed = insert.flush(); !flushed)
            return flushed.error();
        after = page.constLast().first;
    }
    insert.finish();
    if (target.isPostgres())
        return {};
    // SQLite indexes new messages after their commit (issue 17): these are in.
    auto through = run(target.db(),
                       QStringLiteral("UPDATE message_search_progress SET indexed_through = "
                                      "(SELECT COALESCE(MAX(id), 0) FROM messages)"),
                       {}, QStringLiteral("recording how far messages are indexed"));
    if (!through)
        return through.error();
    return {};
}

// Groups (format 5): an older export has no roles, so, as the schema
// migration does, each group's owner (rooms.owner_id) becomes its owner and
// everyone else a member, holding the role since joining. The folded names
// the public directory filters on are derived, like the search index: made
// with the importing server's case folding whatever the format.
Result<void> deriveGroupColumns(const AdminConnection& target, int formatVersion)
{
    if (formatVersion < 5) {
        for (const QString& statement :
             {QStringLiteral("UPDATE members SET role_since = joined_at"),
              QStringLiteral("UPDATE members SET role = 'owner' WHERE EXISTS (SELECT 1 FROM rooms r "
                             "WHERE r.id = members.room_id AND r.type = 'group' "
                             "AND r.owner_id = members.user_id)")}) {
            auto set = run(target.db(), statement, {}, QStringLiteral("giving group members their roles"));
            if (!set)
                return set.error();
        }
    }
    return sql::backfillRoomNameFolds(target.db());
}

} // namespace

Result<void> requireEmpty(const AdminConnection& target)
{
    QStringList tables{QStringLiteral("message_search")};
    for (const ExportTable* table = exportTablesBegin(); table != exportTablesEnd(); ++table)
        tables.append(QLatin1String(table->name));
    for (const QString& table : std::as_const(tables)) {
        auto any = run(target.db(), QStringLiteral("SELECT 1 FROM %1 LIMIT 1").arg(table), {},
                       QStringLiteral("looking into %1").arg(table));
        if (!any)
            return any.error();
        if (any->next())
            return makeError(
                ErrorCode::Conflict,
                QStringLiteral("the target database is not empty (table %1 has rows): import only "
                               "into a new, empty database")
                    .arg(table));
    }
    return {};
}

Result<TableCounts> importDatabase(const AdminConnection& target, QIODevice& in)
{
    if (Result<void> empty = requireEmpty(target); !empty)
        return empty.error();
    auto transaction = Transaction::begin(
        target.db(), target.isPostgres() ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN IMMEDIATE"));
    if (!transaction)
        return transaction.error();

    std::map<QString, TableWriter> writers;
    TableWriter* current = nullptr;
    QJsonObject footer;
    qint64 line = 0;
    int formatVersion = 0;
    for (;;) {
        const QByteArray text = in.readLine(); // empty only at the end: lines keep their '\n'
        if (text.isEmpty())
            break;
        ++line;
        if (!footer.isEmpty())
            return formatError(line, QStringLiteral("data after the end marker"));
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
        if (!document.isObject())
            return formatError(line,
                               QStringLiteral("not a JSON object (%1): the file is damaged or cut short")
                                   .arg(parseError.errorString()));
        const QJsonObject object = document.object();
        if (line == 1) {
            auto header = readHeader(object, target);
            if (!header)
                return header.error();
            writers = std::move(header.value());
            formatVersion = object.value(QStringLiteral("format_version")).toInt();
            continue;
        }
        if (object.value(QStringLiteral("end")).toBool()) {
            footer = object.value(QStringLiteral("counts")).toObject();
            if (footer.isEmpty())
                footer.insert(QStringLiteral("-"), 0); // an end marker without counts still ends
            continue;
        }
        const auto writer = writers.find(object.value(QStringLiteral("table")).toString());
        if (writer == writers.end())
            return formatError(line, QStringLiteral("a row of a table the header does not list"));
        // Another table's rows start: the previous table's go in first
        // (parents before children, for the foreign keys).
        if (current && current != &writer->second) {
            if (Result<void> flushed = current->flush(); !flushed)
                return flushed.error();
        }
        current = &writer->second;
        if (Result<void> added = addRow(writer->second, object.value(QStringLiteral("row")).toArray(), line);
            !added)
            return added.error();
    }
    if (line == 0)
        return makeError(ErrorCode::BadRequest, QStringLiteral("the export is empty"));
    if (footer.isEmpty())
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("the export ends without its end marker after line %1: it was cut short")
                .arg(line));
    if (current) {
        if (Result<void> flushed = current->flush(); !flushed)
            return flushed.error();
    }
    for (auto& [name, writer] : writers)
        writer.finish(); // a SQLite statement must be finished before COMMIT
    if (Result<void> verified = verifyCounts(target, footer, writers); !verified)
        return verified.error();

    if (Result<void> indexed = rebuildSearchIndex(target); !indexed)
        return indexed.error();
    if (Result<void> groups = deriveGroupColumns(target, formatVersion); !groups)
        return groups.error();
    // Username keys are derived too: an older export carries the old ones.
    if (Result<void> renamed = sql::renormalizeUsernames(target.db()); !renamed)
        return renamed.error();
    if (target.isPostgres()) {
        if (Result<void> advanced = advanceSequences(target); !advanced)
            return advanced.error();
    }
    if (Result<void> revised = advanceRevisions(target); !revised)
        return revised.error();
    if (Result<void> committed = transaction->commit(); !committed)
        return committed.error();
    TableCounts counts;
    for (const auto& [name, writer] : writers)
        counts.insert(name, writer.rows());
    return counts;
}

} // namespace confab::server::admin
