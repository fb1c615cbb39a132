#pragma once

#include "store/migration.h"

namespace confab::server {

// The SQLite schema history, oldest first. Append only.
MigrationList sqliteMigrations();

// The first schema version that has the message search index.
inline constexpr int kSqliteSearchIndexVersion = 2;
// The first with revisions and reactions (the message lifecycle).
inline constexpr int kSqliteLifecycleVersion = 5;
// The first with statuses, receipt opt-outs and notify levels (attention).
inline constexpr int kSqliteAttentionVersion = 6;
// The first with roles, topics, visibility, system messages and pins (groups).
inline constexpr int kSqliteGroupsVersion = 7;
// The first with avatars (issue 15).
inline constexpr int kSqliteAvatarsVersion = 8;
// The first with files (issue 16).
inline constexpr int kSqliteFilesVersion = 9;
// The first that indexes messages for search after their commit (issue 17).
inline constexpr int kSqliteDeferredSearchVersion = 10;

} // namespace confab::server
