#include "store/postgres_migrations.h"

#include "store/sql_util.h"
#include "store/store_log.h"
#include "store/username_keys.h"

#include <QSqlError>
#include <QSqlQuery>

#include <iterator>

namespace confab::server {

namespace {

// Version 1: users, sessions, rooms, members, messages, mentions; the same
// tables as SQLite's version 1. Ids are BIGINT identities (never reused, like
// SQLite's AUTOINCREMENT; ALWAYS, so no code path can pick its own id), times
// BIGINT milliseconds, hashes BYTEA. The flag columns stay INTEGER 0/1 as in
// SQLite so that the portable SQL compares and binds them identically.
// COLLATE "C" on the folded names: ordered by code point like SQLite's BINARY
// whatever the database locale, and a B-tree index that serves LIKE 'prefix%'.
const char* const kV1CoreTables[] = {
    "CREATE TABLE users ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " username TEXT NOT NULL,"
    " username_fold TEXT COLLATE \"C\" NOT NULL UNIQUE,"
    " display_name TEXT NOT NULL,"
    " display_name_fold TEXT COLLATE \"C\" NOT NULL,"
    " password_hash BYTEA NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " last_seen_at BIGINT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0)",

    "CREATE TABLE tokens ("
    " token_hash BYTEA PRIMARY KEY,"
    " user_id BIGINT NOT NULL REFERENCES users (id),"
    " created_at BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX tokens_user ON tokens (user_id)",

    "CREATE TABLE rooms ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " type TEXT NOT NULL CHECK (type IN ('dm', 'group')),"
    " name TEXT NOT NULL DEFAULT '',"
    " owner_id BIGINT REFERENCES users (id),"
    " dm_low BIGINT REFERENCES users (id),"
    " dm_high BIGINT REFERENCES users (id),"
    " created_at BIGINT NOT NULL,"
    " CHECK ((type = 'dm') = (dm_low IS NOT NULL AND dm_high IS NOT NULL AND dm_low <= dm_high)),"
    " UNIQUE (dm_low, dm_high))",

    "CREATE TABLE members ("
    " room_id BIGINT NOT NULL REFERENCES rooms (id),"
    " user_id BIGINT NOT NULL REFERENCES users (id),"
    " joined_at BIGINT NOT NULL,"
    " last_read_message_id BIGINT NOT NULL DEFAULT 0,"
    " PRIMARY KEY (room_id, user_id))",
    "CREATE INDEX members_user ON members (user_id)",

    "CREATE TABLE messages ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " room_id BIGINT NOT NULL REFERENCES rooms (id),"
    " sender_id BIGINT NOT NULL REFERENCES users (id),"
    " content TEXT NOT NULL,"
    " mentions_json TEXT NOT NULL DEFAULT '[]',"
    " temp_id TEXT NOT NULL,"
    " reply_to BIGINT REFERENCES messages (id),"
    " created_at BIGINT NOT NULL,"
    " edited_at BIGINT,"
    " deleted INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (sender_id, temp_id))",
    // (room, id) paging; sender_id in the index lets unread counting skip the
    // user's own messages without reading rows.
    "CREATE INDEX messages_room ON messages (room_id, id, sender_id)",

