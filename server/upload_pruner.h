#pragma once

#include <QObject>
#include <QTimer>

namespace confab::server {

class StoreExecutor;

// Deletes uploads no message claimed, unfinished or finished, once they have
// been idle for --upload-expiry-s (Store::pruneUploads), as TokenPruner does
// for tokens: at start, then every so often (a quarter of the expiry, at
// most an hour); a run that filled its batch goes on a second later.
class UploadPruner : public QObject {
    Q_OBJECT
public:
    static constexpr int kBatch = 100;
    static constexpr int kBacklogIntervalMs = 1'000;

    UploadPruner(StoreExecutor& executor, QObject* context, qint64 expirySeconds);

    void start();
    void pruneNow();

private:
    StoreExecutor& m_executor;
    QObject* m_context;
    qint64 m_expiryMs;
    int m_intervalMs;
    QTimer m_timer;
    bool m_running = false;
};

} // namespace confab::server
