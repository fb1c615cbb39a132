#pragma once

#include "cluster/change_cursor.h"
#include "store/store.h"

#include <functional>

namespace confab::server::cluster {

// The two reads of cluster_events a reader makes (Store::changesAfter and
// Store::changesWithIds): functions, so the order of reads can be tested
// against a log that commits between them.
struct ChangeLogReads {
    std::function<Result<QList<LoggedChange>>(qint64 afterId, int limit)> after;
    std::function<Result<QList<LoggedChange>>(const QList<qint64>& ids)> withIds;
    // Called after each full page, before the next is read (may be empty).
    std::function<void()> betweenPages;
};

// Everything that became visible since the last call, each id once,
// ascending. Each statement sees its own snapshot, so the order of reads
// matters: the newer pages are read first and the awaited ids last. A change
// seen in any of the reads committed after every earlier change of the same
// committer, so those are visible to the last read and, sorted by id, go
// out before it. (Reading the awaited ids first let a committer's change
// pass its predecessor when both committed between the two reads.)
Result<QList<LoggedChange>> readVisibleChanges(ChangeCursor& cursor, const ChangeLogReads& log, qint64 now,
                                               int pageSize);

} // namespace confab::server::cluster
