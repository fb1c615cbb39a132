#include "desktop_notifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>
#include <QVariantMap>

namespace confab::client {

namespace {

Q_LOGGING_CATEGORY(lcNotifier, "confab.client.notifier")

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
const QString kDefaultAction = QStringLiteral("default");

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
    return notify(Notification{title, body}, nullptr);
}

bool DesktopNotifier::notify(const Notification& n, std::function<void(uint id)> onId)
{
    if (!isAvailable())
        return false;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!m_listening) {
        // The daemon broadcasts these to every client; ids that are not ours
        // are ignored by whoever keeps track of them (NotificationCenter).
        bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                    SLOT(onActionInvoked(uint, QString)));
        bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                    SLOT(onNotificationClosed(uint, uint)));
        m_listening = true;
    }
    QVariantMap hints;
    hints.insert(QStringLiteral("category"), QStringLiteral("im.received"));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("confab"));
    if (n.sound)
        hints.insert(QStringLiteral("sound-name"), QStringLiteral("message-new-instant"));
    else
        hints.insert(QStringLiteral("suppress-sound"), true);
    QStringList actions; // built by appending: a braced list in a ?: trips GCC 12's -Wdangling-pointer
    if (n.clickable)
        actions << kDefaultAction << tr("Open");
    // A plain method call rather than a QDBusInterface, whose constructor
    // introspects the service with a blocking call.
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    call << QStringLiteral("Confab")                          // app_name
         << n.replacesId                                      // replaces_id
         << QStringLiteral("confab")                          // app_icon: the installed theme icon
         << n.title                                           // summary: plain text by the specification
         << plainBody(n.body) << actions << hints << int(-1); // expire_timeout: the server's default
    if (!onId) {
        const bool queued = bus.send(call);
        if (!queued)
            qCWarning(lcNotifier) << "could not send a notification:" << bus.lastError().message();
        return queued;
    }
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [onId = std::move(onId)](QDBusPendingCallWatcher* w) {
                const QDBusPendingReply<uint> reply = *w;
                if (reply.isError())
                    qCWarning(lcNotifier) << "notification refused:" << reply.error().message();
                onId(reply.isError() ? 0u : reply.value());
                w->deleteLater();
            });
    return true;
}

void DesktopNotifier::close(uint id)
{
    if (id == 0)
        return;
    QDBusMessage call =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("CloseNotification"));
    call << id;
    QDBusConnection::sessionBus().send(call);
}

void DesktopNotifier::onActionInvoked(uint id, const QString& actionKey)
{
    if (actionKey == kDefaultAction)
        emit activated(id);
}

void DesktopNotifier::onNotificationClosed(uint id, uint)
{
    emit closed(id);
}

} // namespace confab::client
