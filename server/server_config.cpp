#include "server_config.h"

#include "ws/ws_handshake.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSettings>
#include <QStandardPaths>

namespace confab::server {
namespace {

QCommandLineOption option(const QString& name, const QString& help, const QString& valueName,
                          const QString& defaultValue)
{
    QCommandLineOption o(name, help + QStringLiteral(" (default: %1)").arg(defaultValue), valueName);
    return o;
}

QString environmentName(const QString& option)
{
    return QStringLiteral("CONFAB_") + option.toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
}

// Where each setting comes from: the command line, else the environment
// (CONFAB_<NAME>), else the --config file (the option's name as the key),
// else the built-in default. The same names everywhere, so a setting can be
// moved between them without translation.
class SettingSources {
public:
    SettingSources(const QCommandLineParser& parser, const QProcessEnvironment& environment)
        : m_parser(parser)
        , m_environment(environment)
    {}

    // Reads the INI file; unknown keys are errors (a typo would otherwise be
    // a silently ignored setting).
    Result<void> loadFile(const QString& path, const QStringList& known)
    {
        if (!QFileInfo(path).isReadable())
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("cannot read the config file %1").arg(path));
        QSettings ini(path, QSettings::IniFormat);
        if (ini.status() != QSettings::NoError)
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("the config file %1 is not valid INI").arg(path));
        m_file = path;
        const QStringList keys = ini.allKeys();
        for (const QString& key : keys) {
            // Keys may sit at the top or in a [server] section.
            const QString name = key.startsWith(QLatin1String("server/")) ? key.mid(7) : key;
            if (!known.contains(name))
                return makeError(ErrorCode::BadRequest,
                                 QStringLiteral("unknown setting \"%1\" in %2").arg(key, path));
            const QVariant value = ini.value(key);
            // QSettings splits "a, b" into a list; the options take the text.
            m_values.insert(name, value.userType() == QMetaType::QStringList
                                      ? value.toStringList().join(QLatin1Char(','))
                                      : value.toString());
        }
        return {};
    }

    bool isSet(const QString& name) const
    {
        return m_parser.isSet(name) || m_environment.contains(environmentName(name)) ||
               m_values.contains(name);
    }
    QString value(const QString& name) const
    {
        if (m_parser.isSet(name))
            return m_parser.value(name);
        if (m_environment.contains(environmentName(name)))
            return m_environment.value(environmentName(name));
        return m_values.value(name);
    }
    // How the setting was given, for error messages.
    QString origin(const QString& name) const
    {
        if (m_parser.isSet(name))
            return QStringLiteral("--") + name;
        if (m_environment.contains(environmentName(name)))
            return environmentName(name);
        return QStringLiteral("%1 (in %2)").arg(name, m_file);
    }

private:
    const QCommandLineParser& m_parser;
    const QProcessEnvironment& m_environment;
    QHash<QString, QString> m_values;
    QString m_file;
};

template <typename T>
Result<T> number(const SettingSources& s, const QString& name, T fallback, double min, double max)
{
    if (!s.isSet(name))
        return fallback;
    bool ok = false;
    const double v = s.value(name).trimmed().toDouble(&ok);
    if (!ok || v < min || v > max)
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("%1 must be a number from %2 to %3").arg(s.origin(name)).arg(min).arg(max));
    return T(v);
}

} // namespace

QString ServerConfig::defaultDataDir()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share");
    return dir + QStringLiteral("/confab");
}

QString ServerConfig::defaultDatabaseUrl(const QString& dataDir)
{
    return QStringLiteral("sqlite:") + QDir(dataDir).filePath(QStringLiteral("confab.db"));
}

