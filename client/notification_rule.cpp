#include "notification_rule.h"

#include <algorithm>

namespace confab::client {

NotificationRule::Outcome NotificationRule::decide(const Input& in)
{
    if (in.fromMe || in.systemOrDeleted || in.roomInView)
        return Outcome::Silent;
    if (in.myStatus == UserStatus::Dnd || in.roomLevel == NotifyLevel::None)
        return Outcome::Silent;
    if (in.mentionsMe)
        return Outcome::Mention;
    return in.roomLevel == NotifyLevel::All ? Outcome::Message : Outcome::Silent;
}

NotificationRule::Input NotificationRule::inputFor(const Message& message, const Room& room, Id self,
                                                   UserStatus myStatus, bool roomInView)
{
    Input in;
    in.roomLevel = room.notify;
    in.myStatus = myStatus;
    in.fromMe = message.senderId == self;
    in.mentionsMe = std::any_of(message.mentions.cbegin(), message.mentions.cend(),
                                [self](const Mention& m) { return m.userId == self; });
    in.systemOrDeleted = message.kind == MessageKind::System || message.deleted;
    in.roomInView = roomInView;
    return in;
}

} // namespace confab::client
