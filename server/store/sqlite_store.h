#pragma once

#include "store/sql_store.h"

namespace confab::server {

// The SQLite dialect of SqlStore: the file, its pragmas, its migration table
// and message search over an FTS5 trigram index.
//
// Search. The query is case-folded and trimmed.
// - 3+ code points: an FTS5 phrase query over the trigram index, which is an
//   exact case-insensitive substring match in any script (Chinese included).
// - 1-2 code points (shorter than a trigram, so the index cannot answer): a
//   bounded scan with instr() over the folded text of the user's rooms, walking
//   message ids downward from beforeId (or the newest id) in windows of ids
//   that start at kShortQueryFirstWindowIds and double up to
//   kShortQueryWindowIds. It stops after limit+1 matches, at id 1, or when the
//   scan budget (kDefaultShortQueryScanBudget ids) is spent. If the budget ran
//   out first the page says hasMore with nextBeforeId = the lowest id scanned,
//   so a client continues exactly where the scan stopped; no message is
//   skipped or repeated.
//   Measured here (400k messages of ~35 characters, one statement per window):
//   a window sorts all its matches, so a common character fills a page from
//   the first small window in ~3 ms, where a first window of 20,000 ids took
//   ~40 ms; a rare one walks the whole budget in ~0.4-0.5 s when every scanned
//   id is in the user's rooms (~2.4 us per id), ~0.12 s when a fifth are.
class SqliteStore final : public SqlStore {
public:
    static constexpr qint64 kShortQueryFirstWindowIds = 1'000;
    static constexpr qint64 kShortQueryWindowIds = 20'000;
    static constexpr qint64 kDefaultShortQueryScanBudget = 50'000;

    // `path` of the database file; its directory is created when missing.
    explicit SqliteStore(const QString& path);

    // Ids a 1-2 character search may scan per call (tests set tiny budgets).
    void setShortQueryScanBudget(qint64 ids) { m_shortQueryBudget = qMax<qint64>(ids, 1); }
    qint64 shortQueryScanBudget() const { return m_shortQueryBudget; }

    Result<SearchPage> searchMessages(Id userId, const QString& query, std::optional<Id> roomId,
                                      std::optional<Id> beforeId, int limit) override;

protected:
    QString driverName() const override;
    Result<void> configureConnection(QSqlDatabase& db) override;
    Result<void> afterConnect(const QSqlDatabase& db) override;
    MigrationList migrations() const override;
    Result<void> indexMessageText(Id messageId, const QString& content) override;
    QString beginStatement() const override;

private:
    Result<SearchPage> searchIndexed(Id userId, const QString& folded, std::optional<Id> roomId,
                                     std::optional<Id> beforeId, int limit);
    Result<SearchPage> searchScanning(Id userId, const QString& folded, std::optional<Id> roomId,
                                      std::optional<Id> beforeId, int limit);

    QString m_path;
    qint64 m_shortQueryBudget = kDefaultShortQueryScanBudget;
};

} // namespace confab::server
