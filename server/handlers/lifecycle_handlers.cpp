// edit_message, delete_message, react, fetch_changes (contract, second part:
// "Message changes and catch-up"). Each validates, asks the store (which
// checks membership and the rules in the change's transaction) and replies
// to its caller; what the members receive goes out through Delivery.
#include "connection.h"
#include "handlers/handlers.h"
#include "handlers/ok_or_error.h"
#include "hub.h"

#include "protocol/event_names.h"
#include "protocol/lifecycle.h"

#include <QPointer>

namespace confab::server {
void handleEditMessage(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = EditMessageRequest::fromPayload(request.payload, hub.config().contentMaxLength);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    MessageEdit edit{parsed->messageId, connection->userId(), parsed->content,
                     parsed->mentions,  hub.nowMs(),          hub.config().editWindowS * 1000};
    hub.db<Result<ChangedMessage>>([edit](Store& s) { return s.editMessage(edit); },
                                   okOrError<Result<ChangedMessage>>(connection, request.id));
}

void handleDeleteMessage(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = DeleteMessageRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id messageId = parsed->messageId;
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    const qint64 windowMs = hub.config().deleteWindowS * 1000;
    hub.db<Result<ChangedMessage>>(
        [messageId, me, now, windowMs](Store& s) { return s.deleteMessage(messageId, me, now, windowMs); },
        okOrError<Result<ChangedMessage>>(connection, request.id));
}

void handleReact(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = ReactRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id me = connection->userId();
    const qint64 now = hub.nowMs();
    hub.db<Result<ReactionChange>>(
        [r = parsed.value(), me, now](Store& s) { return s.react(r.messageId, me, r.emoji, r.on, now); },
        okOrError<Result<ReactionChange>>(connection, request.id));
}

void handleFetchChanges(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = FetchChangesRequest::fromPayload(request.payload, hub.config().historyPageSize);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const FetchChangesRequest r = parsed.value();
    hub.db<Result<MessagePage>>([r](Store& s) { return s.fetchChanges(r.roomId, r.afterRevision, r.limit); },
                                [guard, roomId = r.roomId, id](Result<MessagePage> page) {
                                    if (!guard)
                                        return;
                                    if (!page)
                                        return Hub::replyError(guard, page.error(), id);
                                    Hub::reply(
                                        guard, event::Changes,
                                        ChangesReply{roomId, page->messages, page->hasMore}.toPayload(), id);
                                },
                                JobOrder::read(connection->serial()));
}

} // namespace confab::server
