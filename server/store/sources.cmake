# Sources of the storage layer, compiled into confab_server.
set(CONFAB_STORE_SOURCES
    store/store.h
    store/database_url.h store/database_url.cpp
    store/store_factory.h store/store_factory.cpp
    store/transaction.h store/transaction.cpp
    store/sql_store.h store/sql_store.cpp
    store/sqlite_store.h store/sqlite_store.cpp
    store/sqlite_migrations.h store/sqlite_migrations.cpp
)
