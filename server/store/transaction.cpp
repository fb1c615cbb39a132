#include "store/transaction.h"

#include "store/change_journal.h"
#include "store/store_log.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>

#include <utility>

namespace confab::server {
namespace {

// No values, and PostgreSQL cannot PREPARE savepoint commands: plain exec.
Result<void> run(const QSqlDatabase& db, const QString& statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement)) {
        qCWarning(lcSqlStore).noquote() << statement << "failed:" << query.lastError().text();
        return makeError(ErrorCode::Internal, QStringLiteral("database error in a savepoint"));
    }
    return {};
}

} // namespace

Result<Transaction> Transaction::begin(const QSqlDatabase& db, const QString& beginStatement,
                                       ChangeJournal* journal)
{
    QSqlQuery query(db);
    if (!query.exec(beginStatement)) {
        qCWarning(lcSqlStore) << "cannot begin a transaction:" << query.lastError().text();
        return makeError(ErrorCode::Internal, QStringLiteral("database error while beginning a transaction"));
    }
    if (journal)
        journal->discard(); // nothing staged outside a transaction counts
    return Transaction(db, journal);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(std::move(other.m_db))
    , m_journal(std::exchange(other.m_journal, nullptr))
    , m_active(std::exchange(other.m_active, false))
{}

Transaction& Transaction::operator=(Transaction&& other) noexcept
{
    if (this != &other) {
        rollback();
        m_db = std::move(other.m_db);
        m_journal = std::exchange(other.m_journal, nullptr);
        m_active = std::exchange(other.m_active, false);
    }
    return *this;
}

Transaction::~Transaction()
{
    rollback();
}

namespace {
void (*g_commitObserver)(qint64) = nullptr;
}

void Transaction::setCommitObserver(void (*observer)(qint64 nanoseconds))
{
    g_commitObserver = observer;
}

Result<void> Transaction::commit()
{
    if (!m_active)
        return makeError(ErrorCode::Internal, QStringLiteral("commit of a transaction that is not active"));
    QSqlQuery query(m_db);
    QElapsedTimer clock;
    clock.start();
    const bool committed = query.exec(QStringLiteral("COMMIT"));
    if (committed && g_commitObserver)
        g_commitObserver(clock.nsecsElapsed());
    if (!committed) {
        qCWarning(lcSqlStore) << "commit failed, rolling back:" << query.lastError().text();
        rollback();
        return makeError(ErrorCode::Internal, QStringLiteral("database error while committing"));
    }
    m_active = false;
    if (m_journal)
        m_journal->commit();
    return {};
}

Result<void> Transaction::savepoint()
{
    if (!m_active)
        return makeError(ErrorCode::Internal, QStringLiteral("savepoint outside a transaction"));
    if (m_journal)
        m_journal->markSavepoint();
    return run(m_db, QStringLiteral("SAVEPOINT confab_part"));
}

Result<void> Transaction::releaseSavepoint()
{
    return run(m_db, QStringLiteral("RELEASE SAVEPOINT confab_part"));
}

Result<void> Transaction::rollbackToSavepoint()
{
    // ROLLBACK TO keeps the savepoint open; release it so they do not pile up.
    if (m_journal)
        m_journal->rollbackToSavepoint();
    if (Result<void> undone = run(m_db, QStringLiteral("ROLLBACK TO SAVEPOINT confab_part")); !undone)
        return undone;
    return releaseSavepoint();
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (m_journal)
        m_journal->discard();
    if (!m_db.isOpen())
        return;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcSqlStore) << "rollback failed:" << query.lastError().text();
}

} // namespace confab::server
