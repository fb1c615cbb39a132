#pragma once

#include "store/store.h"

#include <QObject>
#include <QTimer>

namespace confab::server {

class Hub;

// A single server's reader of the change log (SQLite): confab-server admin
// is another process that writes the database and records its changes (a
// user disabled, a password reset) in the change log. This polls the log
// through the store's door (Store::changesAfter: one indexed query, cheap
// enough at 4 per second) and hands what it reads to Delivery, the path
// every change takes. PostgreSQL servers read the same log through the
// cluster bus instead (docs/change-path.md, docs/admin.md).
class LogWatcher : public QObject {
    Q_OBJECT
public:
    static constexpr int kPollMs = 250;
    static constexpr int kPage = 500;

    explicit LogWatcher(Hub& hub);
    // Starts from the newest record (older ones concern no open connection:
    // the tokens they revoked are already refused). Blocking: start-up only.
    Result<void> start();
    void stop();

private:
    void poll();

    Hub& m_hub;
    QTimer m_timer;
    qint64 m_cursor = 0;
    bool m_polling = false; // a poll is in flight: never two at once
};

} // namespace confab::server
