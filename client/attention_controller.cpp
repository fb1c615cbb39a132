// AttentionController: notification settings, the unread total, room levels.
// Which message notifies is NotificationRule's; grouping NotificationCenter's.
#include "attention_controller.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"

namespace confab::client {

// RoomListModel's notifyLevel role hands QML int(NotifyLevel) to compare with these.
static_assert(int(AttentionController::Level::All) == int(NotifyLevel::All) &&
              int(AttentionController::Level::Mentions) == int(NotifyLevel::Mentions) &&
              int(AttentionController::Level::Nothing) == int(NotifyLevel::None));

AttentionController::AttentionController(ClientCore* core)
    : d(core)
{
    d->notifications->setSoundEnabled(d->settings.notificationSound());
    connect(d->rooms.get(), &RoomListModel::totalUnreadChanged, this,
            &AttentionController::unreadTotalChanged);
    connect(d->notifications.get(), &NotificationCenter::activated, this, [this](Id roomId, Id messageId) {
        d->conversation->jumpToMessage(double(roomId), double(messageId));
        emit raiseRequested();
    });
}

bool AttentionController::soundEnabled() const
{
    return d->notifications->soundEnabled();
}

void AttentionController::setSoundEnabled(bool on)
{
    if (on == soundEnabled())
        return;
    d->notifications->setSoundEnabled(on);
    d->settings.setNotificationSound(on);
    emit soundEnabledChanged();
}

bool AttentionController::closeToTray() const
{
    return d->settings.closeToTray();
}

void AttentionController::setCloseToTray(bool on)
{
    if (on == closeToTray())
        return;
    d->settings.setCloseToTray(on);
    emit closeToTrayChanged();
}

void AttentionController::setTrayAvailable(bool available)
{
    if (available == m_trayAvailable)
        return;
    m_trayAvailable = available;
    emit trayAvailableChanged();
}

int AttentionController::unreadTotal() const
{
    return d->rooms->totalUnread();
}

AttentionController::Level AttentionController::roomLevel(double roomId) const
{
    return fromProtocol(d->rooms->room(Id(roomId)).notify);
}

void AttentionController::setRoomLevel(double roomId, Level level)
{
    const Id id = Id(roomId);
    if (!d->rooms->contains(id))
        return;
    SetRoomSettingsRequest request;
    request.roomId = id;
    request.notify = toProtocol(level);
    // Shown at once; the server's ok confirms it, an error puts it back.
    const NotifyLevel before = d->rooms->room(id).notify;
    d->rooms->setNotifyLevel(id, request.notify);
    d->session->request(event::SetRoomSettings, request.toPayload(),
                        [this, id, before](const Envelope& reply) {
                            if (!isErrorReply(reply))
                                return;
                            d->rooms->setNotifyLevel(id, before);
                            d->setError(describeError(errorOfReply(reply)));
                        });
}

NotifyLevel AttentionController::toProtocol(Level level)
{
    switch (level) {
    case Level::Mentions:
        return NotifyLevel::Mentions;
    case Level::Nothing:
        return NotifyLevel::None;
    case Level::All:
        break;
    }
    return NotifyLevel::All;
}

AttentionController::Level AttentionController::fromProtocol(NotifyLevel level)
{
    switch (level) {
    case NotifyLevel::Mentions:
        return Level::Mentions;
    case NotifyLevel::None:
        return Level::Nothing;
    case NotifyLevel::All:
        break;
    }
    return Level::All;
}

} // namespace confab::client
