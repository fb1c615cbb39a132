#include "admin/backup_commands.h"

#include "admin/admin_connection.h"
#include "admin/exporter.h"
#include "admin/file_util.h"
#include "admin/importer.h"
#include "admin/sqlite_backup.h"

#include <QCoreApplication>
#include <QFile>
#include <QUrl>

#include <cstdio>

namespace confab::server::admin {

namespace {

enum ExitCode { kDone = 0, kFailed = 1, kUsage = 2 };

void say(const QString& text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

int fail(const QString& command, const Error& error)
{
    say(QStringLiteral("confab-server admin %1: %2").arg(command, error.message));
    return kFailed;
}

// The PostgreSQL URL for libpq tools, without the password (give it in
// PGPASSWORD or ~/.pgpass, not on a command line that `ps` shows).
QString libpqUrl(const DatabaseUrl& url)
{
    QUrl out;
    out.setScheme(QStringLiteral("postgresql"));
    out.setHost(url.host);
    out.setPort(url.port);
    out.setUserName(url.user);
    out.setPath(QLatin1Char('/') + url.databaseName);
    return out.toString();
}

QString countsText(const TableCounts& counts)
{
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    return parts.join(QStringLiteral(", "));
}

int backup(const DatabaseUrl& url, const QString& file)
{
    if (url.kind == DatabaseUrl::Kind::Postgresql) {
        say(QStringLiteral(
                "confab-server admin backup: PostgreSQL is backed up with its own tool, consistent while "
                "the servers run:\n  PGPASSWORD=... pg_dump --format=custom --file='%1' '%2'\n"
                "restore with: pg_restore --clean --if-exists --dbname='%2' '%1'\n"
                "or take a portable export: confab-server admin export --db ... '%1.jsonl'")
                .arg(file, libpqUrl(url)));
        return kFailed;
    }
    Result<SqliteFileInfo> info = backupSqlite(url.sqlitePath, file);
    if (!info)
        return fail(QStringLiteral("backup"), info.error());
    say(QStringLiteral("backed up %1 to %2: schema version %3, %4 users, %5 messages, integrity ok")
            .arg(url.sqlitePath, file)
            .arg(info->schemaVersion)
            .arg(info->users)
            .arg(info->messages));
    return kDone;
}

int restore(const DatabaseUrl& url, const QString& file)
{
    if (url.kind == DatabaseUrl::Kind::Postgresql) {
        say(QStringLiteral(
                "confab-server admin restore: a PostgreSQL dump is restored with "
                "pg_restore --clean --if-exists --dbname='%1' '%2' (servers stopped), and an export "
                "with confab-server admin import into an empty database")
                .arg(libpqUrl(url), file));
        return kFailed;
    }
    QString kept;
    Result<SqliteFileInfo> info = restoreSqlite(url.sqlitePath, file, &kept);
    if (!info)
        return fail(QStringLiteral("restore"), info.error());
    say(QStringLiteral("restored %1 into %2: schema version %3, %4 users, %5 messages%6")
            .arg(file, url.sqlitePath)
            .arg(info->schemaVersion)
            .arg(info->users)
            .arg(info->messages)
            .arg(kept.isEmpty() ? QString() : QStringLiteral("; the replaced database is kept as ") + kept));
    return kDone;
}

int exportTo(const DatabaseUrl& url, const QString& file, bool withSessions)
{
    auto source = AdminConnection::open(url, AdminConnection::Mode::ReadWrite);
    if (!source)
        return fail(QStringLiteral("export"), source.error());
    ExportOptions options;
    options.withSessions = withSessions;
    if (file == QLatin1String("-")) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly))
            return fail(QStringLiteral("export"),
                        makeError(ErrorCode::Internal, QStringLiteral("cannot write to stdout")));
        Result<TableCounts> counts = exportDatabase(*source.value(), out, options);
        out.flush();
        if (!counts)
            return fail(QStringLiteral("export"), counts.error());
        say(QStringLiteral("exported %1").arg(countsText(counts.value())));
        return kDone;
    }
    // Into a 0600 temporary beside the file, renamed when complete.
    const QString temporary = QStringLiteral("%1.tmp-%2").arg(file).arg(QCoreApplication::applicationPid());
    QFile::remove(temporary);
    Result<TableCounts> counts = [&]() -> Result<TableCounts> {
        if (Result<void> created = files::createPrivateFile(temporary); !created)
            return created.error();
        QFile out(temporary);
        if (!out.open(QIODevice::WriteOnly))
            return makeError(ErrorCode::Internal,
                             QStringLiteral("cannot write %1: %2").arg(temporary, out.errorString()));
        Result<TableCounts> written = exportDatabase(*source.value(), out, options);
        if (!written)
            return written;
        if (!out.flush())
            return makeError(ErrorCode::Internal,
                             QStringLiteral("cannot write %1: %2").arg(temporary, out.errorString()));
        out.close();
        if (Result<void> synced = files::syncFileAndDirectory(temporary); !synced)
            return synced.error();
        if (Result<void> renamed = files::replaceFile(temporary, file); !renamed)
            return renamed.error();
        return written;
    }();
    if (!counts) {
        QFile::remove(temporary);
        return fail(QStringLiteral("export"), counts.error());
    }
    say(QStringLiteral("exported %1 to %2").arg(countsText(counts.value()), file));
    return kDone;
}

