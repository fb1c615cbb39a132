#include "retry_countdown.h"

#include <utility>

namespace confab::client {

RetryCountdown::RetryCountdown(std::function<int()> remainingMs, QObject* parent)
    : QObject(parent)
    , m_remainingMs(std::move(remainingMs))
{
    m_tick.setSingleShot(true);
    m_tick.setTimerType(Qt::PreciseTimer); // the number must not lag behind the second it shows
    connect(&m_tick, &QTimer::timeout, this, &RetryCountdown::refresh);
}

void RetryCountdown::refresh()
{
    const int ms = m_remainingMs();
    const int seconds = ms < 0 ? -1 : std::max(1, (ms + 999) / 1000);
    if (ms >= 0) {
        // Next when the number drops: at the whole second below `ms`, or when the try is due.
        const int untilNext = ms % 1000 == 0 ? 1000 : ms % 1000;
        m_tick.start(std::min(ms, untilNext) + 1);
    } else {
        m_tick.stop();
    }
    if (seconds == m_seconds)
        return;
    m_seconds = seconds;
    emit secondsChanged();
}

} // namespace confab::client
