#pragma once

#include "protocol/result.h"

#include <QSqlDatabase>

#include <cstddef>

namespace confab::server {

// An optional C++ step of a migration (e.g. backfilling a search index with
// text only C++ can fold). Runs after the statements, in the same transaction.
using MigrationStep = Result<void> (*)(const QSqlDatabase& db);

// One numbered schema change. A backend keeps an ordered table of these:
// append only, never edit or renumber an applied one. SqlStore applies each
// in one transaction together with its schema_version row.
struct Migration {
    int version = 0;
    const char* description = nullptr;
    const char* const* statements = nullptr; // one SQL statement each
    std::size_t statementCount = 0;
    MigrationStep step = nullptr;
};

template <std::size_t N>
constexpr Migration makeMigration(int version, const char* description, const char* const (&statements)[N],
                                  MigrationStep step = nullptr)
{
    return Migration{version, description, statements, N, step};
}

// A backend's migration table, oldest first.
struct MigrationList {
    const Migration* first = nullptr;
    std::size_t size = 0;

    constexpr const Migration* begin() const { return first; }
    constexpr const Migration* end() const { return first + size; }
    constexpr int latestVersion() const { return size == 0 ? 0 : first[size - 1].version; }
    // Versions must be 1, 2, 3, ... with no gap or repeat.
    constexpr bool isSequential() const
    {
        for (std::size_t i = 0; i < size; ++i) {
            if (first[i].version != int(i) + 1)
                return false;
        }
        return true;
    }
};

} // namespace confab::server
