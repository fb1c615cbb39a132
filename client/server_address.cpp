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

} // namespace confab::client
