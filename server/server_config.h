#pragma once

#include "protocol/limits.h"
#include "protocol/result.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace confab::server {

// Everything the server can be told on its command line. Defaults are the
// documented ones (`confab-server --help`).
struct ServerConfig {
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 7860; // 0 picks a free port (tests)
    QString databaseUrl; // "sqlite:/path/file.db"; empty -> default data dir

    // Hard limit for one incoming frame and one (reassembled) message; larger
    // frames close the socket with 1009 before they are buffered.
    qint64 maxFrameBytes = 256 * 1024;
    int contentMaxLength = limits::kDefaultContentMaxLength;
    int authTimeoutMs = 10'000;           // close sockets that never authenticate
    qint64 maxUnsentBytes = 8 * 1024 * 1024; // per socket, then it is closed
    int minPasswordLength = 1;

    double sendRatePerSecond = 20; // token bucket per user, send_message
    int sendBurst = 40;
    double failedLoginRatePerSecond = 0.2; // per username and per peer address
    int failedLoginBurst = 10;

    qint64 tokenLifetimeMs = qint64(30) * 24 * 3600 * 1000;
    int hashThreads = 2; // argon2id workers; each hash takes 19 MiB

    // The default database URL: sqlite: in the platform's app data directory.
    static QString defaultDatabaseUrl();

    // Set for --help/--version: print it and exit successfully.
    QString exitText;

    // Parses the command line (argv[0] included); errors explain themselves.
    static Result<ServerConfig> fromArguments(const QStringList& arguments);
};

} // namespace confab::server
