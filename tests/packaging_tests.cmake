# The Debian packages (packaging/): cpack builds them, then their contents,
# control data, systemd unit and the packaged server are checked.
add_test(NAME tst_packages
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/packaging/check_packages.sh ${PROJECT_BINARY_DIR} ${CONFAB_BUILD_CLIENT})
set_tests_properties(tst_packages PROPERTIES TIMEOUT 300 RUN_SERIAL TRUE)
