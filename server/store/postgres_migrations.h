#pragma once

#include "store/migration.h"

namespace confab::server {

// The PostgreSQL schema history, oldest first. Append only. Version for
// version it has the same tables, columns and meaning as SQLite's
// (sqlite_migrations.cpp), so SqlStore's portable SQL runs on both.
MigrationList postgresMigrations();

// The first schema version that has the message search index.
inline constexpr int kPostgresSearchIndexVersion = 2;
// The first with revisions and reactions (the message lifecycle).
inline constexpr int kPostgresLifecycleVersion = 6;
// The first with statuses, receipt opt-outs and notify levels (attention).
inline constexpr int kPostgresAttentionVersion = 7;
// The first with roles, topics, visibility, system messages and pins (groups).
inline constexpr int kPostgresGroupsVersion = 8;
// The first with avatars (issue 15).
inline constexpr int kPostgresAvatarsVersion = 9;
// The first with files (issue 16).
inline constexpr int kPostgresFilesVersion = 10;

} // namespace confab::server
