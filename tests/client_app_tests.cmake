# The desktop client's controller and UI (included when CONFAB_BUILD_CLIENT
# is on): ChatClient against a real in-process server, the composer and
# message views as QtQuickTest cases, and a smoke run of the whole window
# that saves screenshots to $CONFAB_TEST_ARTIFACTS (default: <build>/test-artifacts).
add_library(confab_client_app_fixture STATIC
    ${CMAKE_CURRENT_LIST_DIR}/client_app_fixture.h ${CMAKE_CURRENT_LIST_DIR}/client_app_fixture.cpp)
target_include_directories(confab_client_app_fixture PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(confab_client_app_fixture PUBLIC confab_client confab_test_support)

confab_add_test(tst_chat_client
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_chat_client.cpp
    LIBS confab_client_app_fixture)

confab_add_test(tst_qml_composer
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_qml_composer.cpp
    LIBS confab_client_app_fixture confab_ui confab_uiplugin confab_clientplugin
         Qt6::QuickTest Qt6::QuickControls2)
target_compile_definitions(tst_qml_composer PRIVATE
    QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_LIST_DIR}/qml")

confab_add_test(tst_client_smoke
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_client_smoke.cpp
    LIBS confab_client_app_fixture confab_ui confab_uiplugin confab_clientplugin Qt6::Quick Qt6::QuickControls2)
target_compile_definitions(tst_client_smoke PRIVATE
    CONFAB_DEFAULT_ARTIFACTS="${CMAKE_BINARY_DIR}/test-artifacts")

# The certificate dialog (trust on first use, a changed certificate) in the
# whole window against a TLS front; saves screenshots like the smoke test.
confab_add_test(tst_client_certificate_dialog
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_client_certificate_dialog.cpp
    LIBS confab_client_app_fixture confab_ui confab_uiplugin confab_clientplugin Qt6::Quick Qt6::QuickControls2)
target_compile_definitions(tst_client_certificate_dialog PRIVATE
    CONFAB_DEFAULT_ARTIFACTS="${CMAKE_BINARY_DIR}/test-artifacts")

# Issue 6's "done when" on two hosts (network namespaces joined by a veth
# pair): the server started with one command in one, the whole client window
# in the other finds it, trusts its fingerprint, chats, is warned about a
# replaced certificate; admin backup while chatting and restore
# (tests/lan/lan_demo.sh). Root only: skipped (77) without it unless
# CONFAB_TEST_NETNS=1, as in CI, makes it fail.
add_executable(lan_demo_client ${CMAKE_CURRENT_LIST_DIR}/lan/lan_demo_client.cpp)
target_link_libraries(lan_demo_client PRIVATE confab_client_app_fixture confab_ui confab_uiplugin
    confab_clientplugin Qt6::Quick Qt6::QuickControls2 Qt6::Test)
add_test(NAME tst_lan_demo
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lan/lan_demo.sh
        $<TARGET_FILE:confab-server> $<TARGET_FILE:lan_demo_client>)
set_tests_properties(tst_lan_demo PROPERTIES RUN_SERIAL TRUE TIMEOUT 300 SKIP_RETURN_CODE 77)
