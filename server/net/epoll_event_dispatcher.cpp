#include "net/epoll_event_dispatcher.h"

#include "base/logging.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>

#include <cerrno>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace confab::server {

namespace {

// Which epoll events activate which notifier type. Mirrors what Qt's poll()
// dispatcher does, plus EPOLLHUP for writers: with only a write notifier on
// a hung-up socket, nobody would consume the level-triggered HUP and the
// loop would spin.
constexpr quint32 readEvents = EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP;
constexpr quint32 writeEvents = EPOLLOUT | EPOLLHUP | EPOLLERR;
constexpr quint32 exceptionEvents = EPOLLPRI;

constexpr int maxEventsPerWait = 256;

const char* typeName(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return "Read";
    case QSocketNotifier::Write:
        return "Write";
    case QSocketNotifier::Exception:
        return "Exception";
    }
    return "?";
}

} // namespace

quint32 EpollEventDispatcher::FdNotifiers::events() const
{
    quint32 e = 0;
    if (byType[QSocketNotifier::Read])
        e |= EPOLLIN | EPOLLRDHUP;
    if (byType[QSocketNotifier::Write])
        e |= EPOLLOUT;
    if (byType[QSocketNotifier::Exception])
        e |= EPOLLPRI;
    return e;
}

EpollEventDispatcher::EpollEventDispatcher(QObject* parent)
    : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeOnlyEpoll = epoll_create1(EPOLL_CLOEXEC);
    m_eventFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wakeOnlyEpoll < 0 || m_eventFd < 0) {
        // Out of descriptors at startup: nothing sensible can run without a
        // loop, and Qt's own dispatcher aborts in the same situation.
        qFatal("EpollEventDispatcher: cannot create epoll/eventfd descriptors: %s", strerror(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_eventFd;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_eventFd, &ev);
    epoll_ctl(m_wakeOnlyEpoll, EPOLL_CTL_ADD, m_eventFd, &ev);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_eventFd);
    ::close(m_wakeOnlyEpoll);
    ::close(m_epoll);
}

void EpollEventDispatcher::startingUp()
{
    // Nothing to do: the descriptors exist from construction, so a
    // dispatcher can be installed and used before its thread starts.
}

void EpollEventDispatcher::closingDown()
{
    // Notifiers left registered belong to objects still alive; they
    // unregister themselves when destroyed. Drop stale activations so none
    // can be delivered after the loop has ended.
    m_pending.clear();
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier)
{
    Q_ASSERT(notifier);
    const int fd = int(notifier->socket());
    const auto type = notifier->type();
    if (fd < 0) {
        qCWarning(lcNet, "EpollEventDispatcher: socket notifier on invalid descriptor %d", fd);
        return;
    }
    if (notifier->thread() != thread() || thread() != QThread::currentThread()) {
        qCWarning(lcNet, "EpollEventDispatcher: socket notifiers cannot be enabled from another thread");
        return;
    }
    FdNotifiers& set = m_fds[fd];
    if (set.byType[type] && set.byType[type] != notifier)
        qCWarning(lcNet, "EpollEventDispatcher: multiple socket notifiers for socket %d and type %s", fd,
                  typeName(type));
    set.byType[type] = notifier;
    updateEpoll(fd, set);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier)
{
    Q_ASSERT(notifier);
    // First, so that a notifier disabled or deleted by an earlier activation
    // in this iteration is never activated (it may be freed memory).
    m_pending.removeAll(notifier);

    const int fd = int(notifier->socket());
    const auto it = m_fds.find(fd);
    if (it == m_fds.end())
        return;
    const auto type = notifier->type();
    if (it->byType[type] != notifier)
        return;
    it->byType[type] = nullptr;
    updateEpoll(fd, *it);
    if (it->empty())
        m_fds.erase(it);
}

void EpollEventDispatcher::updateEpoll(int fd, FdNotifiers& set)
{
    if (set.always) {
        if (set.empty()) {
            set.always = false;
            --m_alwaysReadyFds;
        }
        return;
    }
    epoll_event ev{};
    ev.events = set.events();
    ev.data.fd = fd;
    if (set.empty()) {
        // ENOENT/EBADF: the fd was closed before its notifier went away;
        // the kernel already dropped it from the interest set.
        if (set.inEpoll && epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &ev) < 0 && errno != ENOENT &&
            errno != EBADF)
            qCWarning(lcNet, "EpollEventDispatcher: epoll_ctl(DEL, %d): %s", fd, strerror(errno));
        set.inEpoll = false;
        return;
    }
    int op = set.inEpoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int rc = epoll_ctl(m_epoll, op, fd, &ev);
    // A descriptor closed and reopened under the same number while still
    // registered here (MOD fails with ENOENT), or added elsewhere (EEXIST).
    if (rc < 0 && errno == ENOENT && op == EPOLL_CTL_MOD)
        rc = epoll_ctl(m_epoll, op = EPOLL_CTL_ADD, fd, &ev);
    else if (rc < 0 && errno == EEXIST && op == EPOLL_CTL_ADD)
        rc = epoll_ctl(m_epoll, op = EPOLL_CTL_MOD, fd, &ev);
    if (rc == 0) {
        set.inEpoll = true;
    } else if (errno == EPERM) {
        // Regular files and directories: poll() reports them always ready,
        // epoll refuses them. Keep poll's behaviour.
        set.inEpoll = false;
        set.always = true;
        ++m_alwaysReadyFds;
    } else {
        qCWarning(lcNet, "EpollEventDispatcher: epoll_ctl(%s, %d): %s", op == EPOLL_CTL_ADD ? "ADD" : "MOD",
                  fd, strerror(errno));
    }
}

