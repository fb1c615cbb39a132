#pragma once

// Shared by the dispatcher suites: each source is built twice, once on the
// epoll dispatcher and once on Qt's default (CONFAB_DEFAULT_DISPATCHER), so
// a case that fails on Qt's tests the wrong thing, not the dispatcher.
#include "net/epoll_event_dispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEvent>
#include <QList>
#include <QObject>
#include <QTest>
#include <QThread>
#include <QTimerEvent>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dispatcher_test {

#ifdef CONFAB_DEFAULT_DISPATCHER
constexpr bool usingEpoll = false;
#else
constexpr bool usingEpoll = true;
#endif

// Gives a QThread the dispatcher under test (Qt's default one otherwise).
inline void prepareThread(QThread& thread)
{
    if (usingEpoll)
        QVERIFY(confab::server::installEpollDispatcher(&thread));
}

// A suite that silently ran on the wrong dispatcher would prove nothing.
inline void verifyDispatcher()
{
    auto* dispatcher = QAbstractEventDispatcher::instance();
    QVERIFY(dispatcher);
    QCOMPARE(qobject_cast<confab::server::EpollEventDispatcher*>(dispatcher) != nullptr, usingEpoll);
    qInfo("dispatcher: %s", dispatcher->metaObject()->className());
}

struct SocketPair {
    int fd[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd); }
    ~SocketPair()
    {
        ::close(fd[0]);
        ::close(fd[1]);
    }
    void send(int side = 1) const { QCOMPARE(::write(fd[side], "x", 1), 1); }
    int drain(int side = 0) const
    {
        char buf[4096];
        int total = 0;
        for (ssize_t n; (n = ::read(fd[side], buf, sizeof buf)) > 0;)
            total += int(n);
        return total;
    }
};

class PostTarget : public QObject {
public:
    static QEvent::Type type() { return QEvent::Type(QEvent::User + 7); }
    QList<int> received;
    bool event(QEvent* e) override
    {
        if (e->type() == type()) {
            received.append(int(e->type()));
            return true;
        }
        return QObject::event(e);
    }
};

class TimerRecorder : public QObject {
public:
    QList<int> fired;

protected:
    void timerEvent(QTimerEvent* e) override { fired.append(e->timerId()); }
};

// Runs `test` on the dispatcher under test, installed before the application
// object (a thread's dispatcher cannot be replaced once it runs).
template <typename Test>
int runSuite(int argc, char** argv)
{
    // The idle-fd rows need thousands of descriptors; the hard limit here is 20,000.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    if (usingEpoll)
        confab::server::installEpollDispatcher();
    QCoreApplication app(argc, argv);
    Test test;
    return QTest::qExec(&test, argc, argv);
}

} // namespace dispatcher_test
