#include "cluster/change_reader.h"

#include "cluster/cluster_log.h"

#include <algorithm>

namespace confab::server::cluster {

Result<QList<LoggedChange>> readVisibleChanges(ChangeCursor& cursor, const ChangeLogReads& log, qint64 now,
                                               int pageSize)
{
    QList<LoggedChange> fresh;
    const auto keep = [&](QList<LoggedChange>& rows) {
        for (LoggedChange& row : rows) {
            const bool late = row.eventId < cursor.newest();
            if (!cursor.take(row.eventId, now))
                continue; // read before, or given up
            if (late)
                qCDebug(lcCluster) << "change" << row.eventId << "became visible after a later one";
            fresh.append(std::move(row));
        }
    };
    for (;;) {
        Result<QList<LoggedChange>> page = log.after(cursor.newest(), pageSize);
        if (!page)
            return page.error();
        const qsizetype count = page.value().size();
        keep(page.value());
        if (count < pageSize)
            break;
        if (log.betweenPages)
            log.betweenPages();
    }
    // Last: the ids skipped over, including any the pages above just skipped.
    if (const QList<qint64> gaps = cursor.gaps(); !gaps.isEmpty()) {
        Result<QList<LoggedChange>> filled = log.withIds(gaps);
        if (!filled)
            return filled.error();
        keep(filled.value());
    }
    std::sort(fresh.begin(), fresh.end(),
              [](const LoggedChange& a, const LoggedChange& b) { return a.eventId < b.eventId; });
    return fresh;
}

} // namespace confab::server::cluster
