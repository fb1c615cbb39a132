#include "admin/table_writer.h"

#include <QSqlError>

namespace confab::server::admin {

TableWriter::TableWriter(const AdminConnection& target, const ExportTable& table,
                         QList<const ExportColumn*> columns)
    : m_target(&target)
    , m_table(&table)
    , m_columns(std::move(columns))
{}

Result<QSqlQuery*> TableWriter::statementFor(int rowCount)
{
    std::unique_ptr<QSqlQuery>& slot = rowCount == kBatchRows ? m_full : m_partial;
    if (slot && (rowCount == kBatchRows || m_partialRows == rowCount))
        return slot.get();
    QStringList names;
    for (const ExportColumn* column : std::as_const(m_columns))
        names.append(QLatin1String(column->name));
    QStringList rows;
    for (int r = 0; r < rowCount; ++r) {
        QStringList placeholders;
        for (int c = 0; c < m_columns.size(); ++c)
            placeholders.append(QStringLiteral(":r%1c%2").arg(r).arg(c));
        rows.append(QLatin1Char('(') + placeholders.join(QStringLiteral(", ")) + QLatin1Char(')'));
    }
    // Ids keep their values; PostgreSQL's GENERATED ALWAYS needs the override.
    const QString statement =
        QStringLiteral("INSERT INTO %1 (%2)%3 VALUES %4")
            .arg(QLatin1String(m_table->name), names.join(QStringLiteral(", ")),
                 m_table->identity && m_target->isPostgres() ? QStringLiteral(" OVERRIDING SYSTEM VALUE")
                                                             : QString(),
                 rows.join(QStringLiteral(", ")));
    slot = std::make_unique<QSqlQuery>(m_target->db());
    if (!slot->prepare(statement))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot prepare the insert into %1: %2")
                             .arg(QLatin1String(m_table->name), slot->lastError().text()));
    if (rowCount != kBatchRows)
        m_partialRows = rowCount;
    return slot.get();
}

Result<void> TableWriter::add(const QList<QVariant>& values, qint64 line)
{
    if (m_pending.isEmpty())
        m_firstPendingLine = line;
    m_lastPendingLine = line;
    m_pending.append(values);
    if (m_pending.size() >= kBatchRows * m_columns.size())
        return flush();
    return {};
}

Result<void> TableWriter::flush()
{
    if (m_pending.isEmpty())
        return {};
    const int rowCount = int(m_pending.size() / m_columns.size());
    Result<QSqlQuery*> insert = statementFor(rowCount);
    if (!insert)
        return insert.error();
    QSqlQuery* query = insert.value();
    for (int r = 0; r < rowCount; ++r) {
        for (int c = 0; c < m_columns.size(); ++c)
            query->bindValue(int(r * m_columns.size() + c), m_pending.at(r * m_columns.size() + c));
    }
    if (!query->exec()) {
        return makeError(ErrorCode::BadRequest,
                         QStringLiteral("lines %1-%2: cannot insert into %3: %4")
                             .arg(m_firstPendingLine)
                             .arg(m_lastPendingLine)
                             .arg(QLatin1String(m_table->name), query->lastError().text().trimmed()));
    }
    query->finish();
    m_rows += rowCount;
    m_pending.clear();
    return {};
}

void TableWriter::finish()
{
    m_full.reset();
    m_partial.reset();
}

} // namespace confab::server::admin
