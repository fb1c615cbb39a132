#include "server_address.h"

namespace confab::client {

QUrl parseServerAddress(const QString& text)
{
    QString s = text.trimmed();
    if (s.isEmpty())
        return {};
    if (!s.contains(QLatin1String("://")))
        s.prepend(QLatin1String("ws://"));
    QUrl url(s, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
        return {};
    if (scheme == QLatin1String("ws") && url.port() < 0 && !text.contains(QLatin1String("://")))
        url.setPort(7860); // a bare host: Confab's default port
    if (url.path() == QLatin1String("/"))
        url.setPath(QString()); // one spelling per server: settings and keychain entries match
    return url;
}

QString serverAuthority(const QUrl& server)
{
    const bool secure = server.scheme().compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
    const int port = server.port(secure ? 443 : 80);
    const QString host = server.host().toLower();
    const QString shownHost =
        host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return shownHost + QLatin1Char(':') + QString::number(port);
}

} // namespace confab::client
