#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

namespace confab::client {

// Whole seconds until the next connection attempt, for the offline banner's
// "next try in N s". Asks `remainingMs` (-1: no attempt is waiting) when
// refresh() says the schedule may have moved, and wakes up only when the shown
// number changes (no polling while nothing waits).
class RetryCountdown : public QObject {
    Q_OBJECT
public:
    explicit RetryCountdown(std::function<int()> remainingMs, QObject* parent = nullptr);

    // -1 when nothing is waiting; else at least 1 (a try due now shows 1 until it starts).
    int seconds() const { return m_seconds; }
    void refresh();

signals:
    void secondsChanged();

private:
    std::function<int()> m_remainingMs;
    QTimer m_tick;
    int m_seconds = -1;
};

} // namespace confab::client
