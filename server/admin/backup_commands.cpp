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
    return kOk;
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
    return kOk;
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
        return kOk;
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
    return kOk;
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
    return kOk;
}

} // namespace

// The database was resolved as for the server (--config, --db, CONFAB_*);
// these commands open it themselves (restore may create it).
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
    return importFrom(url.value(), operand);
}

namespace {

AdminCommand fileCommand(const char* name, const char* summary, const char* usage,
                         QList<QCommandLineOption> (*options)() = nullptr)
{
    AdminCommand command{name, summary, usage, 1, options, nullptr};
    command.opensStore = false;
    return command;
}

} // namespace

AdminCommand backupCommand()
{
    AdminCommand c = fileCommand("backup",
                                 "SQLite: a consistent, checked copy of the live database "
                                 "(the server may run; docs/backup.md)",
                                 "<file>");
    c.run = [](AdminRun& run) {
        return runBackupCommand(QStringLiteral("backup"), run.arguments.constFirst(), false, run.config);
    };
    return c;
}

AdminCommand restoreCommand()
{
    AdminCommand c = fileCommand("restore",
                                 "SQLite: replace the database with a backup (servers stopped; the "
                                 "replaced file is kept)",
                                 "<file>");
    c.run = [](AdminRun& run) {
        return runBackupCommand(QStringLiteral("restore"), run.arguments.constFirst(), false, run.config);
    };
    return c;
}

AdminCommand exportCommand()
{
    AdminCommand c = fileCommand(
        "export", "Everything as JSON Lines, any backend (the server may run); - writes to stdout",
        "<file|->", [] {
            return QList<QCommandLineOption>{QCommandLineOption(
                QStringLiteral("with-sessions"),
                QStringLiteral("Include session tokens (signed-in clients stay signed in)"))};
        });
    c.run = [](AdminRun& run) {
        return runBackupCommand(QStringLiteral("export"), run.arguments.constFirst(),
                                run.isSet(QStringLiteral("with-sessions")), run.config);
    };
    return c;
}

AdminCommand importCommand()
{
    AdminCommand c = fileCommand(
        "import", "An export into an empty database (SQLite or PostgreSQL); - reads stdin", "<file|->");
    c.run = [](AdminRun& run) {
        return runBackupCommand(QStringLiteral("import"), run.arguments.constFirst(), false, run.config);
    };
    return c;
}

} // namespace confab::server::admin
