# Sources of the storage layer (confab_store): the Store interface, its two
# backends, migrations, and the store threads that run every database job.
set(CONFAB_STORE_SOURCES
    store/store.h
    store/store_log.h store/store_log.cpp
    store/database_url.h store/database_url.cpp
    store/store_factory.h store/store_factory.cpp
    store/transaction.h store/transaction.cpp
    store/change_journal.h
    store/migration.h
    store/sql_util.h store/sql_util.cpp
    store/username_keys.h store/username_keys.cpp
    store/sql_store.h store/sql_store.cpp
    store/sql_store_users.cpp
    store/sql_store_sessions.cpp
    store/sql_store_rooms.cpp
    store/sql_store_messages.cpp
    store/sql_store_batch.cpp
    store/sql_store_lifecycle.cpp
    store/sql_store_message_parts.cpp
    store/sql_store_attention.cpp
    store/sql_store_groups.cpp
    store/sql_store_roles.cpp
    store/store_errors.h
    store/sql_store_pins.cpp
    store/sql_store_avatars.cpp
    store/sql_store_files.cpp
    store/sql_store_search.cpp
    store/sql_store_changes.cpp
    store/sql_store_admin.cpp
    store/sql_store_connection.cpp
    store/postgres_connection.h store/postgres_connection.cpp
    store/sqlite_store.h store/sqlite_store.cpp
    store/sqlite_migrations.h store/sqlite_migrations.cpp
    store/postgres_store.h store/postgres_store.cpp
    store/postgres_migrations.h store/postgres_migrations.cpp
    store/store_executor.h store/store_executor.cpp
    store/store_lane.h store/store_lane.cpp
)