void EpollEventDispatcher::markPending(int fd, quint32 revents)
{
    const auto it = m_fds.constFind(fd);
    if (it == m_fds.cend())
        return;
    const std::pair<QSocketNotifier::Type, quint32> map[] = {{QSocketNotifier::Read, readEvents},
                                                             {QSocketNotifier::Write, writeEvents},
                                                             {QSocketNotifier::Exception, exceptionEvents}};
    // Each fd is reported at most once per wait (and always-ready fds are
    // not in epoll), so no notifier is appended twice.
    for (const auto& [type, mask] : map) {
        QSocketNotifier* n = it->byType[type];
        if (n && (revents & mask))
            m_pending.append(n);
    }
}

int EpollEventDispatcher::waitAndMark(int timeoutMs, bool includeNotifiers)
{
    epoll_event events[maxEventsPerWait];
    const int epfd = includeNotifiers ? m_epoll : m_wakeOnlyEpoll;
    int n;
    do {
        n = epoll_wait(epfd, events, maxEventsPerWait, timeoutMs);
    } while (n < 0 && errno == EINTR && timeoutMs == 0);
    if (n < 0) {
        // EINTR while blocking: a signal handler ran; return to the loop,
        // which recomputes the timer deadline and waits again.
        if (errno != EINTR)
            qCWarning(lcNet, "EpollEventDispatcher: epoll_wait: %s", strerror(errno));
        return 0;
    }
    int handled = 0;
    for (int i = 0; i < n; ++i) {
        if (events[i].data.fd == m_eventFd) {
            drainWakeUp();
            ++handled;
        } else {
            markPending(events[i].data.fd, events[i].events);
        }
    }
    if (includeNotifiers && m_alwaysReadyFds > 0) {
        for (auto it = m_fds.cbegin(); it != m_fds.cend(); ++it) {
            if (it->always)
                markPending(it.key(), readEvents | writeEvents);
        }
    }
    return handled;
}

int EpollEventDispatcher::activateSocketNotifiers()
{
    int activated = 0;
    QEvent event(QEvent::SockAct);
    // One at a time from the front: each activation may unregister (and so
    // remove from m_pending) any notifier, including ones not reached yet.
    while (!m_pending.isEmpty()) {
        QSocketNotifier* n = m_pending.takeFirst();
        QCoreApplication::sendEvent(n, &event);
        ++activated;
    }
    return activated;
}

void EpollEventDispatcher::drainWakeUp()
{
    eventfd_t value;
    // Non-blocking; EAGAIN just means another iteration drained it already.
    eventfd_read(m_eventFd, &value);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    emit awake();

    // Cleared before sending, so that an event posted from here on (by a
    // handler or another thread) writes the eventfd again and the wait
    // below returns at once. The eventfd itself is drained only when epoll
    // reports it, so a wake-up that races with this store costs at most one
    // spurious iteration and is never lost.
    m_wakeUpPending.storeRelease(0);
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool wait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();

    int timeoutMs = 0;
    if (wait) {
        emit aboutToBlock();
        if (m_interrupted.loadRelaxed())
            return false;
        timeoutMs = includeTimers ? m_timers.waitMs(TimerQueue::Clock::now()) : -1;
        if (includeNotifiers && m_alwaysReadyFds > 0)
            timeoutMs = 0;
    } else if (m_interrupted.loadRelaxed()) {
        return false;
    }

    int handled = waitAndMark(timeoutMs, includeNotifiers);
    if (includeNotifiers)
        handled += activateSocketNotifiers();
    if (includeTimers)
        handled += m_timers.activate(TimerQueue::Clock::now());
    return handled > 0;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject* object)
{
    if (timerId < 1 || interval < 0 || !object) {
        qCWarning(lcNet, "EpollEventDispatcher::registerTimer: invalid arguments");
        return;
    }
    if (object->thread() != thread() || thread() != QThread::currentThread()) {
        qCWarning(lcNet, "EpollEventDispatcher::registerTimer: timers cannot be started from another thread");
        return;
    }
    m_timers.add(timerId, interval, timerType, object, TimerQueue::Clock::now());
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    if (timerId < 1)
        return false;
    if (thread() != QThread::currentThread()) {
        qCWarning(lcNet,
                  "EpollEventDispatcher::unregisterTimer: timers cannot be stopped from another thread");
        return false;
    }
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject* object)
{
    if (!object)
        return false;
    if (object->thread() != thread() || thread() != QThread::currentThread()) {
        qCWarning(lcNet,
                  "EpollEventDispatcher::unregisterTimers: timers cannot be stopped from another thread");
        return false;
    }
    return m_timers.removeAll(object);
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject* object) const
{
    if (!object)
        return {};
    return m_timers.timersOf(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers.remaining(timerId, TimerQueue::Clock::now());
}

void EpollEventDispatcher::wakeUp()
{
    // postEvent() calls this for every event; one write per wake-up is
    // enough, the rest would only be syscalls.
    if (m_wakeUpPending.testAndSetAcquire(0, 1))
        eventfd_write(m_eventFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    // Not through wakeUp(): its coalescing flag may be set by a wake-up the
    // loop already consumed.
    eventfd_write(m_eventFd, 1);
}

bool installEpollDispatcher(QThread* thread)
{
    if (!thread) {
        // Before the application object exists QThread::currentThread() is
        // the main thread; QCoreApplication::setEventDispatcher uses it.
        if (QCoreApplication::instance() && QAbstractEventDispatcher::instance(QThread::currentThread()))
            return false;
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
        return true;
    }
    if (thread->eventDispatcher())
        return false;
    thread->setEventDispatcher(new EpollEventDispatcher);
    return true;
}

} // namespace confab::server
