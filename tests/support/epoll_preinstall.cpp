// Linked into copies of existing suites so that they run on the epoll
// dispatcher without touching their sources: QTEST_MAIN constructs the
// application object in main(), and this runs before main().
#include "net/epoll_event_dispatcher.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

namespace {

const bool installed = confab::server::installEpollDispatcher();

// A copy that silently ran on Qt's dispatcher would prove nothing.
void checkInstalled()
{
    if (!installed ||
        !qobject_cast<confab::server::EpollEventDispatcher*>(QAbstractEventDispatcher::instance())) {
        std::fprintf(stderr, "epoll_preinstall: the epoll dispatcher is not installed\n");
        std::abort();
    }
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(checkInstalled)
