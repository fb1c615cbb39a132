#include "store/sqlite_migrations.h"

#include "store/sql_util.h"
#include "store/username_keys.h"

#include <iterator>

namespace confab::server {

namespace {

// Version 1: users, sessions, rooms, members, messages, mentions.
// A read marker per member (members.last_read_message_id), never a row per
// reader. AUTOINCREMENT: message ids are never reused, even after deletes.
const char* const kV1CoreTables[] = {
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " username TEXT NOT NULL,"
    " username_fold TEXT NOT NULL UNIQUE,"
    " display_name TEXT NOT NULL,"
    " display_name_fold TEXT NOT NULL,"
    " password_hash BLOB NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " last_seen_at INTEGER NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0)",

    "CREATE TABLE tokens ("
    " token_hash BLOB PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX tokens_user ON tokens (user_id)",

    "CREATE TABLE rooms ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " type TEXT NOT NULL CHECK (type IN ('dm', 'group')),"
    " name TEXT NOT NULL DEFAULT '',"
    " owner_id INTEGER REFERENCES users (id),"
    " dm_low INTEGER REFERENCES users (id),"
    " dm_high INTEGER REFERENCES users (id),"
    " created_at INTEGER NOT NULL,"
    " CHECK ((type = 'dm') = (dm_low IS NOT NULL AND dm_high IS NOT NULL AND dm_low <= dm_high)),"
    " UNIQUE (dm_low, dm_high))",

    "CREATE TABLE members ("
    " room_id INTEGER NOT NULL REFERENCES rooms (id),"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " joined_at INTEGER NOT NULL,"
    " last_read_message_id INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (room_id, user_id))",
    "CREATE INDEX members_user ON members (user_id)",

    "CREATE TABLE messages ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " room_id INTEGER NOT NULL REFERENCES rooms (id),"
    " sender_id INTEGER NOT NULL REFERENCES users (id),"
    " content TEXT NOT NULL,"
    " mentions_json TEXT NOT NULL DEFAULT '[]',"
    " temp_id TEXT NOT NULL,"
    " reply_to INTEGER REFERENCES messages (id),"
    " created_at INTEGER NOT NULL,"
    " edited_at INTEGER,"
    " deleted INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (sender_id, temp_id))",
    // (room, id) paging; sender_id in the index lets unread counting skip the
    // user's own messages without reading rows.
    "CREATE INDEX messages_room ON messages (room_id, id, sender_id)",

