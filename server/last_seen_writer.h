#pragma once

#include "protocol/ids.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace confab::server {

class StoreExecutor;

// Collects users' last-seen times (each sign-in and each last sign-out) and
// writes them in one transaction per interval. One durable commit per
// sign-in capped handshakes at the disk's commit rate (~400/s here); the
// cost is that a crash may lose the last interval's times, which only ever
// makes a "last seen" older, never wrong about who is online (that is kept
// in memory).
class LastSeenWriter : public QObject {
    Q_OBJECT
public:
    LastSeenWriter(StoreExecutor& executor, int intervalMs, QObject* parent = nullptr);

    void record(Id userId, qint64 at);
    // Queues what is pending now (at shutdown: before the store stops).
    void flush();

private:
    StoreExecutor& m_executor;
    QHash<Id, qint64> m_pending;
    QTimer m_timer;
};

} // namespace confab::server