    "CREATE TABLE mentions ("
    " user_id BIGINT NOT NULL REFERENCES users (id),"
    " message_id BIGINT NOT NULL REFERENCES messages (id),"
    " room_id BIGINT NOT NULL REFERENCES rooms (id),"
    " PRIMARY KEY (user_id, message_id))",
    "CREATE INDEX mentions_user_room ON mentions (user_id, room_id, message_id)",
};

// Version 2: message search. The case-folded text of each message (folded in
// C++, as for SQLite), read by LIKE through a pg_trgm GIN index for 3+ code
// points and by strpos() in the short-query scan. The index is built by
// createSearchIndex() after the extension exists and the text is backfilled.
const char* const kV2SearchTable[] = {
    "CREATE TABLE message_search ("
    " message_id BIGINT PRIMARY KEY REFERENCES messages (id),"
    " body TEXT NOT NULL)",
};

// pg_trgm is trusted since PostgreSQL 13: the database owner (or anyone with
// CREATE on it) may create it without being a superuser. When that is not so,
// say exactly what is missing instead of a generic migration error.
Result<void> createSearchIndex(const QSqlDatabase& db)
{
    QSqlQuery extension(db);
    if (!extension.exec(QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_trgm"))) {
        const QString why = extension.lastError().databaseText().trimmed();
        qCWarning(lcSqlStore).noquote() << "CREATE EXTENSION pg_trgm failed:" << why;
        return makeError(
            ErrorCode::Internal,
            QStringLiteral("message search needs the PostgreSQL extension pg_trgm, and creating it "
                           "failed: %1. It ships with PostgreSQL; a database owner may create it "
                           "(PostgreSQL 13+), otherwise ask a superuser to run "
                           "CREATE EXTENSION pg_trgm in this database")
                .arg(why));
    }
    if (Result<void> filled = sql::backfillSearchIndex(
            db, QStringLiteral("INSERT INTO message_search (message_id, body) VALUES (:id, :body)"));
        !filled) {
        return filled;
    }
    return sql::execUnprepared(db,
                               QStringLiteral("CREATE INDEX message_search_body_trgm ON message_search "
                                              "USING gin (body gin_trgm_ops)"),
                               "creating the message search index");
}

// Version 3: the change log that servers sharing the database read to
// deliver each other's changes (docs/cluster.md). Rows are short-lived:
// every server deletes those older than its retention by created_at.
const char* const kV3ClusterEvents[] = {
    "CREATE TABLE cluster_events ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " origin TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " room_id BIGINT NOT NULL,"
    " user_id BIGINT NOT NULL,"
    " message_id BIGINT NOT NULL DEFAULT 0,"
    " user_ids TEXT NOT NULL DEFAULT '',"
    " created_at BIGINT NOT NULL)",
    "CREATE INDEX cluster_events_created ON cluster_events (created_at)",
};

// Version 4: administration (confab-server admin, docs/admin.md): when an
// account was disabled, and invite codes (only their SHA-256 is stored, with
// the first characters as a hint for listing). Admin changes that running
// servers must act on go through cluster_events (version 3).
const char* const kV4Administration[] = {
    "ALTER TABLE users ADD COLUMN disabled_at BIGINT",
    "CREATE TABLE invites ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " code_hash BYTEA NOT NULL UNIQUE,"
    " code_hint TEXT NOT NULL,"
    " max_uses INTEGER NOT NULL,"
    " uses INTEGER NOT NULL DEFAULT 0,"
    " expires_at BIGINT,"
    " revoked INTEGER NOT NULL DEFAULT 0,"
    " created_at BIGINT NOT NULL)",
};

// Version 5: signing in (issue 12), as SQLite's version 4: usernames in NFC
// with compatibility-normalised, case-folded keys (validation::usernameKey,
// in C++ for the rows that predate the rule), and the token pruner's indexes.
const char* const kV5SigningIn[] = {
    "CREATE INDEX tokens_expires ON tokens (expires_at)",
    "CREATE INDEX tokens_revoked ON tokens (token_hash) WHERE revoked = 1",
};

// Version 6: the message lifecycle, as SQLite's version 5, but revisions
// come from a sequence (several servers write at once; the per-room order
// is PostgresStore::lockRoomForChange()'s).
const char* const kV6Lifecycle[] = {
    "ALTER TABLE messages ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
    "UPDATE messages SET revision = id",
    "CREATE INDEX messages_room_revision ON messages (room_id, revision)",
    "CREATE SEQUENCE message_revisions",
    "SELECT setval('message_revisions', GREATEST((SELECT COALESCE(MAX(revision), 0) FROM messages), 1))",
    "CREATE TABLE reactions ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " message_id BIGINT NOT NULL REFERENCES messages (id),"
    " emoji TEXT NOT NULL,"
    " user_id BIGINT NOT NULL REFERENCES users (id),"
    " created_at BIGINT NOT NULL,"
    " UNIQUE (message_id, emoji, user_id))",
    "ALTER TABLE cluster_events ADD COLUMN detail TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cluster_events ADD COLUMN flag INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cluster_events ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
};

// Version 7, as SQLite's version 6: attention (contract, second part). A user's status and status text,
// and whether others see the user's read markers (receipts); a notify level per member. Defaults are what a
// user had before: available, no text, receipts on, notify all.
const char* const kV7Attention[] = {
    "ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'available'"
    " CHECK (status IN ('available', 'away', 'dnd'))",
    "ALTER TABLE users ADD COLUMN status_text TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE users ADD COLUMN send_receipts INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'all'"
    " CHECK (notify IN ('all', 'mentions', 'none'))",
};

// Version 8, as SQLite's version 7: groups (contract, second part). Roles
// with the time each was taken (ownership passes to the longest-held admin),
// the owner of each existing group (rooms.owner_id) becoming its owner; topics,
// visibility and the folded name the public directory filters on (COLLATE "C"
// as the other folds); messages' kind and system JSON; pins.
const char* const kV8Groups[] = {
    "ALTER TABLE members ADD COLUMN role TEXT NOT NULL DEFAULT 'member'"
    " CHECK (role IN ('owner', 'admin', 'member'))",
    "ALTER TABLE members ADD COLUMN role_since BIGINT NOT NULL DEFAULT 0",
    "UPDATE members SET role_since = joined_at",
    "UPDATE members SET role = 'owner' FROM rooms r WHERE r.id = members.room_id"
    " AND r.type = 'group' AND r.owner_id = members.user_id",
    "ALTER TABLE rooms ADD COLUMN topic TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE rooms ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private'"
    " CHECK (visibility IN ('private', 'public'))",
    "ALTER TABLE rooms ADD COLUMN name_fold TEXT COLLATE \"C\" NOT NULL DEFAULT ''",
    "CREATE INDEX rooms_public ON rooms (name_fold) WHERE visibility = 'public'",
    "ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'system'))",
    "ALTER TABLE messages ADD COLUMN system_json TEXT",
    "CREATE TABLE pins ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " room_id BIGINT NOT NULL REFERENCES rooms (id),"
    " message_id BIGINT NOT NULL UNIQUE REFERENCES messages (id),"
    " pinned_by BIGINT NOT NULL REFERENCES users (id),"
    " pinned_at BIGINT NOT NULL)",
    "CREATE INDEX pins_room ON pins (room_id, id)",
};

// Version 9: avatars (issue 15). One row per distinct image, named by the
// hex SHA-256 of its bytes (content-addressed: users who set the same image
// share it); users.avatar_id refers to it, NULL when the user has none. An
// image no user refers to is deleted in the transaction that let it go.
const char* const kV9Avatars[] = {
    "CREATE TABLE avatars ("
    " id TEXT PRIMARY KEY,"
    " mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),"
    " data BYTEA NOT NULL,"
    " created_at BIGINT NOT NULL)",
    "ALTER TABLE users ADD COLUMN avatar_id TEXT REFERENCES avatars (id)",
    "CREATE INDEX users_avatar ON users (avatar_id) WHERE avatar_id IS NOT NULL",
};

// Version 10: files (issue 16). One row per upload, its bytes in file_chunks
// as the client sent them (each chunk one row, keyed by its byte offset).
// `received` is how many bytes are held; `finished` is set once the SHA-256
// of the stored bytes matched. message_id is set when a message claims the
// file (`position` its place among the attachments; thumbnail_of for a
// thumbnail, the file it shows). Rows with no message expire (the pruner).
const char* const kV10Files[] = {
    "CREATE TABLE files ("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " uploader_id BIGINT NOT NULL REFERENCES users (id),"
    " room_id BIGINT NOT NULL REFERENCES rooms (id),"
    " name TEXT NOT NULL,"
    " size BIGINT NOT NULL CHECK (size > 0),"
    " mime TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " width BIGINT,"
    " height BIGINT,"
    " received BIGINT NOT NULL DEFAULT 0,"
    " finished BIGINT NOT NULL DEFAULT 0,"
    " message_id BIGINT REFERENCES messages (id),"
    " position BIGINT NOT NULL DEFAULT 0,"
    " thumbnail_of BIGINT,"
    " created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL)",
    "CREATE INDEX files_uploader ON files (uploader_id)",
    "CREATE INDEX files_message ON files (message_id) WHERE message_id IS NOT NULL",
    "CREATE INDEX files_unclaimed ON files (updated_at) WHERE message_id IS NULL",
    "CREATE TABLE file_chunks ("
    " file_id BIGINT NOT NULL REFERENCES files (id),"
    " byte_offset BIGINT NOT NULL,"
    " data BYTEA NOT NULL,"
    " PRIMARY KEY (file_id, byte_offset))",
};

constexpr Migration kMigrations[] = {
    makeMigration(1, "core tables", kV1CoreTables),
    makeMigration(kPostgresSearchIndexVersion, "message search index (pg_trgm GIN)", kV2SearchTable,
                  createSearchIndex),
    makeMigration(3, "cluster change log", kV3ClusterEvents),
    makeMigration(4, "administration: disabled_at, invites", kV4Administration),
    makeMigration(5, "signing in: normalised username keys, token pruning indexes", kV5SigningIn,
                  sql::renormalizeUsernames),
    makeMigration(kPostgresLifecycleVersion, "message lifecycle: revisions, reactions", kV6Lifecycle),
    makeMigration(kPostgresAttentionVersion, "attention: statuses, receipts, notify levels", kV7Attention),
    makeMigration(kPostgresGroupsVersion, "groups: roles, topics, visibility, system messages, pins",
                  kV8Groups, sql::backfillRoomNameFolds),
    makeMigration(kPostgresAvatarsVersion, "avatars", kV9Avatars),
    makeMigration(kPostgresFilesVersion, "files", kV10Files),
};

constexpr MigrationList kMigrationList{kMigrations, std::size(kMigrations)};
static_assert(kMigrationList.isSequential(), "PostgreSQL migrations must be numbered 1, 2, 3, ... in order");

} // namespace

MigrationList postgresMigrations()
{
    return kMigrationList;
}

} // namespace confab::server