Result<ServerConfig> ServerConfig::fromArguments(const QStringList& arguments,
                                                 const QProcessEnvironment& environment,
                                                 const ToolArguments* tool)
{
    ServerConfig c;
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Confab chat server: WebSocket JSON protocol (docs/protocol.md).\n\n"
        "Every option can also be set in the --config file (INI, the option's name as the key, e.g. "
        "\"max-frame-bytes = 65536\") or in the environment as CONFAB_<NAME> (e.g. CONFAB_MAX_FRAME_BYTES). "
        "The command line wins over the environment, which wins over the file."));
    const auto help = p.addHelpOption();
    const auto version = p.addVersionOption();
    const QList<QCommandLineOption> options = {
        option(QStringLiteral("config"), QStringLiteral("INI file with any of these settings"),
               QStringLiteral("file"), QStringLiteral("none")),
        option(QStringLiteral("host"), QStringLiteral("Address to listen on"), QStringLiteral("address"),
               QStringLiteral("127.0.0.1")),
        option(QStringLiteral("port"), QStringLiteral("TCP port (0 picks a free one)"),
               QStringLiteral("port"), QStringLiteral("7860")),
        option(QStringLiteral("db"),
               QStringLiteral("Database: sqlite:/path/to/confab.db or postgresql://user:pass@host:port/db "
                              "(several servers may share one PostgreSQL database: docs/deploy.md)"),
               QStringLiteral("url"), QStringLiteral("sqlite:<data-dir>/confab.db")),
        option(QStringLiteral("max-frame-bytes"),
               QStringLiteral(
                   "Largest incoming WebSocket frame/message; larger ones close the connection (1009)"),
               QStringLiteral("bytes"), QString::number(c.maxFrameBytes)),
        option(QStringLiteral("max-content-length"),
               QStringLiteral("Longest message content in UTF-16 units (longer: error too_large)"),
               QStringLiteral("n"), QString::number(c.contentMaxLength)),
        option(QStringLiteral("auth-timeout-ms"),
               QStringLiteral("Close connections that have not authenticated within this time"),
               QStringLiteral("ms"), QString::number(c.authTimeoutMs)),
        option(QStringLiteral("max-unsent-bytes"),
               QStringLiteral("Close a connection whose unsent outgoing data exceeds this (slow reader)"),
               QStringLiteral("bytes"), QString::number(c.maxUnsentBytes)),
        option(QStringLiteral("min-password-length"),
               QStringLiteral("Shortest password accepted by register"), QStringLiteral("n"),
               QString::number(c.minPasswordLength)),
        option(QStringLiteral("send-rate"),
               QStringLiteral("Messages per second each user may send, sustained"), QStringLiteral("n"),
               QString::number(c.sendRatePerSecond)),
        option(QStringLiteral("send-burst"), QStringLiteral("Messages a user may send in a burst"),
               QStringLiteral("n"), QString::number(c.sendBurst)),
        option(QStringLiteral("login-failure-rate"),
               QStringLiteral("Failed logins per second allowed per username, sustained"),
               QStringLiteral("n"), QString::number(c.failedLoginRatePerSecond)),
        option(QStringLiteral("login-failure-burst"),
               QStringLiteral("Failed logins allowed in a burst per username"), QStringLiteral("n"),
               QString::number(c.failedLoginBurst)),
        option(QStringLiteral("address-login-failure-rate"),
               QStringLiteral("Failed logins per second allowed per peer address, sustained"),
               QStringLiteral("n"), QString::number(c.failedLoginAddressRatePerSecond)),
        option(QStringLiteral("address-login-failure-burst"),
               QStringLiteral("Failed logins allowed in a burst per peer address"), QStringLiteral("n"),
               QString::number(c.failedLoginAddressBurst)),
        option(QStringLiteral("token-lifetime-days"), QStringLiteral("Days a session token stays valid"),
               QStringLiteral("days"), QString::number(c.tokenLifetimeMs / (24 * 3600 * 1000))),
        option(QStringLiteral("hash-threads"), QStringLiteral("Threads for argon2id password hashing"),
               QStringLiteral("n"), QString::number(c.hashThreads)),
        option(
            QStringLiteral("trusted-proxy"),
            QStringLiteral("Comma-separated addresses of load balancers whose X-Forwarded-For header names "
                           "the client (for per-address login limits and logs)"),
            QStringLiteral("addresses"), QStringLiteral("none")),
        option(QStringLiteral("ops-host"),
               QStringLiteral("Address of the operations listener (/metrics, /healthz); keep it local"),
               QStringLiteral("address"), QStringLiteral("127.0.0.1")),
        option(QStringLiteral("ops-port"),
               QStringLiteral("Port of the operations listener: GET /metrics (Prometheus) and /healthz; "
                              "0 picks a free one, off disables it"),
               QStringLiteral("port|off"), QString::number(kDefaultOpsPort)),
        option(QStringLiteral("log-format"),
               QStringLiteral("Log lines on stderr: text, or json (one JSON object per line: ts, level, "
                              "category, msg)"),
               QStringLiteral("text|json"), QStringLiteral("text")),
        option(QStringLiteral("cluster-heartbeat-ms"),
               QStringLiteral("PostgreSQL: heartbeat between servers sharing the database; a server silent "
                              "for 3 heartbeats is presumed dead and its users offline"),
               QStringLiteral("ms"), QString::number(c.clusterHeartbeatMs)),
        // Administration (docs/admin.md).
        option(QStringLiteral("registration"),
               QStringLiteral(
                   "Who may register: open (anyone), closed (accounts only from \"confab-server "
                   "admin create-user\"), or invite (with a code from \"confab-server admin invite\")"),
               QStringLiteral("open|closed|invite"), QStringLiteral("open")),
        option(
            QStringLiteral("history-page-size"),
            QStringLiteral("Largest page (limit) of fetch_messages, list_mentions and search_messages; their "
                           "default pages (50, 50, 20) are capped to it too"),
            QStringLiteral("n"), QString::number(c.historyPageSize)),
        // --- data directory and TLS ---
        option(QStringLiteral("data-dir"),
               QStringLiteral("Directory for the server's files: the default SQLite database, and tls/ for "
                              "--tls auto"),
               QStringLiteral("dir"), defaultDataDir()),
        option(QStringLiteral("tls"),
               QStringLiteral("Serve wss://: auto makes a self-signed certificate in <data-dir>/tls on first "
                              "start and reuses it (--tls-cert/--tls-key win over it)"),
               QStringLiteral("off|auto"), QStringLiteral("off")),
        option(QStringLiteral("tls-cert"),
               QStringLiteral("PEM certificate (chain) to serve wss:// with; needs --tls-key"),
               QStringLiteral("file"), QStringLiteral("none")),
        option(QStringLiteral("tls-key"), QStringLiteral("PEM private key of --tls-cert (unencrypted)"),
               QStringLiteral("file"), QStringLiteral("none")),
        // LAN discovery (docs/discovery.md).
        option(QStringLiteral("discovery"),
               QStringLiteral("Announce the server on the LAN with DNS-SD over mDNS (_confab._tcp) on the "
                              "interfaces --host serves; a 127.0.0.1 server only to this machine"),
               QStringLiteral("on|off"), QStringLiteral("on")),
        option(QStringLiteral("server-name"), QStringLiteral("Name the server is announced under"),
               QStringLiteral("name"), QStringLiteral("Confab on <hostname>")),
        // --- signing in: password hashing and registrations (docs/deploy.md) ---
        option(QStringLiteral("hash-queue"),
               QStringLiteral("Password hashes (login, register) waiting for a hash thread, server-wide; "
                              "beyond it they get rate_limited"),
               QStringLiteral("n"), QString::number(c.hashQueue)),
        option(QStringLiteral("hash-per-connection"),
               QStringLiteral("Password hashes one connection may have waiting or running at once"),
               QStringLiteral("n"), QString::number(c.hashPerConnection)),
        option(QStringLiteral("hash-per-address"),
               QStringLiteral("Password hashes one peer address may have waiting or running at once"),
               QStringLiteral("n"), QString::number(c.hashPerAddress)),
        option(QStringLiteral("register-rate"),
               QStringLiteral("Registrations per second allowed per peer address, sustained"),
               QStringLiteral("n"), QString::number(c.registerRatePerSecond)),
        option(QStringLiteral("register-burst"),
               QStringLiteral("Registrations allowed in a burst per peer address"), QStringLiteral("n"),
               QString::number(c.registerBurst)),
        // --- edges (issue 12): handshakes ---
        option(QStringLiteral("allowed-origins"),
               QStringLiteral("Comma-separated origins (e.g. https://chat.example.com) whose web pages may "
                              "connect; a handshake with any other Origin header gets HTTP 403 (desktop "
                              "clients send none)"),
               QStringLiteral("origins"), QStringLiteral("none")),
        option(QStringLiteral("max-connections-per-address"),
               QStringLiteral("Connections open at once from one client address (behind --trusted-proxy: "
                              "the forwarded one); more get HTTP 429; 0: no limit"),
               QStringLiteral("n"), QString::number(c.maxConnectionsPerAddress)),
        option(QStringLiteral("max-unauthenticated-connections"),
               QStringLiteral("Connections open at once that have not authenticated yet, from all "
                              "addresses; more get HTTP 503; 0: no limit"),
               QStringLiteral("n"), QString::number(c.maxUnauthenticatedConnections)),
        // --- transport and request scheduling (docs/deploy.md, "Hostile clients") ---
        option(QStringLiteral("pre-auth-max-unsent-bytes"),
               QStringLiteral("Before sign-in: close a connection whose unsent outgoing data exceeds this "
                              "(control frames included; --max-unsent-bytes applies once signed in)"),
               QStringLiteral("bytes"), QString::number(c.preAuthMaxUnsentBytes)),
        option(QStringLiteral("pre-auth-frame-rate"),
               QStringLiteral("Before sign-in: frames per second a connection may send, pings included; "
                              "past it the connection is not read for a while"),
               QStringLiteral("n"), QString::number(c.preAuthFrameRate)),
        option(QStringLiteral("pre-auth-frame-burst"),
               QStringLiteral("Before sign-in: frames a connection may send in a burst"), QStringLiteral("n"),
               QString::number(c.preAuthFrameBurst)),
        option(QStringLiteral("max-requests-in-flight"),
               QStringLiteral("Requests of one connection waiting for the database at once; its later "
                              "frames are read when one has finished"),
               QStringLiteral("n"), QString::number(c.maxRequestsInFlight)),
        option(QStringLiteral("typing-rate"),
               QStringLiteral("typing requests per second per user, sustained"), QStringLiteral("n"),
               QString::number(c.typingRatePerSecond)),
        option(QStringLiteral("typing-burst"), QStringLiteral("typing requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.typingBurst)),
        option(QStringLiteral("mark-read-rate"),
               QStringLiteral("mark_read requests per second per user, sustained"), QStringLiteral("n"),
               QString::number(c.markReadRatePerSecond)),
        option(QStringLiteral("mark-read-burst"), QStringLiteral("mark_read requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.markReadBurst)),
        option(QStringLiteral("history-rate"),
               QStringLiteral("fetch_messages, list_mentions and list_rooms requests per second per user, "
                              "sustained"),
               QStringLiteral("n"), QString::number(c.historyRatePerSecond)),
        option(QStringLiteral("history-burst"),
               QStringLiteral("fetch_messages, list_mentions and list_rooms requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.historyBurst)),
        option(QStringLiteral("search-rate"),
               QStringLiteral("search_messages and search_users requests per second per user, sustained"),
               QStringLiteral("n"), QString::number(c.searchRatePerSecond)),
        option(QStringLiteral("search-burst"),
               QStringLiteral("search_messages and search_users requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.searchBurst)),
        option(
            QStringLiteral("room-rate"),
            QStringLiteral("create_room, open_dm, join_room, leave_room and logout requests per second per "
                           "user, sustained"),
            QStringLiteral("n"), QString::number(c.roomRatePerSecond)),
        option(QStringLiteral("room-burst"),
               QStringLiteral("create_room, open_dm, join_room, leave_room and logout requests per user in a "
                              "burst"),
               QStringLiteral("n"), QString::number(c.roomBurst)),
        option(QStringLiteral("ping-rate"),
               QStringLiteral("ping requests per second per user (per connection before sign-in), sustained"),
               QStringLiteral("n"), QString::number(c.pingRatePerSecond)),
        option(QStringLiteral("ping-burst"), QStringLiteral("ping requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.pingBurst)),
        option(QStringLiteral("auth-rate"),
               QStringLiteral("auth requests (token checks) per second per client address, sustained"),
               QStringLiteral("n"), QString::number(c.authRatePerSecond)),
        option(QStringLiteral("auth-burst"),
               QStringLiteral("auth requests (token checks) per client address in a burst"),
               QStringLiteral("n"), QString::number(c.authBurst)),
        option(
            QStringLiteral("change-rate"),
            QStringLiteral("edit_message, delete_message and react requests per second per user, sustained"),
            QStringLiteral("n"), QString::number(c.changeRatePerSecond)),
        option(QStringLiteral("change-burst"),
               QStringLiteral("edit_message, delete_message and react requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.changeBurst)),
        option(QStringLiteral("edit-window-s"),
               QStringLiteral("seconds after sending during which the sender may edit a message (0: never)"),
               QStringLiteral("s"), QString::number(c.editWindowS)),
        option(QStringLiteral("delete-window-s"),
               QStringLiteral("seconds after sending during which the sender may delete a message (0: never; "
                              "a room's owner may delete any message at any time)"),
               QStringLiteral("s"), QString::number(c.deleteWindowS)),
        option(
            QStringLiteral("attention-rate"),
            QStringLiteral("set_room_settings, fetch_receipts, set_profile and change_password requests per "
                           "second per user, sustained"),
            QStringLiteral("n"), QString::number(c.attentionRatePerSecond)),
        option(
            QStringLiteral("attention-burst"),
            QStringLiteral("set_room_settings, fetch_receipts, set_profile and change_password requests per "
                           "user in a burst"),
            QStringLiteral("n"), QString::number(c.attentionBurst)),
        option(QStringLiteral("group-rate"),
               QStringLiteral("group requests (add_members, remove_member, set_role, transfer_ownership, "
                              "update_room, pin_message, list_pins, list_public_rooms) per second "
                              "per user, sustained"),
               QStringLiteral("n"), QString::number(c.groupRatePerSecond)),
        option(QStringLiteral("group-burst"), QStringLiteral("group requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.groupBurst)),
        option(QStringLiteral("avatar-rate"),
               QStringLiteral("set_avatar requests per second per user, sustained"), QStringLiteral("n"),
               QString::number(c.avatarSetRatePerSecond)),
        option(QStringLiteral("avatar-burst"), QStringLiteral("set_avatar requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.avatarSetBurst)),
        option(QStringLiteral("avatar-fetch-rate"),
               QStringLiteral("fetch_avatar requests per second per user, sustained"), QStringLiteral("n"),
               QString::number(c.avatarFetchRatePerSecond)),
        option(QStringLiteral("avatar-fetch-burst"),
               QStringLiteral("fetch_avatar requests per user in a burst"), QStringLiteral("n"),
               QString::number(c.avatarFetchBurst)),
        option(QStringLiteral("max-file-bytes"), QStringLiteral("the largest file a user may upload"),
               QStringLiteral("bytes"), QString::number(c.maxFileBytes)),
        option(QStringLiteral("user-quota-bytes"),
               QStringLiteral("file bytes one user may have stored (uploads and attachments)"),
               QStringLiteral("bytes"), QString::number(c.userQuotaBytes)),
        option(QStringLiteral("file-rate"),
               QStringLiteral(
                   "upload_file, cancel_upload, fetch_file, cancel_fetch per second per user, sustained"),
               QStringLiteral("n"), QString::number(c.fileRatePerSecond)),
        option(QStringLiteral("file-burst"), QStringLiteral("file requests per user in a burst"),
               QStringLiteral("n"), QString::number(c.fileBurst)),
        option(QStringLiteral("upload-expiry-s"),
               QStringLiteral("seconds an upload no message claimed is kept after its last chunk"),
               QStringLiteral("s"), QString::number(c.uploadExpirySeconds)),
        option(QStringLiteral("receipts"),
               QStringLiteral("on: members see how far each other has read (fetch_receipts, receipt events; "
                              "each user may opt out); off: nobody does"),
               QStringLiteral("on|off"), QStringLiteral("on")),
        // --- tests area (issue 18) ---
        option(QStringLiteral("discovery-rescan-ms"),
               QStringLiteral("How often LAN discovery looks at the network interfaces again (one that came "
                              "up is announced on, one that went away gets a goodbye)"),
               QStringLiteral("ms"), QString::number(c.discoveryRescanMs)),
    };
    p.addOptions(options);
    if (tool) {
        p.setApplicationDescription(tool->description);
        p.addOptions(tool->options);
        p.addPositionalArgument(QStringLiteral("arguments"), QString(), tool->usage);
    }

    if (!p.parse(arguments))
        return makeError(ErrorCode::BadRequest, p.errorText());
    if (p.isSet(help)) {
        c.exitText = p.helpText();
        return c;
    }
    if (p.isSet(version)) {
        c.exitText = QStringLiteral("confab-server %1\n").arg(QCoreApplication::applicationVersion());
        return c;
    }
    if (!tool && !p.positionalArguments().isEmpty())
        return makeError(ErrorCode::BadRequest,
                         QStringLiteral("unexpected argument: %1").arg(p.positionalArguments().constFirst()));
    if (tool && tool->read) {
        if (auto read = tool->read(p); !read)
            return read.error();
    }

    SettingSources settings(p, environment);
    const QString configFile = settings.value(QStringLiteral("config"));
    if (!configFile.isEmpty()) {
        QStringList known;
        for (const QCommandLineOption& o : options) {
            if (o.names().constFirst() != QLatin1String("config"))
                known.append(o.names().constFirst());
        }
        if (auto loaded = settings.loadFile(configFile, known); !loaded)
            return loaded.error();
    }

    if (settings.isSet(QStringLiteral("host"))) {
        const QString host = settings.value(QStringLiteral("host"));
        if (host == QLatin1String("localhost"))
            c.host = QHostAddress::LocalHost;
        else if (!c.host.setAddress(host))
            return makeError(ErrorCode::BadRequest, QStringLiteral("%1 must be an IP address: %2")
                                                        .arg(settings.origin(QStringLiteral("host")), host));
    }
    if (settings.isSet(QStringLiteral("log-format"))) {
        const QString format = settings.value(QStringLiteral("log-format")).trimmed();
        if (format != QLatin1String("text") && format != QLatin1String("json"))
            return makeError(
                ErrorCode::BadRequest,
                QStringLiteral("%1 must be text or json").arg(settings.origin(QStringLiteral("log-format"))));
        c.jsonLogs = format == QLatin1String("json");
    }
    c.opsPort = kDefaultOpsPort;
    if (settings.isSet(QStringLiteral("ops-port"))) {
        const QString value = settings.value(QStringLiteral("ops-port")).trimmed();
        if (value == QLatin1String("off")) {
            c.opsPort = -1;
        } else {
            auto port = number<int>(settings, QStringLiteral("ops-port"), kDefaultOpsPort, 0, 65535);
            if (!port)
                return makeError(ErrorCode::BadRequest, port.error().message + QStringLiteral(", or off"));
            c.opsPort = port.value();
        }
    }
    if (settings.isSet(QStringLiteral("ops-host"))) {
        const QString host = settings.value(QStringLiteral("ops-host")).trimmed();
        if (host == QLatin1String("localhost"))
            c.opsHost = QHostAddress::LocalHost;
        else if (!c.opsHost.setAddress(host))
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("%1 must be an IP address: %2")
                                 .arg(settings.origin(QStringLiteral("ops-host")), host));
    }
    if (settings.isSet(QStringLiteral("trusted-proxy"))) {
        const QStringList proxies =
            settings.value(QStringLiteral("trusted-proxy")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& text : proxies) {
            QHostAddress proxy;
            if (!proxy.setAddress(text.trimmed()))
                return makeError(ErrorCode::BadRequest,
                                 QStringLiteral("%1 must list IP addresses: %2")
                                     .arg(settings.origin(QStringLiteral("trusted-proxy")), text));
            c.trustedProxies.append(proxy);
        }
    }
    if (settings.isSet(QStringLiteral("registration"))) {
        const QString mode = settings.value(QStringLiteral("registration")).trimmed();
        if (mode == QLatin1String("open"))
            c.registration = Registration::Open;
        else if (mode == QLatin1String("closed"))
            c.registration = Registration::Closed;
        else if (mode == QLatin1String("invite"))
            c.registration = Registration::Invite;
        else
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("%1 must be open, closed or invite")
                                 .arg(settings.origin(QStringLiteral("registration"))));
    }
    if (settings.isSet(QStringLiteral("receipts"))) {
        const QString receipts = settings.value(QStringLiteral("receipts")).trimmed();
        if (receipts != QLatin1String("on") && receipts != QLatin1String("off"))
            return makeError(
                ErrorCode::BadRequest,
                QStringLiteral("%1 must be on or off").arg(settings.origin(QStringLiteral("receipts"))));
        c.receipts = receipts == QLatin1String("on");
    }
    // --- data directory and TLS ---
    c.dataDir = settings.isSet(QStringLiteral("data-dir"))
                    ? settings.value(QStringLiteral("data-dir")).trimmed()
                    : defaultDataDir();
    if (c.dataDir.isEmpty())
        return makeError(
            ErrorCode::BadRequest,
            QStringLiteral("%1 must name a directory").arg(settings.origin(QStringLiteral("data-dir"))));
    if (settings.isSet(QStringLiteral("tls"))) {
        const QString mode = settings.value(QStringLiteral("tls")).trimmed();
        if (mode != QLatin1String("off") && mode != QLatin1String("auto"))
            return makeError(
                ErrorCode::BadRequest,
                QStringLiteral("%1 must be off or auto").arg(settings.origin(QStringLiteral("tls"))));
        c.tlsAuto = mode == QLatin1String("auto");
    }
    c.tlsCertificateFile = settings.value(QStringLiteral("tls-cert")).trimmed();
    c.tlsKeyFile = settings.value(QStringLiteral("tls-key")).trimmed();
    if (c.tlsCertificateFile.isEmpty() != c.tlsKeyFile.isEmpty())
        return makeError(ErrorCode::BadRequest,
                         QStringLiteral("--tls-cert and --tls-key go together: give both files, or neither"));
    c.databaseUrl = settings.isSet(QStringLiteral("db")) ? settings.value(QStringLiteral("db"))
                                                         : defaultDatabaseUrl(c.dataDir);

#define CONFAB_NUMBER(field, name, min, max)                                                                 \
    {                                                                                                        \
        auto r = number<decltype(c.field)>(settings, QStringLiteral(name), c.field, min, max);               \
        if (!r)                                                                                              \
            return r.error();                                                                                \
        c.field = r.value();                                                                                 \
    }
    CONFAB_NUMBER(port, "port", 0, 65535)
    CONFAB_NUMBER(maxFrameBytes, "max-frame-bytes", 1024, 16 * 1024 * 1024)
    CONFAB_NUMBER(contentMaxLength, "max-content-length", 1, limits::kContentMaxLengthCap)
    CONFAB_NUMBER(authTimeoutMs, "auth-timeout-ms", 100, 3600 * 1000)
    CONFAB_NUMBER(maxUnsentBytes, "max-unsent-bytes", 64 * 1024, 1024.0 * 1024 * 1024)
    CONFAB_NUMBER(minPasswordLength, "min-password-length", 1, 1024)
    CONFAB_NUMBER(sendRatePerSecond, "send-rate", 0.01, 1e6)
    CONFAB_NUMBER(sendBurst, "send-burst", 1, 1e6)
    CONFAB_NUMBER(failedLoginRatePerSecond, "login-failure-rate", 0.001, 1e6)
    CONFAB_NUMBER(failedLoginBurst, "login-failure-burst", 1, 1e6)
    CONFAB_NUMBER(failedLoginAddressRatePerSecond, "address-login-failure-rate", 0.001, 1e6)
    CONFAB_NUMBER(failedLoginAddressBurst, "address-login-failure-burst", 1, 1e6)
    CONFAB_NUMBER(hashThreads, "hash-threads", 1, 64)
    CONFAB_NUMBER(clusterHeartbeatMs, "cluster-heartbeat-ms", 50, 60'000)
    CONFAB_NUMBER(historyPageSize, "history-page-size", 1, kMaxHistoryPageSize)
    // Signing in: password hashing and registrations.
    CONFAB_NUMBER(hashQueue, "hash-queue", 1, 1e6)
    CONFAB_NUMBER(hashPerConnection, "hash-per-connection", 1, 1e6)
    CONFAB_NUMBER(hashPerAddress, "hash-per-address", 1, 1e6)
    CONFAB_NUMBER(registerRatePerSecond, "register-rate", 0.001, 1e6)
    CONFAB_NUMBER(registerBurst, "register-burst", 1, 1e6)
    // --- edges (issue 12): connection caps ---
    CONFAB_NUMBER(maxConnectionsPerAddress, "max-connections-per-address", 0, 1e6)
    CONFAB_NUMBER(maxUnauthenticatedConnections, "max-unauthenticated-connections", 0, 1e6)
    // --- transport and request scheduling ---
    CONFAB_NUMBER(preAuthMaxUnsentBytes, "pre-auth-max-unsent-bytes", 1024, 1024.0 * 1024 * 1024)
    CONFAB_NUMBER(preAuthFrameRate, "pre-auth-frame-rate", 0.01, 1e6)
    CONFAB_NUMBER(preAuthFrameBurst, "pre-auth-frame-burst", 1, 1e6)
    CONFAB_NUMBER(maxRequestsInFlight, "max-requests-in-flight", 1, 100000)
    CONFAB_NUMBER(typingRatePerSecond, "typing-rate", 0.01, 1e6)
    CONFAB_NUMBER(typingBurst, "typing-burst", 1, 1e6)
    CONFAB_NUMBER(markReadRatePerSecond, "mark-read-rate", 0.01, 1e6)
    CONFAB_NUMBER(markReadBurst, "mark-read-burst", 1, 1e6)
    CONFAB_NUMBER(historyRatePerSecond, "history-rate", 0.01, 1e6)
    CONFAB_NUMBER(historyBurst, "history-burst", 1, 1e6)
    CONFAB_NUMBER(searchRatePerSecond, "search-rate", 0.01, 1e6)
    CONFAB_NUMBER(searchBurst, "search-burst", 1, 1e6)
    CONFAB_NUMBER(roomRatePerSecond, "room-rate", 0.01, 1e6)
    CONFAB_NUMBER(roomBurst, "room-burst", 1, 1e6)
    CONFAB_NUMBER(pingRatePerSecond, "ping-rate", 0.01, 1e6)
    CONFAB_NUMBER(pingBurst, "ping-burst", 1, 1e6)
    CONFAB_NUMBER(authRatePerSecond, "auth-rate", 0.01, 1e6)
    CONFAB_NUMBER(authBurst, "auth-burst", 1, 1e6)
    CONFAB_NUMBER(changeRatePerSecond, "change-rate", 0.01, 1e6)
    CONFAB_NUMBER(changeBurst, "change-burst", 1, 1e6)
    CONFAB_NUMBER(editWindowS, "edit-window-s", 0, 100.0 * 365 * 86400)
    CONFAB_NUMBER(deleteWindowS, "delete-window-s", 0, 100.0 * 365 * 86400)
    CONFAB_NUMBER(attentionRatePerSecond, "attention-rate", 0.01, 1e6)
    CONFAB_NUMBER(attentionBurst, "attention-burst", 1, 1e6)
    CONFAB_NUMBER(groupRatePerSecond, "group-rate", 0.01, 1e6)
    CONFAB_NUMBER(groupBurst, "group-burst", 1, 1e6)
    CONFAB_NUMBER(avatarSetRatePerSecond, "avatar-rate", 0.0001, 1e6)
    CONFAB_NUMBER(avatarSetBurst, "avatar-burst", 1, 1e6)
    CONFAB_NUMBER(avatarFetchRatePerSecond, "avatar-fetch-rate", 0.01, 1e6)
    CONFAB_NUMBER(avatarFetchBurst, "avatar-fetch-burst", 1, 1e6)
    CONFAB_NUMBER(maxFileBytes, "max-file-bytes", 1, 1024.0 * 1024 * 1024)
    CONFAB_NUMBER(userQuotaBytes, "user-quota-bytes", 0, 1e15)
    CONFAB_NUMBER(fileRatePerSecond, "file-rate", 0.01, 1e6)
    CONFAB_NUMBER(fileBurst, "file-burst", 1, 1e6)
    CONFAB_NUMBER(uploadExpirySeconds, "upload-expiry-s", 1, 365.0 * 24 * 3600)
#undef CONFAB_NUMBER
    // --- edges (issue 12): handshakes and the ops port ---
    c.opsPortExplicit = settings.isSet(QStringLiteral("ops-port"));
    if (settings.isSet(QStringLiteral("allowed-origins"))) {
        const QStringList origins =
            settings.value(QStringLiteral("allowed-origins")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& text : origins) {
            const QString origin = QString::fromLatin1(ws::normalizedOrigin(text.toUtf8()));
            if (origin.isEmpty())
                return makeError(
                    ErrorCode::BadRequest,
                    QStringLiteral("%1 must list origins such as https://chat.example.com: %2")
                        .arg(settings.origin(QStringLiteral("allowed-origins")), text.trimmed()));
            c.allowedOrigins.append(origin);
        }
    }
    // LAN discovery.
    if (settings.isSet(QStringLiteral("discovery"))) {
        const QString value = settings.value(QStringLiteral("discovery")).trimmed();
        if (value != QLatin1String("on") && value != QLatin1String("off"))
            return makeError(
                ErrorCode::BadRequest,
                QStringLiteral("%1 must be on or off").arg(settings.origin(QStringLiteral("discovery"))));
        c.discovery = value == QLatin1String("on");
    }
    c.serverName = settings.value(QStringLiteral("server-name")).trimmed();
    if (settings.isSet(QStringLiteral("token-lifetime-days"))) {
        auto days = number<double>(settings, QStringLiteral("token-lifetime-days"), 30, 0.001, 3650);
        if (!days)
            return days.error();
        c.tokenLifetimeMs = qint64(days.value() * 24 * 3600 * 1000);
    }
    // --- tests area (issue 18) ---
    auto rescan = number<int>(settings, QStringLiteral("discovery-rescan-ms"), c.discoveryRescanMs, 100,
                              24 * 3600 * 1000);
    if (!rescan)
        return rescan.error();
    c.discoveryRescanMs = rescan.value();
    return c;
}

} // namespace confab::server
