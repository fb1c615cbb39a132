#pragma once

// The timers of one event dispatcher, ordered by deadline. Qt keeps them in
// a sorted list (insertion O(n)); a server restarts an idle-timeout timer per
// connection on every message, so this keeps them in a balanced tree:
// register, unregister and "nearest deadline" are O(log n).

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>

#include <chrono>
#include <set>

class QObject;

namespace confab::server {

class TimerQueue {
public:
    using Clock = std::chrono::steady_clock;

    // Qt's rules: a CoarseTimer of 20 ms or less is precise, one of 20 s or
    // more is very coarse; a VeryCoarseTimer's interval is whole seconds.
    void add(int id, qint64 intervalMs, Qt::TimerType type, QObject* object, Clock::time_point now);
    bool remove(int id);
    bool removeAll(QObject* object);
    QList<QAbstractEventDispatcher::TimerInfo> timersOf(QObject* object) const;
    // Milliseconds until the timer is due (0 if overdue), -1 if unknown.
    int remaining(int id, Clock::time_point now) const;
    // Milliseconds until the nearest deadline (rounded up, 0 if one is due),
    // -1 with no timers.
    int waitMs(Clock::time_point now) const;
    bool empty() const { return m_timers.isEmpty(); }

    // Sends a QTimerEvent to every timer due at `now`, each at most once:
    // a timer that re-arms while this runs (interval 0, or one that fell
    // behind) waits for the next call, so timers cannot starve sockets.
    // Safe against timers killed, restarted or re-registered under the same
    // id by an earlier timer's handler, and against nested event loops run
    // from a handler (which may fire the remaining ones first). Returns the
    // number of events sent.
    int activate(Clock::time_point now);

private:
    struct Key {
        Clock::time_point deadline;
        quint64 seq; // equal deadlines fire in the order they were armed
        int id;
        bool operator<(const Key& o) const
        {
            return deadline != o.deadline ? deadline < o.deadline : seq < o.seq;
        }
    };
    struct Timer {
        QObject* object = nullptr;
        qint64 intervalMs = 0; // VeryCoarseTimer: whole seconds, in ms
        Qt::TimerType type = Qt::PreciseTimer;
        Clock::time_point nominal; // before coarse rounding; avoids drift
        Key key;
        bool inEvent = false; // its handler is running (maybe in a nested loop)
    };

    void arm(Timer& t, Clock::time_point nominal);

    QHash<int, Timer> m_timers;
    std::set<Key> m_queue;
    quint64 m_seq = 0;
};

} // namespace confab::server
