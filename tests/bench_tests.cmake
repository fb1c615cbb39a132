# confab-bench against a server it spawns: every scenario for a second or so,
# its --json output checked (bench/README.md). Only when the tool is built.
if(TARGET confab-bench)
    add_executable(tst_bench_smoke tst_bench_smoke.cpp)
    target_link_libraries(tst_bench_smoke PRIVATE Qt6::Test Qt6::Core)
    add_test(NAME tst_bench_smoke COMMAND tst_bench_smoke)
    set_tests_properties(tst_bench_smoke PROPERTIES TIMEOUT 120
        ENVIRONMENT "CONFAB_SERVER_BIN=$<TARGET_FILE:confab-server>;CONFAB_BENCH_BIN=$<TARGET_FILE:confab-bench>")
endif()

# The tool's raw WebSocket client against the server's ws layer and a
# scripted peer (refused upgrades, pings).
if(TARGET confab_bench)
    add_executable(tst_raw_ws_client tst_raw_ws_client.cpp)
    target_link_libraries(tst_raw_ws_client PRIVATE confab_bench Qt6::Test)
    add_test(NAME tst_raw_ws_client COMMAND tst_raw_ws_client)
    set_tests_properties(tst_raw_ws_client PROPERTIES TIMEOUT 60)
endif()
