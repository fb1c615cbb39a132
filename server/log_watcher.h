#pragma once

#include "store/store.h"

#include <QObject>
#include <QTimer>

namespace confab::server {

class Hub;

// A single server's ear for admin commands (SQLite): confab-server admin is
// another process that writes the database, and records in the change log
// when a user was disabled or their password reset. This polls the log
// through the store's reader (one indexed query; cheap enough at 4 per
// second) and has the hub close that user's connections. PostgreSQL servers
// hear the same records through the cluster bus instead (docs/admin.md).
class AccessWatcher : public QObject {
    Q_OBJECT
public:
    static constexpr int kPollMs = 250;

    explicit AccessWatcher(Hub& hub);
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
