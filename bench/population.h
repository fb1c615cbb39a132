#pragma once

#include "protocol/ids.h"
#include "protocol/result.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace confab::bench {

struct BenchUser {
    Id id = 0;
    QString token;
};

struct BenchRoom {
    Id id = 0;
    QList<int> members; // indices into Population::users
    bool dm = false;
};

// Who exists and who is in which room; members are user indices.
struct PopulationSpec {
    int users = 0;
    QList<QList<int>> groups; // the first member is the owner
    QList<QPair<int, int>> dms;
};

struct Population {
    QList<BenchUser> users;
    QList<BenchRoom> rooms; // groups first, then DMs, in spec order
};

// Writes users, session tokens and rooms straight into a SQLite file through
// the server's own SqliteStore (its schema and migrations), before the server
// starts: ~10^4 users/s instead of ~15 sign-ups/s through argon2id. Tokens are
// generated here and stored as their SHA-256, exactly as `register` would.
// The connection runs with synchronous=OFF: this is set-up, not a measured path.
Result<Population> seedPopulation(const QString& sqlitePath, const PopulationSpec& spec);

// The same through the protocol against any running server: `register` for
// every user (pipelined on a few connections; argon2id makes this ~15/s on
// 2 cores), then create_room / open_dm.
Result<Population> registerPopulation(const QUrl& url, const PopulationSpec& spec);

// Appends `count` random but realistic messages (English and Chinese, with
// words the search probes look for) to the given rooms, directly through
// SqliteStore::insertMessage (one transaction each, synchronous=OFF).
Result<qint64> seedMessages(const QString& sqlitePath, const Population& population, qint64 count,
                            int progressEvery = 0);

// Server-unique names per run, so that runs against one --url never collide.
QString runNonce();

} // namespace confab::bench
