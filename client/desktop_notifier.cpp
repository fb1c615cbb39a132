#include "desktop_notifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QLoggingCategory>
#include <QVariantMap>

namespace confab::client {

namespace {

Q_LOGGING_CATEGORY(lcNotifier, "confab.client.notifier")

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");

// Servers with "body-markup" read the body as a small HTML subset: a message
// must not turn into markup (or a remote <img>), so the body is escaped.
QString plainBody(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('&'))
            out += QLatin1String("&amp;");
        else if (c == QLatin1Char('<'))
            out += QLatin1String("&lt;");
        else if (c == QLatin1Char('>'))
            out += QLatin1String("&gt;");
        else
            out += c;
    }
    return out;
}

} // namespace

DesktopNotifier::DesktopNotifier(QObject* parent)
    : QObject(parent)
{}

bool DesktopNotifier::isAvailable() const
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    // Many notification daemons are started by D-Bus activation on first use.
    const QDBusReply<bool> registered = bus.interface()->isServiceRegistered(kService);
    if (registered.isValid() && registered.value())
        return true;
    const QDBusReply<QStringList> activatable = bus.interface()->activatableServiceNames();
    return activatable.isValid() && activatable.value().contains(kService);
}

bool DesktopNotifier::notify(const QString& title, const QString& body)
{
    if (!isAvailable())
        return false;
    // A plain method call rather than a QDBusInterface, whose constructor
    // introspects the service with a blocking call. The reply (the
    // notification id) is not needed, so nothing waits for it.
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    call << QStringLiteral("Confab")         // app_name
         << uint(0)                          // replaces_id
         << QString()                        // app_icon
         << title                            // summary: plain text by the specification
         << plainBody(body) << QStringList() // actions
         << QVariantMap()                    // hints
         << int(-1);                         // expire_timeout: the server's default
    const bool queued = QDBusConnection::sessionBus().send(call);
    if (!queued)
        qCWarning(lcNotifier) << "could not send a notification:"
                              << QDBusConnection::sessionBus().lastError().message();
    return queued;
}

} // namespace confab::client
