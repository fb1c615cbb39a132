#pragma once

#include "protocol/limits.h"
#include "protocol/result.h"

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace confab::server {

// Everything the server can be told: on its command line, in the environment
// or in a config file. Defaults are the documented ones (`confab-server --help`).
struct ServerConfig {
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 7860; // 0 picks a free port (tests)
    QString databaseUrl; // "sqlite:/path/file.db"; empty -> default data dir

    // Hard limit for one incoming frame and one (reassembled) message; larger
    // frames close the socket with 1009 before they are buffered.
    qint64 maxFrameBytes = 256 * 1024;
    int contentMaxLength = limits::kDefaultContentMaxLength;
    int authTimeoutMs = 10'000;              // close sockets that never authenticate
    qint64 maxUnsentBytes = 8 * 1024 * 1024; // per socket, then it is closed
    int minPasswordLength = 1;

    // Token bucket per user for send_message. The burst is generous so that
    // scripted clients (imports, tests paging through history) are not cut
    // off; the sustained rate is what stops a flood.
    double sendRatePerSecond = 10;
    int sendBurst = 200;
    // Failed logins: strict per username (guessing one password), roomier per
    // peer address (many users behind one NAT or proxy share it).
    double failedLoginRatePerSecond = 0.2;
    int failedLoginBurst = 10;
    double failedLoginAddressRatePerSecond = 1;
    int failedLoginAddressBurst = 100;

    qint64 tokenLifetimeMs = qint64(30) * 24 * 3600 * 1000;
    int hashThreads = 2; // argon2id workers; each hash takes 19 MiB

    // PostgreSQL only: instances sharing the database hear each other's
    // heartbeat this often; one silent for three heartbeats is presumed dead
    // and its users go offline (docs/cluster.md).
    int clusterHeartbeatMs = 2'000;

    // Load balancers / reverse proxies whose X-Forwarded-For is believed:
    // behind one, every peer address is the proxy's, and the failed-login
    // limit per address would be shared by everyone (docs/deploy.md).
    QList<QHostAddress> trustedProxies;

    // The operations listener (/metrics, /healthz), apart from the chat
    // port and on localhost by default. -1: off; 0: a free port (tests).
    QHostAddress opsHost = QHostAddress::LocalHost;
    int opsPort = -1;
    static constexpr int kDefaultOpsPort = 7861;

    // LAN discovery (docs/discovery.md): DNS-SD over multicast DNS as
    // _confab._tcp.local, on the interfaces the chat listener serves; a
    // loopback listener is announced on the loopback interface only.
    bool discovery = true;
    QString serverName; // the announced name; empty: "Confab on <hostname>"

    // How log lines look on stderr: text, or one JSON object per line.
    bool jsonLogs = false;

    // The default database URL: sqlite: in the platform's app data directory.
    static QString defaultDatabaseUrl();

    // Set for --help/--version: print it and exit successfully.
    QString exitText;

    // Parses the command line (argv[0] included), then the environment's
    // CONFAB_<NAME> variables and the --config file for what the command line
    // left unset; errors explain themselves.
    static Result<ServerConfig>
    fromArguments(const QStringList& arguments,
                  const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment());
};

} // namespace confab::server
