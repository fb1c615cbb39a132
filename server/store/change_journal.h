#pragma once

#include "store/store.h"

#include <QList>

namespace confab::server {

// The changes of one store's transactions (the one path outward,
// docs/change-path.md). A write method stages its ChangeRecord inside its
// transaction; the Transaction moves what it staged to `committed` when its
// COMMIT succeeds and drops it on a rollback (a savepoint's rollback drops
// what was staged since the savepoint). So what the store executor takes
// after a job is exactly what that job made durable.
class ChangeJournal {
public:
    void stage(ChangeRecord change) { m_staged.append(std::move(change)); }
    void markSavepoint() { m_savepoint = m_staged.size(); }
    void rollbackToSavepoint() { m_staged.resize(qMin(m_savepoint, m_staged.size())); }
    void commit()
    {
        m_committed.append(std::move(m_staged));
        m_staged.clear();
    }
    void discard() { m_staged.clear(); }
    // The room as read after its creation committed, for delivery (a new
    // room has no messages, so one view serves every member).
    void attachRoom(const Room& room)
    {
        for (ChangeRecord& change : m_committed) {
            if (change.kind == ChangeRecord::Kind::Room && change.roomId == room.id)
                change.room = room;
        }
    }
    QList<ChangeRecord> takeCommitted() { return std::exchange(m_committed, {}); }

private:
    QList<ChangeRecord> m_staged;
    QList<ChangeRecord> m_committed;
    qsizetype m_savepoint = 0;
};

} // namespace confab::server
