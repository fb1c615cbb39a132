#include "admin/exporter.h"

#include "admin/export_tables.h"
#include "store/transaction.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlRecord>

namespace confab::server::admin {

namespace {

constexpr int kPageRows = 2'000;

QJsonValue toJson(const QVariant& value, const ExportColumn& column)
{
    if (value.isNull())
        return QJsonValue::Null;
    switch (column.type) {
    case ColumnType::Integer:
        return QJsonValue(value.toLongLong());
    case ColumnType::Text:
        return QJsonValue(value.toString());
    case ColumnType::Blob:
        return QJsonValue(QString::fromLatin1(value.toByteArray().toBase64()));
    }
    return QJsonValue::Null;
}

Result<void> writeLine(QIODevice& out, const QJsonObject& object)
{
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    line.append('\n');
    if (out.write(line) != line.size())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot write the export: %1").arg(out.errorString()));
    return {};
}

// SELECT of one page after the last key read (row values compare
// lexicographically on SQLite and PostgreSQL alike).
QString pageStatement(const ExportTable& table, bool first)
{
    const QStringList keys = table.keyNames();
    QString statement = QStringLiteral("SELECT %1 FROM %2")
                            .arg(table.columnNames().join(QStringLiteral(", ")), QLatin1String(table.name));
    if (!first) {
        QStringList placeholders;
        for (int i = 0; i < keys.size(); ++i)
            placeholders.append(QStringLiteral(":k%1").arg(i));
        statement += QStringLiteral(" WHERE (%1) > (%2)")
                         .arg(keys.join(QStringLiteral(", ")), placeholders.join(QStringLiteral(", ")));
    }
    return statement + QStringLiteral(" ORDER BY %1 LIMIT %2")
                           .arg(keys.join(QStringLiteral(", ")))
                           .arg(table.pageRows > 0 ? table.pageRows : kPageRows);
}

Result<qint64> exportTable(const QSqlDatabase& db, const ExportTable& table, QIODevice& out)
{
    const QStringList columns = table.columnNames();
    QList<int> keyIndexes;
    for (const QString& key : table.keyNames())
        keyIndexes.append(int(columns.indexOf(key)));
    const QString first = pageStatement(table, true);
    const QString next = pageStatement(table, false);
    QList<QVariant> lastKey;
    qint64 written = 0;
    for (;;) {
        QList<QPair<QString, QVariant>> binds;
        for (int i = 0; i < lastKey.size(); ++i)
            binds.append({QStringLiteral(":k%1").arg(i), lastKey.at(i)});
        // run() executes unprepared when there is nothing to bind.
        auto page = run(db, lastKey.isEmpty() ? first : next, binds,
                        QStringLiteral("reading %1").arg(QLatin1String(table.name)));
        if (!page)
            return page.error();
        int rows = 0;
        while (page->next()) {
            QJsonArray values;
            for (std::size_t i = 0; i < table.columnCount; ++i)
                values.append(toJson(page->value(int(i)), table.columns[i]));
            if (Result<void> wrote = writeLine(out, {{QStringLiteral("table"), QLatin1String(table.name)},
                                                     {QStringLiteral("row"), values}});
                !wrote)
                return wrote.error();
            lastKey.clear();
            for (int index : std::as_const(keyIndexes))
                lastKey.append(page->value(index));
            ++rows;
        }
        written += rows;
        if (rows < (table.pageRows > 0 ? table.pageRows : kPageRows))
            return written;
    }
}

// Tables that are deliberately not exported (export_tables.h says why).
bool isDerivedOrBookkeeping(const QString& table)
{
    // revision_counter: derived (the highest revision; the importer sets it).
    return table == QLatin1String("schema_version") || table == QLatin1String("cluster_events") ||
           table == QLatin1String("revision_counter") ||
           table.startsWith(QLatin1String("message_search")) || table.startsWith(QLatin1String("sqlite_"));
}

// Every table and column of the database is either in the export list or
// deliberately left out: a migration that adds one without a line in
// export_tables.cpp makes the export fail instead of silently losing data.
Result<void> checkCoverage(const QSqlDatabase& db)
{
    const QStringList tables = db.tables(QSql::Tables);
    for (const QString& name : tables) {
        if (isDerivedOrBookkeeping(name))
            continue;
        const ExportTable* table = findExportTable(name);
        if (!table)
            return makeError(ErrorCode::Internal,
                             QStringLiteral("the table %1 is not in the export format "
                                            "(server/admin/export_tables.cpp): refusing to leave it out")
                                 .arg(name));
        const QSqlRecord record = db.record(name);
        for (int i = 0; i < record.count(); ++i) {
            if (!table->column(record.fieldName(i)))
                return makeError(ErrorCode::Internal,
                                 QStringLiteral("the column %1.%2 is not in the export format "
                                                "(server/admin/export_tables.cpp): refusing to leave it out")
                                     .arg(name, record.fieldName(i)));
        }
    }
    return {};
}

} // namespace

Result<TableCounts> exportDatabase(const AdminConnection& source, QIODevice& out,
                                   const ExportOptions& options)
{
    Result<int> version = source.schemaVersion();
    if (!version)
        return version.error();
    if (version.value() == 0)
        return makeError(ErrorCode::BadRequest, QStringLiteral("the database has no Confab schema"));
    if (version.value() != source.latestSchemaVersion())
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("the database is at schema version %1 and this confab-server expects %2: "
                           "export it with the confab-server version that uses it")
                .arg(version.value())
                .arg(source.latestSchemaVersion()));

    if (Result<void> covered = checkCoverage(source.db()); !covered)
        return covered.error();

    // One snapshot for every table: a SQLite read transaction holds its WAL
    // snapshot from the first SELECT to the end; PostgreSQL's REPEATABLE READ
    // one from the first statement.
    auto transaction = Transaction::begin(
        source.db(), source.isPostgres() ? QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                                         : QStringLiteral("BEGIN DEFERRED"));
    if (!transaction)
        return transaction.error();

    QJsonObject tables;
    for (const ExportTable* table = exportTablesBegin(); table != exportTablesEnd(); ++table) {
        if (!table->sessions || options.withSessions)
            tables.insert(QLatin1String(table->name), QJsonArray::fromStringList(table->columnNames()));
    }
    const QJsonObject header{
        {QStringLiteral("format"), QLatin1String(kExportFormatName)},
        {QStringLiteral("format_version"), kExportFormatVersion},
        {QStringLiteral("schema_version"), version.value()},
        {QStringLiteral("backend"), source.backendName()},
        {QStringLiteral("exported_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("tables"), tables},
    };
    if (Result<void> wrote = writeLine(out, header); !wrote)
        return wrote.error();

    TableCounts counts;
    for (const ExportTable* table = exportTablesBegin(); table != exportTablesEnd(); ++table) {
        if (table->sessions && !options.withSessions)
            continue;
        Result<qint64> rows = exportTable(source.db(), *table, out);
        if (!rows)
            return rows.error();
        counts.insert(QLatin1String(table->name), rows.value());
    }
    QJsonObject footerCounts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        footerCounts.insert(it.key(), it.value());
    if (Result<void> wrote =
            writeLine(out, {{QStringLiteral("end"), true}, {QStringLiteral("counts"), footerCounts}});
        !wrote)
        return wrote.error();
    return counts;
}

} // namespace confab::server::admin
