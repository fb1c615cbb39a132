#pragma once

#include "protocol/result.h"

#include <QSqlDatabase>
#include <QString>

namespace confab::server {

class ChangeJournal;

// One database transaction, RAII style: it rolls back when it goes out of scope
// unless commit() succeeded, so every early `return error;` leaves nothing
// behind. Movable, not copyable. Transactions do not nest.
class Transaction {
public:
    // Starts a transaction with `beginStatement` ("BEGIN", or SQLite's
    // "BEGIN IMMEDIATE" to take the write lock up front, so the busy timeout
    // applies instead of a failed lock upgrade mid-transaction).
    // With a journal, the changes staged there meanwhile become committed
    // when commit() succeeds and are dropped on rollback (change_journal.h).
    static Result<Transaction> begin(const QSqlDatabase& db, const QString& beginStatement,
                                     ChangeJournal* journal = nullptr);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&& other) noexcept;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    // Makes the writes durable. After a failed commit the transaction has
    // been rolled back; Internal error.
    Result<void> commit();

    // Called (on the committing thread) with the duration of every successful
    // COMMIT, for the server's metrics; the store itself knows no metrics.
    // Set once at start-up, before any store thread runs.
    static void setCommitObserver(void (*observer)(qint64 nanoseconds));
    // Explicit early rollback (the destructor does the same).
    void rollback();

    // Savepoints let one part of a transaction fail alone (group commit: one
    // bad message of a batch must not take the others down; on PostgreSQL a
    // failed statement otherwise aborts the whole transaction). One level:
    // savepoint(), then either releaseSavepoint() to keep the work since, or
    // rollbackToSavepoint() to undo it and go on. An error from either means
    // the transaction itself is broken: roll it back.
    Result<void> savepoint();
    Result<void> releaseSavepoint();
    Result<void> rollbackToSavepoint();

    bool isActive() const { return m_active; }

private:
    Transaction(const QSqlDatabase& db, ChangeJournal* journal)
        : m_db(db)
        , m_journal(journal)
        , m_active(true)
    {}

    QSqlDatabase m_db;
    ChangeJournal* m_journal = nullptr;
    bool m_active = false;
};

} // namespace confab::server
