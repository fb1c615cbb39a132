// SqlStore: message search, the part both backends share (which path a
// query takes, and the bounded scan for 1-2 code points). Each backend
// supplies its text index in searchIndexed() and its substring test in textScan().
#include "store/sql_store.h"

#include "protocol/reply_size.h"
#include "protocol/validation.h"
#include "store/sql_util.h"

namespace confab::server {

SearchPage SqlStore::searchPage(QSqlQuery& rows, int limit)
{
    SearchPage page;
    replysize::PageBudget budget;
    while (rows.next()) {
        Message message = sql::messageFromRow(rows);
        if (page.messages.size() == limit || !budget.take(message)) {
            page.hasMore = true; // the limit+1st row, or one over the byte budget
            page.nextBeforeId = page.messages.constLast().id;
            break;
        }
        page.messages.append(std::move(message));
    }
    rows.finish();
    return page;
}

Result<SearchPage> SqlStore::searchMessages(Id userId, const QString& query, std::optional<Id> roomId,
                                            std::optional<Id> beforeId, int limit)
{
    if (openedSchemaVersion() < searchIndexVersion())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("message search needs schema version %1").arg(searchIndexVersion()));
    const QString folded = validation::foldCase(query.trimmed());
    if (folded.isEmpty())
        return SearchPage{};
    limit = qMax(limit, 1);
    Result<std::optional<Id>> through = searchIndexedThrough();
    if (!through)
        return through.error();
    Result<SearchPage> page = SearchPage{};
    if (!through->has_value()) {
        page = searchBelow(userId, folded, roomId, beforeId, limit);
    } else {
        // Newest first: the messages not indexed yet, then the index below them.
        Result<UnindexedMatches> newest = searchUnindexed(userId, folded, roomId, beforeId, limit, **through);
        if (!newest)
            return newest.error();
        QList<Message>& found = newest->messages;
        const Id indexedBelow = beforeId ? qMin(*beforeId, **through + 1) : **through + 1;
        const int left = limit - int(found.size());
        if (left < 0) { // limit + 1 found: a full page, and more
            found.removeLast();
            page = SearchPage{found, true, found.constLast().id};
        } else if (newest->scannedDownTo) {
            // A backlog longer than one scan (the index catching up): the
            // next page continues the scan, as the short-query scan does.
            page = SearchPage{found, true, newest->scannedDownTo};
        } else {
            // With the page already full, one more row only says whether there is more.
            page = searchBelow(userId, folded, roomId, indexedBelow, qMax(left, 1));
            if (page && left == 0) {
                const bool more = !page->messages.isEmpty();
                page = SearchPage{found, more, more ? std::optional<Id>(found.constLast().id) : std::nullopt};
            } else if (page) {
                page->messages = found + page->messages;
            }
        }
    }
    if (!page)
        return page;
    if (Result<void> parts = attachMessageParts(page->messages); !parts)
        return parts.error();
    if (replysize::keepWithinBudget(page->messages, replysize::PageEnd::Front)) {
        page->hasMore = true; // newest first: continue below the last one kept
        page->nextBeforeId = page->messages.constLast().id;
    }
    return page;
}

Result<SearchPage> SqlStore::searchBelow(Id userId, const QString& folded, std::optional<Id> roomId,
                                         std::optional<Id> beforeId, int limit)
{
    // Code points, not UTF-16 units: one emoji or CJK Extension B character is one.
    return folded.toUcs4().size() >= 3 ? searchIndexed(userId, folded, roomId, beforeId, limit)
                                       : searchScanning(userId, folded, roomId, beforeId, limit);
}

