#include "net/timer_queue.h"

#include <QCoreApplication>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <algorithm>
#include <limits>

namespace confab::server {

namespace {

using namespace std::chrono;

// A coarse timer may fire up to 5% of its interval late (Qt allows 5% either
// way; firing early surprises code that measures, so this only rounds up).
// Rounding deadlines to a shared grid lets timers of similar intervals wake
// the loop once instead of once each.
TimerQueue::Clock::time_point coarseDeadline(TimerQueue::Clock::time_point nominal, qint64 intervalMs)
{
    static constexpr qint64 grids[] = {1000, 500, 250, 100, 50, 25, 20, 10, 5, 2, 1};
    const qint64 slack = intervalMs / 20;
    qint64 grid = 1;
    for (qint64 g : grids) {
        if (g <= slack) {
            grid = g;
            break;
        }
    }
    const auto ms = ceil<milliseconds>(nominal.time_since_epoch()).count();
    const qint64 rounded = (ms + grid - 1) / grid * grid;
    return TimerQueue::Clock::time_point(milliseconds(rounded));
}

// Whole seconds, to the nearest one, as Qt does for VeryCoarseTimer.
TimerQueue::Clock::time_point veryCoarseDeadline(TimerQueue::Clock::time_point nominal)
{
    const auto ms = duration_cast<milliseconds>(nominal.time_since_epoch()).count();
    return TimerQueue::Clock::time_point(seconds((ms + 500) / 1000));
}

} // namespace

void TimerQueue::add(int id, qint64 intervalMs, Qt::TimerType type, QObject* object, Clock::time_point now)
{
    remove(id); // Qt never reuses a live id; be safe if a caller does
    Timer t;
    t.object = object;
    t.intervalMs = std::max<qint64>(0, intervalMs);
    t.type = type;
    if (type == Qt::CoarseTimer) {
        if (t.intervalMs >= 20000)
            t.type = Qt::VeryCoarseTimer;
        else if (t.intervalMs <= 20)
            t.type = Qt::PreciseTimer;
    }
    if (t.type == Qt::VeryCoarseTimer)
        t.intervalMs = (t.intervalMs + 500) / 1000 * 1000;
    auto& stored = m_timers[id] = t;
    stored.key.id = id;
    arm(stored, now + milliseconds(stored.intervalMs));
}

void TimerQueue::arm(Timer& t, Clock::time_point nominal)
{
    m_queue.erase(t.key);
    t.nominal = nominal;
    switch (t.type) {
    case Qt::PreciseTimer:
        t.key.deadline = nominal;
        break;
    case Qt::CoarseTimer:
        t.key.deadline = coarseDeadline(nominal, t.intervalMs);
        break;
    case Qt::VeryCoarseTimer:
        t.key.deadline = veryCoarseDeadline(nominal);
        break;
    }
    t.key.seq = ++m_seq;
    m_queue.insert(t.key);
}

bool TimerQueue::remove(int id)
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return false;
    m_queue.erase(it->key);
    m_timers.erase(it);
    return true;
}

bool TimerQueue::removeAll(QObject* object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_queue.erase(it->key);
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> TimerQueue::timersOf(QObject* object) const
{
    QList<QAbstractEventDispatcher::TimerInfo> list;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            list.append({it.key(), int(it->intervalMs), it->type});
    }
    return list;
}

int TimerQueue::remaining(int id, Clock::time_point now) const
{
    const auto it = m_timers.constFind(id);
    if (it == m_timers.cend())
        return -1;
    if (it->key.deadline <= now)
        return 0;
    return int(duration_cast<milliseconds>(it->key.deadline - now).count());
}

int TimerQueue::waitMs(Clock::time_point now) const
{
    if (m_queue.empty())
        return -1;
    const auto deadline = m_queue.begin()->deadline;
    if (deadline <= now)
        return 0;
    // Rounded up: waking a fraction of a millisecond early would only spin.
    const auto ms = ceil<milliseconds>(deadline - now).count();
    return int(std::min<qint64>(ms, std::numeric_limits<int>::max()));
}

int TimerQueue::activate(Clock::time_point now)
{
    // Snapshot first: handlers may register, kill or re-arm timers.
    QVarLengthArray<std::pair<int, quint64>, 32> due;
    for (auto it = m_queue.cbegin(); it != m_queue.cend() && it->deadline <= now; ++it)
        due.append({it->id, it->seq});

    int sent = 0;
    for (const auto& [id, seq] : due) {
        auto it = m_timers.find(id);
        // Gone, or re-armed since the snapshot (a nested loop fired it).
        if (it == m_timers.end() || it->key.seq != seq)
            continue;
        Timer& t = *it;
        // Re-arm before the event, as Qt does, so remainingTime() inside the
        // handler is the next interval; then park it outside the queue
        // while its handler runs, so a nested loop neither re-enters it nor
        // spins on its (possibly already due) deadline.
        Clock::time_point next = t.nominal + milliseconds(t.intervalMs);
        if (next < now)
            next = now + milliseconds(t.intervalMs); // fell behind: skip missed shots
        arm(t, next);
        m_queue.erase(t.key);
        t.inEvent = true;
        QObject* object = t.object;

        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++sent;

        // `t` may dangle now: look the id up again. A timer killed and
        // re-registered under the same id by the handler is a new, armed one.
        it = m_timers.find(id);
        if (it != m_timers.end() && it->inEvent) {
            it->inEvent = false;
            m_queue.insert(it->key);
        }
    }
    return sent;
}

} // namespace confab::server
