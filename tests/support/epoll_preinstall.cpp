// Linked into suites that run a second time on the epoll dispatcher without
// touching their sources (confab_add_test(... EPOLL)): with
// CONFAB_TEST_DISPATCHER=epoll in the environment the dispatcher is installed
// before main(), where QTEST_MAIN constructs the application object. One
// executable, two test entries: the suite is compiled once.
#include "net/epoll_event_dispatcher.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool wanted()
{
    const char* dispatcher = std::getenv("CONFAB_TEST_DISPATCHER");
    return dispatcher && std::strcmp(dispatcher, "epoll") == 0;
}

const bool installed = wanted() && confab::server::installEpollDispatcher();

// An epoll entry that silently ran on Qt's dispatcher would prove nothing.
void checkInstalled()
{
    if (!wanted())
        return;
    if (!installed ||
        !qobject_cast<confab::server::EpollEventDispatcher*>(QAbstractEventDispatcher::instance())) {
        std::fprintf(stderr, "epoll_preinstall: the epoll dispatcher is not installed\n");
        std::abort();
    }
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(checkInstalled)
