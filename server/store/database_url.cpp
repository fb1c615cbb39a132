#include "store/database_url.h"

#include <QUrl>

namespace confab::server {

namespace {

Error badUrl(const QString& url, const QString& why)
{
    return makeError(ErrorCode::BadRequest, QStringLiteral("invalid database URL \"%1\": %2 "
                                                           "(expected sqlite:/path/to/confab.db or "
                                                           "postgresql://user:password@host:port/database)")
                                                .arg(url, why));
}

Result<DatabaseUrl> parseSqlite(const QString& url)
{
    QString path = url.mid(int(qstrlen("sqlite:")));
    // "sqlite:///abs/path" is the URL form of "sqlite:/abs/path"; "sqlite://host/..."
    // would name a host, which a file database cannot have.
    if (path.startsWith(QLatin1String("//"))) {
        if (!path.startsWith(QLatin1String("///")))
            return badUrl(url, QStringLiteral("a SQLite URL has no host; use sqlite:///absolute/path"));
        path = path.mid(2);
    }
    if (path.isEmpty())
        return badUrl(url, QStringLiteral("the SQLite file path is empty"));
    DatabaseUrl result;
    result.kind = DatabaseUrl::Kind::Sqlite;
    result.sqlitePath = path;
    return result;
}

Result<DatabaseUrl> parsePostgresql(const QString& url)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid())
        return badUrl(url, parsed.errorString());
    DatabaseUrl result;
    result.kind = DatabaseUrl::Kind::Postgresql;
    result.host = parsed.host(QUrl::FullyDecoded);
    result.user = parsed.userName(QUrl::FullyDecoded);
    result.password = parsed.password(QUrl::FullyDecoded);
    result.databaseName = parsed.path(QUrl::FullyDecoded).mid(1); // drop the leading '/'
    result.port = parsed.port(5432);
    if (result.host.isEmpty())
        return badUrl(url, QStringLiteral("the PostgreSQL host is missing"));
    if (result.databaseName.isEmpty() || result.databaseName.contains(QLatin1Char('/')))
        return badUrl(url, QStringLiteral("the PostgreSQL database name is missing or contains '/'"));
    if (result.port <= 0 || result.port > 65535)
        return badUrl(url, QStringLiteral("the port is out of range"));
    return result;
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString& url)
{
    if (url.startsWith(QLatin1String("sqlite:")))
        return parseSqlite(url);
    if (url.startsWith(QLatin1String("postgresql://")) || url.startsWith(QLatin1String("postgres://")))
        return parsePostgresql(url);
    return badUrl(url, QStringLiteral("unknown scheme"));
}

} // namespace confab::server
