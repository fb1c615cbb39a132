#pragma once

#include <QList>
#include <QMap>

namespace confab::server::cluster {

// How far cluster_events has been read, for a log whose ids can become
// visible out of order: instances commit concurrently, so id 101 may commit
// before id 100. Rather than serialising every instance's commits (a global
// lock held through COMMIT halved the commit rate, docs/cluster.md), a
// reader remembers the ids it skipped over ("gaps") and keeps asking for
// them until they appear or `gapTimeoutMs` passes (the id was rolled back,
// or its transaction took implausibly long to commit).
class ChangeCursor {
public:
    // At most this many ids are awaited at once; a larger jump gives up the
    // oldest (a burst of rolled-back transactions, never seen in practice).
    static constexpr int kMaxGaps = 1000;

    explicit ChangeCursor(qint64 gapTimeoutMs)
        : m_gapTimeoutMs(gapTimeoutMs)
    {}

    // Start: every id up to `newest` counts as read.
    void reset(qint64 newest);
    // Read rows with an id above this next.
    qint64 newest() const { return m_newest; }
    // Ids below newest() still awaited, ascending.
    QList<qint64> gaps() const { return m_gaps.keys(); }
    // A row was read: true when it is new (deliver it), false when it was
    // read before or given up already.
    bool take(qint64 id, qint64 now);
    // Gives up the ids awaited for longer than the timeout; returns them.
    QList<qint64> expire(qint64 now);

private:
    qint64 m_gapTimeoutMs;
    qint64 m_newest = 0;
    QMap<qint64, qint64> m_gaps; // id -> when first missed
};

} // namespace confab::server::cluster
