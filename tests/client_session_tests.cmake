# The client's session layer: Session against a real in-process server, and
# the local platform services (keychain, settings, notifications).
confab_add_test(tst_client_session
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_client_session.cpp
    LIBS confab_client confab_test_support)
# Needs a D-Bus session with an unlocked Secret Service (scripts/test.sh); a
# keychain that does not work fails the test.
confab_add_test(tst_token_store
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_token_store.cpp
    LIBS confab_client Qt6::DBus Qt6Keychain::Qt6Keychain)
# wss:// with self-signed certificates and pinning, against a TLS front made
# in the test (certificates from the openssl CLI).
confab_add_test(tst_client_tls
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_client_tls.cpp
    LIBS confab_client confab_test_support)
