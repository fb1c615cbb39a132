#include "admin/sqlite_backup.h"

#include "admin/admin_connection.h"
#include "admin/file_util.h"
#include "store/sqlite_migrations.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>

namespace confab::server::admin {

namespace {

DatabaseUrl sqliteUrl(const QString& path)
{
    DatabaseUrl url;
    url.kind = DatabaseUrl::Kind::Sqlite;
    url.sqlitePath = path;
    return url;
}

Result<qint64> countRows(const QSqlDatabase& db, const QString& table)
{
    auto query = run(db, QStringLiteral("SELECT COUNT(*) FROM %1").arg(table), {},
                     QStringLiteral("counting %1").arg(table));
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toLongLong() : 0;
}

// Makes the copy one self-contained file: a backup in WAL mode would leave
// -wal/-shm files beside itself whenever it is opened.
Result<void> useRollbackJournal(const QString& path)
{
    auto connection = AdminConnection::open(sqliteUrl(path), AdminConnection::Mode::ReadWrite);
    if (!connection)
        return connection.error();
    auto mode = run(connection.value()->db(), QStringLiteral("PRAGMA journal_mode = DELETE"), {},
                    QStringLiteral("switching the backup to a rollback journal"));
    if (!mode)
        return mode.error();
    return {};
}

// Copies `from` into a new 0600 file `to`.
Result<void> copyToPrivateFile(const QString& from, const QString& to)
{
    if (Result<void> created = files::createPrivateFile(to); !created)
        return created.error();
    QFile in(from);
    QFile out(to);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot copy %1 to %2").arg(from, to));
    QByteArray chunk;
    while (!(chunk = in.read(1 << 20)).isEmpty()) {
        if (out.write(chunk) != chunk.size())
            return makeError(ErrorCode::Internal,
                             QStringLiteral("cannot write %1: %2").arg(to, out.errorString()));
    }
    if (in.error() != QFileDevice::NoError)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot read %1: %2").arg(from, in.errorString()));
    return {};
}

void removeQuietly(const QString& path)
{
    for (const QString& suffix :
         {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        QFile::remove(path + suffix);
}

} // namespace

Result<SqliteFileInfo> checkSqliteFile(const QString& path)
{
    if (!QFileInfo(path).isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("no such file: %1").arg(path));
    auto connection = AdminConnection::open(sqliteUrl(path), AdminConnection::Mode::ReadOnly);
    if (!connection)
        return connection.error();
    const QSqlDatabase& db = connection.value()->db();
    auto check = run(db, QStringLiteral("PRAGMA integrity_check"), {},
                     QStringLiteral("checking %1 (is it a SQLite database?)").arg(path));
    if (!check)
        return check.error();
    const QString verdict = check->next() ? check->value(0).toString() : QString();
    if (verdict != QLatin1String("ok"))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("%1 failed the integrity check: %2").arg(path, verdict));
    check->finish();
    SqliteFileInfo info;
    auto version = connection.value()->schemaVersion();
    if (!version)
        return version.error();
    info.schemaVersion = version.value();
    if (info.schemaVersion == 0)
        return makeError(ErrorCode::BadRequest, QStringLiteral("%1 is not a Confab database").arg(path));
    auto users = countRows(db, QStringLiteral("users"));
    auto messages = countRows(db, QStringLiteral("messages"));
    if (!users)
        return users.error();
    if (!messages)
        return messages.error();
    info.users = users.value();
    info.messages = messages.value();
    return info;
}

Result<SqliteFileInfo> backupSqlite(const QString& databasePath, const QString& outPath)
{
    if (!QFileInfo(databasePath).isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("no database at %1").arg(databasePath));
    const QString temporary =
        QStringLiteral("%1.tmp-%2").arg(outPath).arg(QCoreApplication::applicationPid());
    removeQuietly(temporary);
    // VACUUM INTO writes into an existing empty file: created 0600 first, so
    // the hashes are never readable by others, not even for a moment.
    if (Result<void> created = files::createPrivateFile(temporary); !created)
        return created.error();
    Result<SqliteFileInfo> info = [&]() -> Result<SqliteFileInfo> {
        {
            auto connection =
                AdminConnection::open(sqliteUrl(databasePath), AdminConnection::Mode::ReadWrite);
            if (!connection)
                return connection.error();
            auto copied =
                run(connection.value()->db(), QStringLiteral("VACUUM INTO :target"),
                    {{QStringLiteral(":target"), temporary}}, QStringLiteral("copying the database"));
            if (!copied)
                return copied.error();
        }
        if (Result<void> journal = useRollbackJournal(temporary); !journal)
            return journal.error();
        return checkSqliteFile(temporary);
    }();
    if (info) {
        if (Result<void> synced = files::syncFileAndDirectory(temporary); !synced)
            info = synced.error();
    }
    if (info) {
        if (Result<void> renamed = files::replaceFile(temporary, outPath); !renamed)
            info = renamed.error();
        else if (Result<void> synced = files::syncFileAndDirectory(outPath); !synced)
            info = synced.error();
    }
    if (!info)
        removeQuietly(temporary);
    return info;
}

Result<SqliteFileInfo> restoreSqlite(const QString& databasePath, const QString& backupPath, QString* keptAs)
{
    Result<SqliteFileInfo> info = checkSqliteFile(backupPath);
    if (!info)
        return info;
    const int supported = sqliteMigrations().latestVersion();
    if (info->schemaVersion > supported)
        return makeError(ErrorCode::BadRequest,
                         QStringLiteral("the backup has schema version %1, newer than this server supports "
                                        "(%2): restore it with a newer confab-server")
                             .arg(info->schemaVersion)
                             .arg(supported));

    Result<bool> inUse = files::sqliteDatabaseInUse(databasePath);
    if (!inUse)
        return inUse.error();
    if (inUse.value())
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("the database %1 is in use: stop the server first").arg(databasePath));

    // The slow part (copying) before the lock, which is then held only for
    // the renames: a server starting meanwhile waits on it (busy timeout).
    const QString incoming = databasePath + QStringLiteral(".restoring");
    QFile::remove(incoming);
    Result<void> copied = copyToPrivateFile(backupPath, incoming);
    if (copied)
        copied = files::syncFileAndDirectory(incoming);
    Result<int> exclusive = copied ? files::takeSqliteExclusive(databasePath) : Result<int>(copied.error());
    if (!exclusive) {
        QFile::remove(incoming);
        return exclusive.error();
    }

    Result<SqliteFileInfo> result = [&]() -> Result<SqliteFileInfo> {
        if (QFileInfo::exists(databasePath)) {
            const QString kept = databasePath + QStringLiteral(".before-restore-") +
                                 QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
            // A -wal (a killed server's) or a hot -journal may hold committed
            // transactions: they travel with the file, under the names SQLite
            // looks for.
            for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-journal")}) {
                if (!QFileInfo::exists(databasePath + suffix))
                    continue;
                if (Result<void> moved = files::replaceFile(databasePath + suffix, kept + suffix); !moved)
                    return moved.error();
            }
            if (keptAs)
                *keptAs = kept;
        }
        if (Result<void> moved = files::replaceFile(incoming, databasePath); !moved)
            return moved.error();
        if (Result<void> synced = files::syncFileAndDirectory(databasePath); !synced)
            return synced.error();
        return info;
    }();
    if (!result)
        QFile::remove(incoming);
    // The -shm describes the replaced file's WAL; SQLite rebuilds it.
    QFile::remove(databasePath + QStringLiteral("-shm"));
    files::releaseSqliteExclusive(exclusive.value());
    return result;
}

} // namespace confab::server::admin
