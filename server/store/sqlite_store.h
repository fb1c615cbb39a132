#pragma once

#include "store/sql_store.h"

#include <QElapsedTimer>

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

    std::shared_ptr<Store> makeCheckpointer() const override;
    Result<void> stopAutoCheckpoints() override;
    int upkeepIntervalMs() const override;
    bool runUpkeep() override;
    int commitDelayUs() const override;

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
    bool indexesLater() const override;
    Result<std::optional<Id>> searchIndexedThrough() override;

private:
    bool checkpoint();
    void restartLog();
    // One batch of the messages after indexed_through into the index; true
    // when more are waiting.
    bool catchUpSearchIndex();
    Result<bool> indexBatch(Id through, int batch);

    QString m_path;
    bool m_checkpointer = false; // makeCheckpointer(): checkpoints, nothing else
    bool m_restartsLog = false;  // a writer after stopAutoCheckpoints() (only the main one has upkeep)
    QElapsedTimer m_sinceLogRestart;
};

} // namespace confab::server