int importFrom(const DatabaseUrl& url, const QString& file)
{
    QFile in;
    const bool opened = file == QLatin1String("-") ? in.open(stdin, QIODevice::ReadOnly)
                                                   : (in.setFileName(file), in.open(QIODevice::ReadOnly));
    if (!opened)
        return fail(
            QStringLiteral("import"),
            makeError(ErrorCode::NotFound, QStringLiteral("cannot read %1: %2").arg(file, in.errorString())));
    // The schema first, exactly as a server start creates it.
    if (Result<void> migrated = migrateToLatest(url); !migrated)
        return fail(QStringLiteral("import"), migrated.error());
    auto target = AdminConnection::open(url, AdminConnection::Mode::ReadWrite);
    if (!target)
        return fail(QStringLiteral("import"), target.error());
    Result<TableCounts> counts = importDatabase(*target.value(), in);
    if (!counts)
        return fail(QStringLiteral("import"),
                    makeError(counts.error().code,
                              counts.error().message + QStringLiteral(" (nothing was imported)")));
    say(QStringLiteral("imported %1; search index rebuilt").arg(countsText(counts.value())));
    return kDone;
}

} // namespace

bool isBackupCommand(const QString& command)
{
    return command == QLatin1String("backup") || command == QLatin1String("restore") ||
           command == QLatin1String("export") || command == QLatin1String("import");
}

QString backupCommandsUsage()
{
    return QStringLiteral(
        "  backup <file>        SQLite: consistent copy of the live database (server may run)\n"
        "  restore <file>       SQLite: replace the database with a backup (server stopped)\n"
        "  export <file|->      everything as JSON Lines (server may run); --with-sessions adds tokens\n"
        "  import <file|->      an export into an empty database (SQLite or PostgreSQL)\n"
        "  The database is chosen by --db / --config / CONFAB_DB as for the server (docs/backup.md).\n");
}

int runBackupCommand(const QString& command, const QString& operand, bool withSessions,
                     const ServerConfig& config)
{
    auto url = DatabaseUrl::parse(config.databaseUrl);
    if (!url)
        return fail(command, url.error());
    if (command == QLatin1String("backup"))
        return backup(url.value(), operand);
    if (command == QLatin1String("restore"))
        return restore(url.value(), operand);
    if (command == QLatin1String("export"))
        return exportTo(url.value(), operand, withSessions);
    if (command == QLatin1String("import"))
        return importFrom(url.value(), operand);
    say(QStringLiteral("confab-server admin: unknown command %1").arg(command));
    return kUsage;
}

int runBackupCommand(const QString& command, const QStringList& arguments)
{
    // Every server option takes a value ("--db URL" or "--db=URL"); what is
    // left is the operand and this command's own flag.
    QStringList serverArguments{QCoreApplication::applicationFilePath()};
    QStringList operands;
    bool withSessions = false;
    const QString usage =
        QStringLiteral("usage: confab-server admin %1 [--config file] [--db url]%2 <file>\n%3")
            .arg(command,
                 command == QLatin1String("export") ? QStringLiteral(" [--with-sessions]") : QString(),
                 backupCommandsUsage());
    for (int i = 0; i < arguments.size(); ++i) {
        const QString& argument = arguments.at(i);
        if (argument == QLatin1String("--help") || argument == QLatin1String("-h")) {
            std::fputs(qPrintable(usage), stdout);
            return kDone;
        }
        if (argument == QLatin1String("--with-sessions") && command == QLatin1String("export")) {
            withSessions = true;
        } else if (argument.startsWith(QLatin1String("-")) && argument != QLatin1String("-")) {
            serverArguments.append(argument);
            if (!argument.contains(QLatin1Char('=')) && i + 1 < arguments.size())
                serverArguments.append(arguments.at(++i));
        } else {
            operands.append(argument);
        }
    }
    if (operands.size() != 1) {
        say(usage);
        return kUsage;
    }
    auto config = ServerConfig::fromArguments(serverArguments);
    if (!config) {
        say(QStringLiteral("confab-server admin %1: %2").arg(command, config.error().message));
        return kUsage;
    }
    return runBackupCommand(command, operands.constFirst(), withSessions, config.value());
}

} // namespace confab::server::admin
