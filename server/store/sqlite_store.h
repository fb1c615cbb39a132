#pragma once

#include "store/sql_store.h"

namespace confab::server {

// The SQLite dialect of SqlStore: the file, its pragmas, its migration table
// and message search over an FTS5 trigram index: a 3+ code point query is an
// FTS5 phrase query over the trigram index, which is an exact
// case-insensitive substring match in any script (Chinese included). Shorter
// queries take SqlStore's bounded scan, with instr() over the folded text the
// FTS table already stores.
class SqliteStore final : public SqlStore {
public:
    // `path` of the database file; its directory is created when missing.
    explicit SqliteStore(const QString& path);

protected:
    QString driverName() const override;
    Result<void> configureConnection(QSqlDatabase& db) override;
    Result<void> afterConnect(const QSqlDatabase& db) override;
    MigrationList migrations() const override;
    std::shared_ptr<SqlStore> makeSibling() const override;
    QString readOnlyStatement() const override;
    QString searchInsertStatement() const override;
    QString beginStatement() const override;

    int searchIndexVersion() const override;
    QString searchDeleteStatement() const override;
    int lifecycleVersion() const override;
    int attentionVersion() const override;
    int groupsVersion() const override;
    int avatarsVersion() const override;
    int filesVersion() const override;
    Result<qint64> takeRevision() override;
    Result<SearchPage> searchIndexed(Id userId, const QString& folded, std::optional<Id> roomId,
                                     std::optional<Id> beforeId, int limit) override;
    TextScan textScan() const override;

private:
    QString m_path;
};

} // namespace confab::server
