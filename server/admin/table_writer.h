#pragma once

#include "admin/admin_connection.h"
#include "admin/export_tables.h"

#include <QList>
#include <QSqlQuery>
#include <QVariant>

#include <memory>

namespace confab::server::admin {

// Inserts the rows of one table for an import, kBatchRows at a time in one
// multi-row INSERT (one prepared statement, bound values): a round trip per
// batch instead of per row, which is what makes PostgreSQL imports quick.
// Memory: at most one batch of values.
class TableWriter {
public:
    static constexpr int kBatchRows = 100;

    TableWriter(const AdminConnection& target, const ExportTable& table, QList<const ExportColumn*> columns);

    const ExportTable& table() const { return *m_table; }
    const QList<const ExportColumn*>& columns() const { return m_columns; }
    // Rows stored so far (not counting a batch still pending).
    qint64 rows() const { return m_rows; }

    // Queues one row (values in columns() order) read from `line`; inserts
    // the batch once it is full.
    Result<void> add(const QList<QVariant>& values, qint64 line);
    // Inserts what is queued: before another table's rows (parents first)
    // and at the end.
    Result<void> flush();
    // Drops the prepared statements (SQLite: before COMMIT).
    void finish();

private:
    Result<QSqlQuery*> statementFor(int rowCount);

    const AdminConnection* m_target;
    const ExportTable* m_table;
    QList<const ExportColumn*> m_columns;
    QList<QVariant> m_pending; // rowCount * columns, row after row
    qint64 m_firstPendingLine = 0;
    qint64 m_lastPendingLine = 0;
    qint64 m_rows = 0;
    std::unique_ptr<QSqlQuery> m_full;    // kBatchRows rows
    std::unique_ptr<QSqlQuery> m_partial; // the last, shorter batch
    int m_partialRows = 0;
};

} // namespace confab::server::admin
