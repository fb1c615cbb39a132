// What the admin commands share: output, times, passwords, validation, and
// waking running servers.
#include "admin/admin_command.h"

#include "cluster/bus_line.h"
#include "cluster/bus_worker.h"
#include "protocol/requests.h"
#include "store/database_url.h"
#include "store/postgres_connection.h"
#include "store/sql_util.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>

#include <cstdio>
#include <iostream>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace confab::server::admin {
namespace {

void printError(const QString& message)
{
    std::fprintf(stderr, "confab-server admin: %s\n", qPrintable(message));
}

// One line from stdin; with `hidden`, the terminal does not echo it.
std::optional<QString> readLine(bool hidden)
{
    termios saved{};
    const bool restore = hidden && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (restore) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    const bool ok = bool(std::getline(std::cin, line));
    if (restore) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputc('\n', stderr);
    }
    if (!ok)
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

} // namespace

int fail(const QString& message)
{
    printError(message);
    return kFailed;
}

int usageError(const QString& message)
{
    printError(message);
    return kUsage;
}

void print(const QString& text)
{
    std::fputs(qPrintable(text), stdout);
    std::fputc('\n', stdout);
}

QString formatTime(qint64 msSinceEpoch)
{
    if (msSinceEpoch <= 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

QCommandLineOption jsonOption()
{
    return QCommandLineOption(QStringLiteral("json"),
                              QStringLiteral("Print a JSON array instead of a table"));
}

Result<QString> readNewPassword(bool fromStdin)
{
    if (fromStdin) {
        auto line = readLine(false);
        if (!line)
            return makeError(ErrorCode::BadRequest, QStringLiteral("no password on stdin"));
        return *line;
    }
    // Never on the command line (it would show in ps and shell history).
    if (!isatty(STDIN_FILENO))
        return makeError(ErrorCode::BadRequest,
                         QStringLiteral("no terminal to ask for the password: use --password-stdin"));
    std::fputs("New password: ", stderr);
    auto first = readLine(true);
    std::fputs("Repeat it: ", stderr);
    auto second = readLine(true);
    if (!first || !second)
        return makeError(ErrorCode::BadRequest, QStringLiteral("no password entered"));
    if (*first != *second)
        return makeError(ErrorCode::BadRequest, QStringLiteral("the passwords differ"));
    return *first;
}

Result<void> validateAccount(const ServerConfig& config, const QString& username, QString* displayName,
                             const QString& password)
{
    // The very rules of `register` (shared/protocol), then the configured minimum.
    RegisterRequest request;
    request.username = username;
    request.password = password.isEmpty() ? QStringLiteral("x") : password;
    request.displayName = *displayName;
    auto parsed = RegisterRequest::fromPayload(request.toPayload());
    if (!parsed)
        return parsed.error();
    if (password.isEmpty())
        return makeError(ErrorCode::BadRequest, QStringLiteral("password must not be empty"));
    if (password.size() < config.minPasswordLength)
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("password must be at least %1 characters").arg(config.minPasswordLength));
    *displayName = parsed->displayName;
    return {};
}

Result<Credentials> findUser(AdminRun& run, const QString& username)
{
    auto found = run.store->credentialsByUsername(username);
    if (!found) {
        if (found.error().code == ErrorCode::NotFound)
            return makeError(ErrorCode::NotFound, QStringLiteral("no user named \"%1\"").arg(username));
        return found.error();
    }
    return found;
}

void AdminRun::notifyServers() const
{
    auto url = DatabaseUrl::parse(databaseUrl);
    if (!url || url->kind != DatabaseUrl::Kind::Postgresql)
        return; // a SQLite server polls the change log
    // The bus reads cluster_events on this wake-up, or within a second anyway.
    const QString name = QStringLiteral("confab-admin-notify");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        configurePostgresConnection(db, url.value(), 3, QStringLiteral("confab-admin"));
        if (db.open()) {
            const QString origin = QStringLiteral("admin-%1").arg(QCoreApplication::applicationPid());
            auto sent = sql::exec(
                db, QStringLiteral("SELECT pg_notify(:channel, :payload)"),
                {{":channel", QString::fromLatin1(cluster::BusWorker::kChannel)},
                 {":payload",
                  cluster::packPayloads({cluster::BusLine::changes(origin).encode()}).constFirst()}},
                "notifying the servers");
            if (!sent)
                printError(
                    QStringLiteral("warning: could not wake the servers (they notice within a second): %1")
                        .arg(sent.error().message));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace confab::server::admin
