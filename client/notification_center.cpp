#include "notification_center.h"

namespace confab::client {

namespace {

// One line, and not a page of it: notification bubbles show a few lines.
QString shortLine(const QString& text)
{
    constexpr int kMax = 200;
    QString line = text.simplified();
    if (line.size() > kMax) {
        int cut = kMax - 1;
        if (line.at(cut - 1).isHighSurrogate())
            --cut;
        line = line.left(cut) + QChar(0x2026);
    }
    return line;
}

} // namespace

NotificationCenter::NotificationCenter(DesktopNotifier* notifier, QObject* parent)
    : QObject(parent)
    , m_notifier(notifier)
{
    connect(m_notifier, &DesktopNotifier::activated, this, [this](uint id) {
        for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it) {
            if (it->id == id) {
                const Id roomId = it.key();
                const Id messageId = it->messageId;
                m_groups.erase(it);
                emit activated(roomId, messageId);
                return;
            }
        }
    });
    connect(m_notifier, &DesktopNotifier::closed, this, [this](uint id) {
        // Dismissed or expired: the next message starts a new count.
        m_groups.removeIf([id](const auto& entry) { return entry.value().id == id; });
    });
}

NotificationCenter::Shown NotificationCenter::show(Id roomId, Id messageId, const QString& roomName,
                                                   bool isDm, const QString& sender, const QString& text,
                                                   bool mention)
{
    Group& group = m_groups[roomId];
    ++group.count;
    group.messageId = messageId;

    Shown shown;
    if (mention && !isDm)
        shown.title = tr("%1 mentioned you in %2").arg(sender, roomName);
    else if (mention)
        shown.title = tr("%1 mentioned you").arg(sender);
    else
        shown.title = isDm ? sender : roomName;
    if (group.count > 1)
        shown.title = tr("%1 (%2 new)").arg(shown.title).arg(group.count);
    shown.body = isDm ? shortLine(text) : shortLine(sender + QStringLiteral(": ") + text);

    DesktopNotifier::Notification n;
    n.title = shown.title;
    n.body = shown.body;
    n.clickable = true;
    n.sound = m_sound;
    // While the window is active the in-window banner says it; a desktop
    // popup on top of it would say it twice.
    shown.desktop = !m_windowActive && m_notifier->isAvailable();
    if (shown.desktop)
        send(roomId, n);
    return shown;
}

void NotificationCenter::send(Id roomId, DesktopNotifier::Notification n)
{
    Group& group = m_groups[roomId];
    if (group.waiting) {
        group.queued = n; // replaces the first one as soon as its id is known
        return;
    }
    n.replacesId = group.id;
    group.waiting = true;
    const bool sent = m_notifier->notify(n, [this, roomId](uint id) {
        auto it = m_groups.find(roomId);
        if (it == m_groups.end()) {
            m_notifier->close(id); // read while the notification was on its way
            return;
        }
        it->waiting = false;
        it->id = id;
        if (it->queued)
            send(roomId, *std::exchange(it->queued, std::nullopt));
    });
    if (!sent)
        group.waiting = false;
}

void NotificationCenter::clearRoom(Id roomId)
{
    const auto it = m_groups.constFind(roomId);
    if (it == m_groups.cend())
        return;
    m_notifier->close(it->id);
    m_groups.erase(it);
}

void NotificationCenter::clearAll()
{
    for (const Group& group : std::as_const(m_groups))
        m_notifier->close(group.id);
    m_groups.clear();
}

int NotificationCenter::countFor(Id roomId) const
{
    return m_groups.value(roomId).count;
}

} // namespace confab::client
