#include "store/transaction.h"

#include "store/store_log.h"

#include <QSqlError>
#include <QSqlQuery>

#include <utility>

namespace confab::server {

Result<Transaction> Transaction::begin(const QSqlDatabase& db, const QString& beginStatement)
{
    QSqlQuery query(db);
    if (!query.exec(beginStatement)) {
        qCWarning(lcSqlStore) << "cannot begin a transaction:" << query.lastError().text();
        return makeError(ErrorCode::Internal, QStringLiteral("database error while beginning a transaction"));
    }
    return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(std::move(other.m_db))
    , m_active(std::exchange(other.m_active, false))
{}

Transaction& Transaction::operator=(Transaction&& other) noexcept
{
    if (this != &other) {
        rollback();
        m_db = std::move(other.m_db);
        m_active = std::exchange(other.m_active, false);
    }
    return *this;
}

Transaction::~Transaction()
{
    rollback();
}

Result<void> Transaction::commit()
{
    if (!m_active)
        return makeError(ErrorCode::Internal, QStringLiteral("commit of a transaction that is not active"));
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("COMMIT"))) {
        qCWarning(lcSqlStore) << "commit failed, rolling back:" << query.lastError().text();
        rollback();
        return makeError(ErrorCode::Internal, QStringLiteral("database error while committing"));
    }
    m_active = false;
    return {};
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (!m_db.isOpen())
        return;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("ROLLBACK")))
        qCWarning(lcSqlStore) << "rollback failed:" << query.lastError().text();
}

} // namespace confab::server
