#include "server_config.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

namespace confab::server {
namespace {

QCommandLineOption option(const QString& name, const QString& help, const QString& valueName,
                          const QString& defaultValue)
{
    QCommandLineOption o(name, help + QStringLiteral(" (default: %1)").arg(defaultValue), valueName);
    return o;
}

template <typename T>
Result<T> number(const QCommandLineParser& p, const QString& name, T fallback, double min, double max)
{
    if (!p.isSet(name))
        return fallback;
    bool ok = false;
    const double v = p.value(name).toDouble(&ok);
    if (!ok || v < min || v > max)
        return makeError(ErrorCode::BadRequest,
                         QStringLiteral("--%1 must be a number from %2 to %3").arg(name).arg(min).arg(max));
    return T(v);
}

} // namespace

QString ServerConfig::defaultDatabaseUrl()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share");
    return QStringLiteral("sqlite:") + dir + QStringLiteral("/confab/confab.db");
}

Result<ServerConfig> ServerConfig::fromArguments(const QStringList& arguments)
{
    ServerConfig c;
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Confab chat server: WebSocket JSON protocol (docs/protocol.md)."));
    const auto help = p.addHelpOption();
    const auto version = p.addVersionOption();
    const QList<QCommandLineOption> options = {
        option(QStringLiteral("host"), QStringLiteral("Address to listen on"), QStringLiteral("address"),
               QStringLiteral("127.0.0.1")),
        option(QStringLiteral("port"), QStringLiteral("TCP port (0 picks a free one)"),
               QStringLiteral("port"), QStringLiteral("7860")),
        option(QStringLiteral("db"),
               QStringLiteral("Database: sqlite:/path/to/confab.db or postgresql://user:pass@host:port/db "
                              "(several servers may share one PostgreSQL database: docs/deploy.md)"),
               QStringLiteral("url"), defaultDatabaseUrl()),
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
        option(QStringLiteral("cluster-heartbeat-ms"),
               QStringLiteral("PostgreSQL: heartbeat between servers sharing the database; a server silent "
                              "for 3 heartbeats is presumed dead and its users offline"),
               QStringLiteral("ms"), QString::number(c.clusterHeartbeatMs)),
    };
    p.addOptions(options);

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
    if (!p.positionalArguments().isEmpty())
        return makeError(ErrorCode::BadRequest,
                         QStringLiteral("unexpected argument: %1").arg(p.positionalArguments().constFirst()));

    if (p.isSet(QStringLiteral("host"))) {
        const QString host = p.value(QStringLiteral("host"));
        if (host == QLatin1String("localhost"))
            c.host = QHostAddress::LocalHost;
        else if (!c.host.setAddress(host))
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("--host must be an IP address: %1").arg(host));
    }
    if (p.isSet(QStringLiteral("trusted-proxy"))) {
        const QStringList proxies =
            p.value(QStringLiteral("trusted-proxy")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& text : proxies) {
            QHostAddress proxy;
            if (!proxy.setAddress(text.trimmed()))
                return makeError(ErrorCode::BadRequest,
                                 QStringLiteral("--trusted-proxy must list IP addresses: %1").arg(text));
            c.trustedProxies.append(proxy);
        }
    }
    c.databaseUrl = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : defaultDatabaseUrl();

#define CONFAB_NUMBER(field, name, min, max)                                                                 \
    {                                                                                                        \
        auto r = number<decltype(c.field)>(p, QStringLiteral(name), c.field, min, max);                      \
        if (!r)                                                                                              \
            return r.error();                                                                                \
        c.field = r.value();                                                                                 \
    }
    CONFAB_NUMBER(port, "port", 0, 65535)
    CONFAB_NUMBER(maxFrameBytes, "max-frame-bytes", 1024, 16 * 1024 * 1024)
    CONFAB_NUMBER(contentMaxLength, "max-content-length", 1, 100000)
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
#undef CONFAB_NUMBER
    if (p.isSet(QStringLiteral("token-lifetime-days"))) {
        auto days = number<double>(p, QStringLiteral("token-lifetime-days"), 30, 0.001, 3650);
        if (!days)
            return days.error();
        c.tokenLifetimeMs = qint64(days.value() * 24 * 3600 * 1000);
    }
    return c;
}

} // namespace confab::server