    "CREATE TABLE mentions ("
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " message_id INTEGER NOT NULL REFERENCES messages (id),"
    " room_id INTEGER NOT NULL REFERENCES rooms (id),"
    " PRIMARY KEY (user_id, message_id))",
    "CREATE INDEX mentions_user_room ON mentions (user_id, room_id, message_id)",
};

// Version 2: message search. A regular FTS5 table of case-folded message text
// (rowid = message id) with the trigram tokenizer: a quoted phrase query is a
// case-insensitive substring match for any script. The folded text is also
// what the short-query scan reads with instr().
const char* const kV2SearchIndex[] = {
    "CREATE VIRTUAL TABLE message_search USING fts5(body, tokenize = 'trigram')",
};

// Folding is Unicode case folding done in C++ (SQLite's lower() is ASCII
// only), so existing messages are indexed here rather than in SQL.
Result<void> backfillSearchIndex(const QSqlDatabase& db)
{
    return sql::backfillSearchIndex(
        db, QStringLiteral("INSERT INTO message_search (rowid, body) VALUES (:id, :body)"));
}

// Version 3: administration (confab-server admin, docs/admin.md). When an
// account was disabled; invite codes (only their SHA-256 is stored, with the
// first characters as a hint for listing); and the change log through which
// an admin process tells the running server to close a disabled user's
// connections. It has PostgreSQL's cluster_events columns so that SqlStore
// records changes the same way on both; here only admin commands write it.
const char* const kV3Administration[] = {
    "ALTER TABLE users ADD COLUMN disabled_at INTEGER",
    "CREATE TABLE invites ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " code_hash BLOB NOT NULL UNIQUE,"
    " code_hint TEXT NOT NULL,"
    " max_uses INTEGER NOT NULL,"
    " uses INTEGER NOT NULL DEFAULT 0,"
    " expires_at INTEGER,"
    " revoked INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL)",
    "CREATE TABLE cluster_events ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " origin TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " room_id INTEGER NOT NULL,"
    " user_id INTEGER NOT NULL,"
    " message_id INTEGER NOT NULL DEFAULT 0,"
    " user_ids TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL)",
};

// Version 4: signing in (issue 12). Usernames in NFC with keys that are
// compatibility-normalised and case-folded (validation::usernameKey), done
// in C++ for the rows that predate the rule; and indexes that let the token
// pruner delete expired and revoked sessions in bounded batches.
const char* const kV4SigningIn[] = {
    "CREATE INDEX tokens_expires ON tokens (expires_at)",
    "CREATE INDEX tokens_revoked ON tokens (token_hash) WHERE revoked = 1",
};

// Version 5: the message lifecycle (contract, second part). A revision per
// message, raised server-wide by every change (a one-row counter: SQLite has
// one writer, so revisions commit in the order they are taken); existing
// messages start at their id. Reactions, one row per (message, emoji, user),
// whose ids give the order of first use. The change log carries what a
// reaction needs (detail = the emoji, flag = on, revision).
const char* const kV5Lifecycle[] = {
    "ALTER TABLE messages ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
    "UPDATE messages SET revision = id",
    "CREATE INDEX messages_room_revision ON messages (room_id, revision)",
    "CREATE TABLE revision_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)",
    "INSERT INTO revision_counter (id, value) SELECT 1, COALESCE(MAX(revision), 0) FROM messages",
    "CREATE TABLE reactions ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " message_id INTEGER NOT NULL REFERENCES messages (id),"
    " emoji TEXT NOT NULL,"
    " user_id INTEGER NOT NULL REFERENCES users (id),"
    " created_at INTEGER NOT NULL,"
    " UNIQUE (message_id, emoji, user_id))",
    "ALTER TABLE cluster_events ADD COLUMN detail TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cluster_events ADD COLUMN flag INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cluster_events ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
};

// Version 6: attention (contract, second part). A user's status and status text, and
// whether others see the user's read markers (receipts); a notify level per
// member. Defaults are what a user had before: available, no text, receipts
// on, notify all.
const char* const kV6Attention[] = {
    "ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'available'"
    " CHECK (status IN ('available', 'away', 'dnd'))",
    "ALTER TABLE users ADD COLUMN status_text TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE users ADD COLUMN send_receipts INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'all'"
    " CHECK (notify IN ('all', 'mentions', 'none'))",
};

// Version 7: groups (contract, second part). A member's role and since when
// it is held (ownership passes to the admin who has held the role longest);
// a group's owner (rooms.owner_id) becomes its owner, everyone else a member,
// holding the role since they joined. A room's topic and visibility, and its
// case-folded name for the public directory (filled in C++). Messages gain a
// kind ('text' or 'system') and a system message's `system` object as JSON
// (NULL for text). Pins: one row per pinned message, whose id orders the
// room's pins (newest first); a message belongs to one room, so it is pinned
// at most once.
const char* const kV7Groups[] = {
    "ALTER TABLE members ADD COLUMN role TEXT NOT NULL DEFAULT 'member'"
    " CHECK (role IN ('owner', 'admin', 'member'))",
    "ALTER TABLE members ADD COLUMN role_since INTEGER NOT NULL DEFAULT 0",
    "UPDATE members SET role_since = joined_at",
    "UPDATE members SET role = 'owner' WHERE EXISTS (SELECT 1 FROM rooms r WHERE r.id = members.room_id"
    " AND r.type = 'group' AND r.owner_id = members.user_id)",
    "ALTER TABLE rooms ADD COLUMN topic TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE rooms ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private'"
    " CHECK (visibility IN ('private', 'public'))",
    "ALTER TABLE rooms ADD COLUMN name_fold TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX rooms_public ON rooms (name_fold) WHERE visibility = 'public'",
    "ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'system'))",
    "ALTER TABLE messages ADD COLUMN system_json TEXT",
    "CREATE TABLE pins ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " room_id INTEGER NOT NULL REFERENCES rooms (id),"
    " message_id INTEGER NOT NULL UNIQUE REFERENCES messages (id),"
    " pinned_by INTEGER NOT NULL REFERENCES users (id),"
    " pinned_at INTEGER NOT NULL)",
    "CREATE INDEX pins_room ON pins (room_id, id)",
};

// Version 8: avatars (issue 15). One row per distinct image, named by the
// hex SHA-256 of its bytes (content-addressed: users who set the same image
// share it); users.avatar_id refers to it, NULL when the user has none. An
// image no user refers to is deleted in the transaction that let it go.
const char* const kV8Avatars[] = {
    "CREATE TABLE avatars ("
    " id TEXT PRIMARY KEY,"
    " mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),"
    " data BLOB NOT NULL,"
    " created_at INTEGER NOT NULL)",
    "ALTER TABLE users ADD COLUMN avatar_id TEXT REFERENCES avatars (id)",
    "CREATE INDEX users_avatar ON users (avatar_id) WHERE avatar_id IS NOT NULL",
};

// Version 9: files (issue 16). One row per upload, its bytes in file_chunks
// as the client sent them (each chunk one row, keyed by its byte offset).
// `received` is how many bytes are held; `finished` is set once the SHA-256
// of the stored bytes matched. message_id is set when a message claims the
// file (`position` its place among the attachments; thumbnail_of for a
// thumbnail, the file it shows). Rows with no message expire (the pruner).
const char* const kV9Files[] = {
    "CREATE TABLE files ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " uploader_id INTEGER NOT NULL REFERENCES users (id),"
    " room_id INTEGER NOT NULL REFERENCES rooms (id),"
    " name TEXT NOT NULL,"
    " size INTEGER NOT NULL CHECK (size > 0),"
    " mime TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " width INTEGER,"
    " height INTEGER,"
    " received INTEGER NOT NULL DEFAULT 0,"
    " finished INTEGER NOT NULL DEFAULT 0,"
    " message_id INTEGER REFERENCES messages (id),"
    " position INTEGER NOT NULL DEFAULT 0,"
    " thumbnail_of INTEGER,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL)",
    "CREATE INDEX files_uploader ON files (uploader_id)",
    "CREATE INDEX files_message ON files (message_id) WHERE message_id IS NOT NULL",
    "CREATE INDEX files_unclaimed ON files (updated_at) WHERE message_id IS NULL",
    "CREATE TABLE file_chunks ("
    " file_id INTEGER NOT NULL REFERENCES files (id),"
    " byte_offset INTEGER NOT NULL,"
    " data BLOB NOT NULL,"
    " PRIMARY KEY (file_id, byte_offset))",
};

// Version 10: the search index is written after the messages' commit, in
// batches, by the writer between jobs (issue 17; docs/store-threads.md,
// "The search index"). Every message up to indexed_through is in it (or
// needs not be: deleted, or a system message); search scans the rest.
const char* const kV10DeferredSearch[] = {
    "CREATE TABLE message_search_progress ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " indexed_through INTEGER NOT NULL)",
    "INSERT INTO message_search_progress (id, indexed_through) SELECT 1, COALESCE(MAX(id), 0) FROM messages",
};

