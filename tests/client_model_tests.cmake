# Client models, @mention spans and message formatting (included when
# CONFAB_BUILD_CLIENT is on).
confab_add_test(tst_client_models SOURCES tst_client_models.cpp LIBS confab_client)
confab_add_test(tst_mention_tracker SOURCES tst_mention_tracker.cpp LIBS confab_client)
confab_add_test(tst_message_formatter SOURCES tst_message_formatter.cpp LIBS confab_client)
# LAN discovery: the mDNS responder against the browser and its model (loopback).
confab_add_test(tst_discovery SOURCES discovery/tst_discovery.cpp LIBS confab_client confab_server)
