#pragma once

#include <QObject>

class QSocketNotifier;

namespace confab::server {

// Turns SIGINT/SIGTERM into a Qt signal on the event loop (self-pipe), so
// shutdown runs as ordinary code: finish database work, close sockets.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signal);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace confab::server
