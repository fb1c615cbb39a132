#pragma once

// An epoll(7)-based event dispatcher for Linux. Qt 6.4's own Unix dispatchers
// (glib and QEventDispatcherUNIX) hand every registered socket to poll() on
// each loop iteration, so a server with 10,000 mostly idle connections pays
// for all of them on every wake-up. epoll keeps the interest set in the
// kernel: an iteration costs the ready descriptors, not the registered ones.
// See docs/event-dispatcher.md for the design and the measurements.

#include "net/timer_queue.h"

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QList>

#include <array>

class QThread;

namespace confab::server {

class EpollEventDispatcher : public QAbstractEventDispatcher {
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject* parent = nullptr);
    ~EpollEventDispatcher() override;

    // Blocks in epoll_wait only with QEventLoop::WaitForMoreEvents, at most
    // until the nearest timer is due. ExcludeUserInputEvents has nothing to
    // exclude here (no windowing system). Returns true if a socket notifier,
    // a timer or a wake-up was handled.
    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    // Thread-safe: may be called from any thread (QCoreApplication::postEvent
    // does so for every posted event); at most one eventfd write is pending.
    void wakeUp() override;
    // Thread-safe: the current or next processEvents() returns without
    // blocking.
    void interrupt() override;

    void startingUp() override;
    void closingDown() override;

private:
    // The notifiers of one descriptor, indexed by QSocketNotifier::Type.
    struct FdNotifiers {
        std::array<QSocketNotifier*, 3> byType{};
        bool inEpoll = false;
        bool always = false; // epoll refused the fd (EPERM: a regular file)
        quint32 events() const;
        bool empty() const { return !byType[0] && !byType[1] && !byType[2]; }
    };

    void updateEpoll(int fd, FdNotifiers& set);
    int waitAndMark(int timeoutMs, bool includeNotifiers);
    void markPending(int fd, quint32 revents);
    int activateSocketNotifiers();
    void drainWakeUp();

    int m_epoll = -1;
    int m_wakeOnlyEpoll = -1; // only the eventfd: waits that exclude socket notifiers
    int m_eventFd = -1;
    QHash<int, FdNotifiers> m_fds;
    int m_alwaysReadyFds = 0;
    // Notifiers whose events epoll reported in this iteration and that have
    // not been activated yet. Unregistering removes a notifier from here, so
    // one disabled or deleted by an earlier activation never fires.
    QList<QSocketNotifier*> m_pending;
    TimerQueue m_timers;
    QAtomicInt m_wakeUpPending;
    QAtomicInt m_interrupted;
};

// Makes the epoll dispatcher the event dispatcher of a thread. With no
// thread: the main thread; call it before the QCoreApplication (or
// QGuiApplication) is constructed, because the application object creates
// the default dispatcher otherwise and a thread's dispatcher cannot be
// replaced once its loop runs. With a QThread: call it before
// QThread::start(); each thread needs its own dispatcher instance.
// Linux only. Returns false (and changes nothing) if the thread already has
// a dispatcher.
bool installEpollDispatcher(QThread* thread = nullptr);

} // namespace confab::server
