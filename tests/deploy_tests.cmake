# The load balancer configurations docs/deploy.md ships, run for real (haproxy
# and nginx in front of two servers on one PostgreSQL; scripts/test.sh starts it).
confab_add_test(tst_load_balancer SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_load_balancer.cpp LIBS confab_test_support)
target_compile_definitions(tst_load_balancer PRIVATE
    CONFAB_DEPLOY_DIR="${CMAKE_CURRENT_LIST_DIR}/../docs/deploy")

# --trusted-proxy: the client address behind a load balancer.
confab_add_test(tst_server_proxy SOURCES tst_server_proxy.cpp LIBS confab_test_support)
