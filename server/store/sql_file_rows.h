#pragma once

// The columns of a `files` row as FileInfo reads them, shared by the upload
// code (sql_store_files.cpp) and the attachments of messages
// (sql_store_attachments.cpp).
#include "protocol/types.h"

#include <QSqlQuery>
#include <QVariant>

namespace confab::server::sql {

// For a files table aliased "f"; fileFromRow() reads them from `first` on.
inline constexpr char kFileColumns[] = "f.id, f.name, f.size, f.mime, f.sha256, f.width, f.height";

inline FileInfo fileFromRow(const QSqlQuery& row, int first = 0)
{
    const auto optionalInt = [](const QVariant& v) {
        return v.isNull() ? std::nullopt : std::optional<int>(v.toInt());
    };
    FileInfo file;
    file.id = row.value(first).toLongLong();
    file.name = row.value(first + 1).toString();
    file.size = row.value(first + 2).toLongLong();
    file.mime = row.value(first + 3).toString();
    file.sha256 = row.value(first + 4).toString();
    file.width = optionalInt(row.value(first + 5));
    file.height = optionalInt(row.value(first + 6));
    return file;
}

// The answer for a file the caller may not see, whether or not it exists.
inline Error noSuchFile()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such file"));
}

} // namespace confab::server::sql
