# Several confab-server processes on one PostgreSQL (scripts/test.sh starts it).

confab_add_test(tst_cluster SOURCES tst_cluster.cpp LIBS confab_test_support)
confab_add_test(tst_cluster_units SOURCES tst_cluster_units.cpp LIBS confab_server)
# Restarts the shared test PostgreSQL: nothing else may run meanwhile.
confab_add_test(tst_cluster_restart SOURCES tst_cluster_restart.cpp LIBS confab_test_support TIMEOUT 300)
set_tests_properties(tst_cluster_restart PROPERTIES RUN_SERIAL TRUE)
