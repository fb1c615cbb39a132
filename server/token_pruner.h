#pragma once

#include <QObject>
#include <QTimer>

namespace confab::server {

class StoreExecutor;

// Deletes expired and revoked session tokens (Store::pruneTokens) so the
// tokens table holds only the sessions that can still be used: once at
// start, then every hour; a run that filled its batch goes on a second
// later, so a backlog drains without one long transaction.
class TokenPruner : public QObject {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 3'600'000;
    static constexpr int kBatch = 1'000;
    static constexpr int kBacklogIntervalMs = 1'000;

    // `context` receives the store jobs' completions and must outlive the
    // executor's jobs (the Hub).
    TokenPruner(StoreExecutor& executor, QObject* context);

    void start();
    // Starts a run now unless one is in flight (tests, and start()).
    void pruneNow();

private:
    StoreExecutor& m_executor;
    QObject* m_context;
    QTimer m_timer;
    bool m_running = false;
};

} // namespace confab::server
