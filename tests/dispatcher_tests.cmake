# The epoll event dispatcher (server/net/epoll_event_dispatcher.h). The same
# source runs a second time on Qt's default dispatcher: a case that fails
# there tests the wrong thing, not the dispatcher.
confab_add_test(tst_epoll_dispatcher SOURCES tst_epoll_dispatcher.cpp LIBS confab_server)
confab_add_test(tst_epoll_dispatcher_qt SOURCES tst_epoll_dispatcher.cpp LIBS confab_server)
target_compile_definitions(tst_epoll_dispatcher_qt PRIVATE CONFAB_DEFAULT_DISPATCHER)
# Qt's poll()-based QEventDispatcherUNIX, the one whose semantics ours follows.
add_test(NAME tst_epoll_dispatcher_qt_unix COMMAND tst_epoll_dispatcher_qt)
set_tests_properties(tst_epoll_dispatcher_qt_unix PROPERTIES TIMEOUT 300 ENVIRONMENT "QT_NO_GLIB=1")
# Whole server suites (real server in-process, real WebSocket clients) again
# on the epoll dispatcher: the sources unchanged, the dispatcher installed
# before main() by epoll_preinstall.cpp. SQLite only, to keep them cheap.
foreach(suite auth rooms messages limits)
    confab_add_test(tst_server_${suite}_epoll
        SOURCES tst_server_${suite}.cpp epoll_preinstall.cpp LIBS confab_test_support)
endforeach()
