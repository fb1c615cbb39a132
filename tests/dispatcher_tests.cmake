# The epoll event dispatcher (server/net/epoll_event_dispatcher.h). The same
# source runs a second time on Qt's default dispatcher: a case that fails
# there tests the wrong thing, not the dispatcher.
# Two sources: timers, posted events and loops; sockets and I/O.
foreach(part epoll_dispatcher epoll_dispatcher_io)
    confab_add_test(tst_${part} SOURCES tst_${part}.cpp dispatcher_test_support.h
        LIBS confab_server Qt6::WebSockets)
    confab_add_test(tst_${part}_qt SOURCES tst_${part}.cpp dispatcher_test_support.h
        LIBS confab_server Qt6::WebSockets)
    target_compile_definitions(tst_${part}_qt PRIVATE CONFAB_DEFAULT_DISPATCHER)
    # Qt's poll()-based QEventDispatcherUNIX, the one whose semantics ours follows.
    add_test(NAME tst_${part}_qt_unix COMMAND tst_${part}_qt)
    set_tests_properties(tst_${part}_qt_unix PROPERTIES TIMEOUT 300 ENVIRONMENT "QT_NO_GLIB=1")
endforeach()
# Whole server suites (real server in-process, real WebSocket clients) again
# on the epoll dispatcher: the sources unchanged, the dispatcher installed
# before main() by epoll_preinstall.cpp. SQLite only, to keep them cheap.
foreach(suite auth rooms messages limits)
    confab_add_test(tst_server_${suite}_epoll
        SOURCES tst_server_${suite}.cpp epoll_preinstall.cpp LIBS confab_test_support)
endforeach()
