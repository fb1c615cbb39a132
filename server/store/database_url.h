#pragma once

#include "protocol/result.h"

#include <QString>

namespace confab::server {

// A parsed --db value: "sqlite:/abs/or/relative/path.db" or
// "postgresql://user:pass@host:port/dbname" ("postgres://" too; percent-encode
// reserved characters in the user and password).
struct DatabaseUrl {
    enum class Kind { Sqlite, Postgresql };
    Kind kind = Kind::Sqlite;
    QString sqlitePath;                         // Kind::Sqlite
    QString host, user, password, databaseName; // Kind::Postgresql
    int port = 5432;

    static Result<DatabaseUrl> parse(const QString& url);
};

} // namespace confab::server