// The same match as the index's: the folded text contains the folded query.
Result<SqlStore::UnindexedMatches> SqlStore::searchUnindexed(Id userId, const QString& folded,
                                                             std::optional<Id> roomId,
                                                             std::optional<Id> beforeId, int limit,
                                                             Id through)
{
    QString statement = QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m "
                                       "JOIN members mb ON mb.room_id = m.room_id AND mb.user_id = :user "
                                       "WHERE m.id > :through AND m.deleted = 0 AND m.kind = 'text'");
    QList<sql::Bind> binds{{":user", userId}, {":through", through}, {":cap", m_unindexedScanCap}};
    if (beforeId) {
        statement += QLatin1String(" AND m.id < :before");
        binds.append({":before", *beforeId});
    }
    if (roomId) {
        statement += QLatin1String(" AND m.room_id = :room");
        binds.append({":room", *roomId});
    }
    statement += QLatin1String(" ORDER BY m.id DESC LIMIT :cap");
    auto rows = sql::exec(database(), statement, binds, "searching messages");
    if (!rows)
        return rows.error();
    UnindexedMatches found;
    int scanned = 0;
    while (found.messages.size() <= limit && rows->next()) {
        Message message = sql::messageFromRow(rows.value());
        if (++scanned == m_unindexedScanCap)
            found.scannedDownTo = message.id;
        if (validation::foldCase(message.content).contains(folded))
            found.messages.append(std::move(message));
    }
    rows->finish();
    return found;
}

Result<SearchPage> SqlStore::searchScanning(Id userId, const QString& folded, std::optional<Id> roomId,
                                            std::optional<Id> beforeId, int limit)
{
    // The exclusive upper bound of the ids still to scan; a beforeId above the
    // newest message must not spend the budget on ids that do not exist.
    auto newest = sql::exec(database(), QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM messages"), {},
                            "searching messages");
    if (!newest)
        return newest.error();
    qint64 high = newest->next() ? newest->value(0).toLongLong() + 1 : 1;
    newest->finish();
    if (beforeId)
        high = qMin(high, *beforeId);

    const TextScan scan = textScan();
    QString statement = QStringLiteral("SELECT " CONFAB_SQL_MESSAGE_COLUMNS " FROM messages m "
                                       "JOIN members mb ON mb.room_id = m.room_id AND mb.user_id = :user ") +
                        scan.join +
                        QLatin1String(" WHERE m.id >= :low AND m.id < :high AND m.deleted = 0 AND ") +
                        scan.contains;
    if (roomId)
        statement += QLatin1String(" AND m.room_id = :room");
    statement += QLatin1String(" ORDER BY m.id DESC LIMIT :limit");

    SearchPage page;
    replysize::PageBudget bytes;
    bool full = false; // a match did not fit in the page's bytes
    qint64 budget = m_shortQueryBudget;
    qint64 window = kShortQueryFirstWindowIds;
    while (!full && page.messages.size() <= limit && high > 1 && budget > 0) {
        const qint64 low = qMax<qint64>(1, high - qMin(window, budget));
        window = qMin(window * 2, kShortQueryWindowIds);
        QList<sql::Bind> binds{{":user", userId},
                               {":low", low},
                               {":high", high},
                               {":needle", folded},
                               {":limit", limit + 1 - page.messages.size()}};
        if (roomId)
            binds.append({":room", *roomId});
        auto rows = sql::exec(database(), statement, binds, "searching messages");
        if (!rows)
            return rows.error();
        while (rows->next()) {
            Message message = sql::messageFromRow(rows.value());
            if (page.messages.size() < limit && !bytes.take(message)) {
                full = true; // continue below the last message kept
                break;
            }
            page.messages.append(std::move(message));
        }
        rows->finish();
        budget -= high - low;
        high = low;
    }
    if (full) {
        page.hasMore = true;
        page.nextBeforeId = page.messages.constLast().id;
    } else if (page.messages.size() > limit) {
        page.messages.removeLast();
        page.hasMore = true;
        page.nextBeforeId = page.messages.constLast().id;
    } else if (high > 1) { // the budget ran out before id 1: continue below
        page.hasMore = true;
        page.nextBeforeId = high;
    }
    return page;
}

} // namespace confab::server
