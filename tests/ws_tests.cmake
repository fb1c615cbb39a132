# The server's own WebSocket layer (server/ws): framing and handshake as pure
# code, then real loopback sockets against QWebSocket and raw TCP clients, on
# Qt's dispatcher and on the epoll one confab-server runs on.
confab_add_test(tst_ws_frame SOURCES tst_ws_frame.cpp LIBS confab_server)
confab_add_test(tst_ws_socket SOURCES tst_ws_socket.cpp LIBS confab_server Qt6::WebSockets)
confab_add_test(tst_ws_socket_epoll SOURCES tst_ws_socket.cpp epoll_preinstall.cpp
    LIBS confab_server Qt6::WebSockets)
