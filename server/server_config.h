#pragma once

#include "protocol/limits.h"
#include "protocol/result.h"

#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

class QCommandLineOption;
class QCommandLineParser;

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

    // Who may register (docs/admin.md): anyone; nobody (accounts come from
    // `confab-server admin create-user`); or holders of an invite code.
    enum class Registration { Open, Closed, Invite };
    Registration registration = Registration::Open;
    // The largest `limit` of fetch_messages, list_mentions and
    // search_messages pages; their defaults (50, 50, 20) are capped to it.
    int historyPageSize = limits::kHistoryMaxLimit;
    static constexpr int kMaxHistoryPageSize = 1000;

    // --- data directory and TLS (docs/deploy.md, "TLS") ---
    // Where the server keeps its files: the default SQLite database and, with
    // `--tls auto`, tls/cert.pem and tls/key.pem.
    QString dataDir;
    // wss://: a PEM certificate (chain) and key given by the operator (both
    // or neither), else with tlsAuto a self-signed pair made once in dataDir.
    QString tlsCertificateFile;
    QString tlsKeyFile;
    bool tlsAuto = false;
    bool usesTls() const { return tlsAuto || !tlsCertificateFile.isEmpty(); }
    // The default data directory: confab/ in the platform's data location
    // (~/.local/share/confab).
    static QString defaultDataDir();

    // The default database URL: sqlite:<dataDir>/confab.db.
    static QString defaultDatabaseUrl(const QString& dataDir = defaultDataDir());

    // --- signing in (issue 12: password hashing, logins, registrations;
    // docs/deploy.md "Hostile clients") ---
    // argon2id work waiting for a --hash-threads thread, server-wide, and
    // what one connection or one peer address may have admitted (waiting or
    // running) at once; beyond them login/register get rate_limited.
    int hashQueue = 64;
    int hashPerConnection = 2;
    int hashPerAddress = 8;
    // Registrations per peer address (token bucket, charged when one is
    // admitted): a burst for a team signing up together, then one per 10 s.
    double registerRatePerSecond = 0.1;
    int registerBurst = 20;
    // --- edges (issue 12): handshakes and the ops port ---
    // Origins whose web pages may open connections (--allowed-origins), exact
    // and normalized ("https://chat.example.com"). Desktop clients send no
    // Origin header; a handshake that carries one not listed here gets HTTP
    // 403, so a foreign web page cannot drive the server with a visitor's
    // network position. Empty: every handshake with an Origin is refused.
    QStringList allowedOrigins;
    // Connections open at once from one client address (the X-Forwarded-For
    // one behind a trusted proxy); past it the handshake gets HTTP 429. 0: no limit.
    int maxConnectionsPerAddress = 256;
    // Connections open at once that have not authenticated, all addresses
    // together; past it the handshake gets HTTP 503. 0: no limit.
    int maxUnauthenticatedConnections = 1000;
    // Whether the ops port was asked for (--ops-port): when the default one is
    // taken (another server on this host) the server warns and runs without
    // it; an explicit port that is taken is an error.
    bool opsPortExplicit = false;

    // Set for --help/--version: print it and exit successfully.
    QString exitText;

    // --- transport and request scheduling (issue 12; docs/deploy.md, "Hostile clients") ---
    // Before a connection has signed in: the cap on everything queued for it
    // (maxUnsentBytes applies from sign-in on) and the frames per second it
    // may send, control frames included (past them it is not read for a while).
    qint64 preAuthMaxUnsentBytes = 32 * 1024;
    double preAuthFrameRate = 20;
    int preAuthFrameBurst = 100;
    // Requests of one connection waiting for the store at once; its next
    // frames are not read until one of them has finished.
    int maxRequestsInFlight = 16;
    // Token buckets per user (per connection before sign-in) for every other
    // request type; send_message has sendRatePerSecond/sendBurst above, and
    // register/login/auth the login limits. Over them: error rate_limited.
    double typingRatePerSecond = 2; // typing
    int typingBurst = 20;
    double markReadRatePerSecond = 5; // mark_read
    int markReadBurst = 100;
    double historyRatePerSecond = 20; // fetch_messages, list_mentions, list_rooms
    int historyBurst = 300;
    double searchRatePerSecond = 3; // search_messages, search_users
    int searchBurst = 30;
    double roomRatePerSecond = 1; // create_room, open_dm, join_room, leave_room, logout
    int roomBurst = 30;
    double pingRatePerSecond = 2; // ping (the JSON request; WebSocket pings are frames)
    int pingBurst = 30;
    // auth (a token check), per client address: many connections buy no more.
    double authRatePerSecond = 10;
    int authBurst = 100;
    // edit_message, delete_message and react, per user.
    double changeRatePerSecond = 5;
    int changeBurst = 60;
    // The message lifecycle (contract, second part): how long after sending
    // the sender may edit or delete a message (a room's owner deletes any
    // time). 0 disables edits (or the sender's deletes).
    qint64 editWindowS = 86400;
    qint64 deleteWindowS = 86400;
    // Attention (contract, second part): set_room_settings, fetch_receipts,
    // set_profile and change_password, per user.
    double attentionRatePerSecond = 2;
    int attentionBurst = 30;
    // Groups (contract, second part): add_members, remove_member, set_role,
    // transfer_ownership, update_room, pin_message, list_pins,
    // list_public_rooms, per user (join_room counts with the room requests).
    double groupRatePerSecond = 2;
    int groupBurst = 30;
    // Avatars (issue 15), per user: set_avatar stores up to 256 KiB each
    // time, so a few in a row and then one a minute; fetch_avatar sends up
    // to 256 KiB, enough for a client filling its cache for a large group.
    double avatarSetRatePerSecond = 1.0 / 60;
    int avatarSetBurst = 5;
    double avatarFetchRatePerSecond = 10;
    int avatarFetchBurst = 100;
    // Files (issue 16): the largest file, the bytes one user may have stored
    // (finished, attached or not, and unfinished uploads), upload_file,
    // cancel_upload, fetch_file and cancel_fetch per user (together), and
    // how long an upload no message claimed is kept after its last chunk.
    qint64 maxFileBytes = limits::kDefaultMaxFileBytes;
    qint64 userQuotaBytes = limits::kDefaultUserQuotaBytes;
    double fileRatePerSecond = 5;
    int fileBurst = 60;
    qint64 uploadExpirySeconds = 24 * 3600;
    // Read receipts (fetch_receipts, `receipt`): off keeps every user's read
    // marker to the user (--receipts off).
    bool receipts = true;

    // What a tool built on the server's settings (confab-server admin) adds
    // to its command line: options of its own and positional arguments,
    // which `read` takes from the parser once it has parsed. Its --help is
    // `description` and `usage` above the options (exitText).
    struct ToolArguments {
        QString description;
        QString usage; // the positional part of the usage line
        QList<QCommandLineOption> options;
        std::function<Result<void>(const QCommandLineParser&)> read;
    };

    // Parses the command line (argv[0] included), then the environment's
    // CONFAB_<NAME> variables and the --config file for what the command line
    // left unset; errors explain themselves.
    static Result<ServerConfig>
    fromArguments(const QStringList& arguments,
                  const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                  const ToolArguments* tool = nullptr);

    // --- tests area (issue 18) ---
    // How often LAN discovery looks at the interfaces again for ones that came
    // up, went away or changed address (docs/discovery.md). Tests shorten it.
    int discoveryRescanMs = 30'000;
};

} // namespace confab::server
