// set_avatar, fetch_avatar (issue 15, docs/protocol.md "Avatars"). The
// request is refused on its own terms (size, base64, magic bytes) before the
// store is asked, so nothing of a refused image is ever stored. A change is
// a UserUpdated record: Delivery sends user_updated to the user's other
// connections and to people who share a room, on every instance.
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"

#include "protocol/attention.h"
#include "protocol/avatars.h"
#include "protocol/event_names.h"

#include <QPointer>

namespace confab::server {

void handleSetAvatar(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = SetAvatarRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    std::optional<AvatarReply> image;
    if (!parsed->clear)
        image = AvatarReply{QString(), parsed->mime, std::move(parsed.value().bytes)};
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    hub.db<Result<User>>(
        [me, image = std::move(image)](Store& s) mutable {
            if (image) // hashed on the store thread: 256 KiB is not free
                image->avatarId = avatarIdOf(image->bytes);
            return s.setAvatar(me, image);
        },
        [&hub, guard, id](Result<User> user) {
            if (!guard)
                return;
            if (!user)
                return Hub::replyError(guard, user.error(), id);
            Hub::reply(guard, event::User, UserReply{hub.withPresence(user.value())}.toPayload(), id);
        });
}

// Any signed-in user may fetch any avatar by id: ids are SHA-256 of the
// content, learnt from user objects, and the picture is as public as the
// user's name.
void handleFetchAvatar(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = FetchAvatarRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    hub.db<Result<AvatarReply>>([avatarId = parsed->avatarId](Store& s) { return s.avatarById(avatarId); },
                                [guard, id](Result<AvatarReply> avatar) {
                                    if (!guard)
                                        return;
                                    if (!avatar)
                                        return Hub::replyError(guard, avatar.error(), id);
                                    Hub::reply(guard, event::Avatar, avatar->toPayload(), id);
                                },
                                JobOrder::read(connection->serial()));
}

} // namespace confab::server
