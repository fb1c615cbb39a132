#pragma once

#include "cluster/bus_line.h"
#include "cluster/change_cursor.h"
#include "cluster/remote_change.h"
#include "store/database_url.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QTimer>

#include <atomic>
#include <functional>

namespace confab::server::cluster {

// The database side of the cluster bus, living on its own thread with its
// own QPSQL connection (one connection per thread): LISTENs on the cluster
// channel, sends batched NOTIFYs, reads cluster_events from a cursor and
// reconnects with backoff when PostgreSQL goes away. Results are handed to
// the owner's thread through the callbacks (queued on `context`).
class BusWorker : public QObject {
    Q_OBJECT
public:
    struct Callbacks {
        std::function<void(QList<BusLine>)> lines;         // other instances' lines
        std::function<void(QList<RemoteChange>)> changes;  // other instances' changes, our messages
        std::function<void(bool up, qint64 downMs)> state; // connection lost / back
    };

    BusWorker(const DatabaseUrl& url, const QString& origin, const BusTimings& timings, QObject* context,
              Callbacks callbacks);
    ~BusWorker() override;

    // --- from any thread
    // Changes were committed here: noteChanges() on the bus thread, and a
    // flag that a long read on the bus thread checks between its pages (the
    // queued call waits until that read ends).
    void changesCommitted()
    {
        m_changesCommitted.store(true, std::memory_order_release);
        QMetaObject::invokeMethod(
            this, [this] { noteChanges(); }, Qt::QueuedConnection);
    }

    // --- on the bus thread
    // Connects, LISTENs and sets the cursor to the newest change. Start-up only.
    Result<void> open();
    // Queues encoded lines for the next NOTIFY (dropped while disconnected:
    // a reconnect resynchronises everything they could carry).
    void publish(const QStringList& lines);
    // Changes were committed here: tell the others (coalesced into one line).
    void noteChanges();
    // Says bye (best effort) and disconnects.
    void shutdown();

    static constexpr const char* kChannel = "confab_cluster";

private:
    bool connectNow(QString* why);
    void lost(const QString& why);
    void scheduleReconnect();
    void reconnect();
    void scheduleFlush();
    bool flush();
    // Reads what other instances committed since the last read, in an order
    // that keeps each instance's own order (readVisibleChanges). False when
    // the connection was lost.
    bool readChanges();
    void prune();
    void onNotification(const QString& name, QSqlDriver::NotificationSource source, const QVariant& payload);
    template <typename F>
    void post(F&& f);

    DatabaseUrl m_url;
    QString m_origin;
    BusTimings m_timings;
    QObject* m_context;
    Callbacks m_callbacks;
    QString m_connectionName;
    std::atomic<bool> m_changesCommitted{false};
    QSqlDatabase m_db;            // LISTEN and NOTIFY
    std::shared_ptr<Store> m_log; // the change log's door, its own connection
    bool m_up = false;
    QElapsedTimer m_downFor;
    int m_backoffMs = 0;
    QElapsedTimer m_clock;
    ChangeCursor m_cursor;
    QStringList m_pending;
    bool m_changesPending = false;
    bool m_flushQueued = false;
    QTimer m_heartbeat;
    QTimer m_poll;
    QTimer m_prune;
    QTimer m_reconnect;
};

} // namespace confab::server::cluster
