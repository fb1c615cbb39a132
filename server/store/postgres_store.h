#pragma once

#include "store/database_url.h"
#include "store/sql_store.h"

namespace confab::server {

// The PostgreSQL dialect of SqlStore (PostgreSQL 13+, a UTF8 database): the
// QPSQL connection, its checks, its migration table, a schema lock for
// servers that start together, and message search.
//
// Search keeps the case-folded text in message_search(message_id, body), as
// SQLite does. A 3+ code point query is body LIKE '%query%' (wildcards in the
// query escaped), which a pg_trgm GIN index narrows down and which rechecks
// every candidate, so the result is the exact substring match whatever the
// index could use; 1-2 code points take SqlStore's bounded scan with
// strpos(). What the trigram index does with CJK text depends on the
// database's LC_CTYPE (not at all under C/POSIX, which open() warns about):
// docs/search.md has the measurements.
class PostgresStore final : public SqlStore {
public:
    explicit PostgresStore(const DatabaseUrl& url);

    static constexpr int kOldestServerVersion = 130000; // server_version_num of 13.0

protected:
    QString driverName() const override;
    Result<void> configureConnection(QSqlDatabase& db) override;
    Result<void> afterConnect(const QSqlDatabase& db) override;
    MigrationList migrations() const override;
    std::shared_ptr<SqlStore> makeSibling() const override;
    QString readOnlyStatement() const override;
    QString searchInsertStatement() const override;
    QString messageInsertStatement() const override;
    bool messageInsertIndexes() const override;
    Result<void> lockSchema() override;
    void unlockSchema() override;
    QString databaseLabel() const override;

    int searchIndexVersion() const override;
    QString searchDeleteStatement() const override;
    int lifecycleVersion() const override;
    int attentionVersion() const override;
    int groupsVersion() const override;
    int avatarsVersion() const override;
    int filesVersion() const override;
    Result<qint64> takeRevision() override;
    Result<void> lockRoomForChange(Id roomId) override;
    bool revisionTakenByInsert() const override;
    Result<SearchPage> searchIndexed(Id userId, const QString& folded, std::optional<Id> roomId,
                                     std::optional<Id> beforeId, int limit) override;
    TextScan textScan() const override;

private:
    DatabaseUrl m_url;
    bool m_warnedAboutCtype = false;
};

} // namespace confab::server
