# The epoll event dispatcher (server/net/epoll_event_dispatcher.h). The same
# source runs a second time on Qt's default dispatcher: a case that fails
# there tests the wrong thing, not the dispatcher.
confab_add_test(tst_epoll_dispatcher SOURCES tst_epoll_dispatcher.cpp LIBS confab_server)
confab_add_test(tst_epoll_dispatcher_qt SOURCES tst_epoll_dispatcher.cpp LIBS confab_server)
target_compile_definitions(tst_epoll_dispatcher_qt PRIVATE CONFAB_DEFAULT_DISPATCHER)
# Qt's poll()-based QEventDispatcherUNIX, the one whose semantics ours follows.
add_test(NAME tst_epoll_dispatcher_qt_unix COMMAND tst_epoll_dispatcher_qt)
set_tests_properties(tst_epoll_dispatcher_qt_unix PROPERTIES TIMEOUT 300 ENVIRONMENT "QT_NO_GLIB=1")
