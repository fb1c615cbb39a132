# wss:// served by confab-server itself (server/tls, ws/ws_socket_tls.cpp): a
# real server process with --tls auto or the openssl command's certificate,
# Qt's QWebSocket trusting exactly that certificate, and raw TCP clients that
# speak plain WebSocket, garbage or half a ClientHello.
confab_add_test(tst_server_tls SOURCES tst_server_tls.cpp LIBS confab_test_support)
