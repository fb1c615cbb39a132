# Client models, @mention spans and message formatting (included when
# CONFAB_BUILD_CLIENT is on).
confab_add_test(tst_client_models SOURCES tst_client_models.cpp LIBS confab_client)
confab_add_test(tst_mention_tracker SOURCES tst_mention_tracker.cpp LIBS confab_client)
confab_add_test(tst_message_formatter SOURCES tst_message_formatter.cpp LIBS confab_client)
# LAN discovery: the mDNS responder against the browser and its model (loopback).
confab_add_test(tst_discovery SOURCES discovery/tst_discovery.cpp LIBS confab_client confab_server)
# Two hosts: network namespaces joined by a veth pair, a real confab-server in
# one, the browser (discovery_probe) or avahi-browse in the other. Root only;
# skipped (77) without it unless CONFAB_TEST_NETNS=1, as in CI, makes it fail.
add_executable(discovery_probe discovery/discovery_probe.cpp)
target_link_libraries(discovery_probe PRIVATE confab_client)
foreach(mode probe avahi)
    add_test(NAME tst_discovery_netns_${mode}
        COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/discovery/netns_discovery.sh ${mode}
            $<TARGET_FILE:confab-server> $<TARGET_FILE:discovery_probe>)
    set_tests_properties(tst_discovery_netns_${mode} PROPERTIES
        RUN_SERIAL TRUE TIMEOUT 120 SKIP_RETURN_CODE 77)
endforeach()