// Version 11: cheaper index upkeep (issue 17, bench/README.md "Issue 17,
// fourth round"). columnsize=0: no per-message row of token counts, which
// only bm25() reads and search never ranks by; automerge=8: each FTS5 level
// waits for 8 segments instead of 4 before merging them, so each indexed
// byte is merged fewer times. Measured on chat-like text: 29-30k rows
// indexed a second against 18-22k, the longest transaction 87 ms against
// 152-191 ms, and phrase queries 0.1-1.6 ms against 0.1-1.3 ms. The index
// is copied, not rebuilt: its folded text needs no folding again.
const char* const kV11CheaperSearchIndex[] = {
    "CREATE VIRTUAL TABLE message_search_v11 USING fts5(body, tokenize = 'trigram', columnsize = 0)",
    "INSERT INTO message_search_v11 (message_search_v11, rank) VALUES ('automerge', 8)",
    "INSERT INTO message_search_v11 (rowid, body) SELECT rowid, body FROM message_search",
    "DROP TABLE message_search",
    "ALTER TABLE message_search_v11 RENAME TO message_search",
};

constexpr Migration kMigrations[] = {
    makeMigration(1, "core tables", kV1CoreTables),
    makeMigration(kSqliteSearchIndexVersion, "message search index (FTS5 trigram)", kV2SearchIndex,
                  backfillSearchIndex),
    makeMigration(3, "administration: disabled_at, invites, admin change log", kV3Administration),
    makeMigration(4, "signing in: normalised username keys, token pruning indexes", kV4SigningIn,
                  sql::renormalizeUsernames),
    makeMigration(kSqliteLifecycleVersion, "message lifecycle: revisions, reactions", kV5Lifecycle),
    makeMigration(kSqliteAttentionVersion, "attention: statuses, receipts, notify levels", kV6Attention),
    makeMigration(kSqliteGroupsVersion, "groups: roles, topics, visibility, system messages, pins", kV7Groups,
                  sql::backfillRoomNameFolds),
    makeMigration(kSqliteAvatarsVersion, "avatars", kV8Avatars),
    makeMigration(kSqliteFilesVersion, "files", kV9Files),
    makeMigration(kSqliteDeferredSearchVersion, "search indexed after the commit", kV10DeferredSearch),
    makeMigration(11, "cheaper search index upkeep: columnsize=0, automerge=8", kV11CheaperSearchIndex),
};

constexpr MigrationList kMigrationList{kMigrations, std::size(kMigrations)};
static_assert(kMigrationList.isSequential(), "SQLite migrations must be numbered 1, 2, 3, ... in order");

} // namespace

MigrationList sqliteMigrations()
{
    return kMigrationList;
}

} // namespace confab::server
