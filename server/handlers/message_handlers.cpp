// send_message, fetch_messages, mark_read, list_mentions, typing.
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"
#include "base/logging.h"

#include "protocol/event_names.h"
#include "protocol/replies.h"
#include "protocol/requests.h"

#include <QElapsedTimer>
#include <QPointer>

namespace confab::server {

void handleSendMessage(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = SendMessageRequest::fromPayload(request.payload, hub.config().contentMaxLength);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id senderId = connection->userId();
    const qint64 wait = hub.sendLimiter().take(QString::number(senderId), hub.monotonicMs());
    if (wait > 0) {
        hub.metrics().countRateLimited(RateLimit::Send);
        Error limited = makeError(ErrorCode::RateLimited, QStringLiteral("sending too fast"));
        limited.retryAfterMs = wait;
        return Hub::replyError(connection, limited, request.id);
    }

    const SendMessageRequest& r = parsed.value();
    NewMessage message{r.roomId,   senderId,  r.content,   r.tempId,
                       r.mentions, r.replyTo, hub.nowMs(), r.attachments};
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    QElapsedTimer received;
    received.start();
    // Batched with the sends queued behind it (group commit); done runs after the COMMIT.
    hub.insertMessage(message, [&hub, guard, id, received](Result<InsertedMessage> inserted) {
        if (!inserted) {
            if (guard)
                Hub::replyError(guard, inserted.error(), id);
            return;
        }
        // The transaction has committed: acknowledging is now safe.
        const Message& m = inserted->message;
        if (guard)
            Hub::reply(guard, event::MessageAck, MessageAck{m.tempId, m.id, m.createdAt}.toPayload(), id);
        hub.metrics().ackLatency.record(received.nsecsElapsed());
        if (inserted->duplicate)
            return; // delivered when it was first stored (or by the cluster bus: Hub::claimDelivery)
        hub.metrics().messagesStored.fetch_add(1, std::memory_order_relaxed);
        // Members get `message` (and mentions) through the one path outward:
        // Delivery, right after this completion (StoreLane::complete).
    });
}

void handleFetchMessages(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = FetchMessagesRequest::fromPayload(request.payload, hub.config().historyPageSize);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const FetchMessagesRequest r = parsed.value();
    hub.db<Result<MessagePage>>(
        [r](Store& s) { return s.fetchMessages(r.roomId, r.beforeId, r.afterId, r.limit); },
        [guard, roomId = r.roomId, id](Result<MessagePage> page) {
            if (!guard)
                return;
            if (!page)
                return Hub::replyError(guard, page.error(), id);
            Hub::reply(guard, event::History, HistoryReply{roomId, page->messages, page->hasMore}.toPayload(),
                       id);
        },
        JobOrder::read(connection->serial()));
}

void handleMarkRead(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = MarkReadRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const QJsonValue id = request.id;
    const MarkReadRequest r = parsed.value();
    hub.db<Result<Id>>(
        [r, me](Store& s) { return s.markRead(r.roomId, me, r.messageId); },
        [guard, id](Result<Id> marker) {
            if (!guard)
                return;
            if (!marker)
                return Hub::replyError(guard, marker.error(), id);
            Hub::reply(guard, event::Ok, QJsonObject(), id); // the other connections: Delivery
        });
}

void handleListMentions(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = ListMentionsRequest::fromPayload(request.payload, hub.config().historyPageSize);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const QJsonValue id = request.id;
    const ListMentionsRequest r = parsed.value();
    hub.db<Result<MessagePage>>(
        [r, me](Store& s) { return s.listMentions(me, r.beforeId, r.limit); },
        [guard, id](Result<MessagePage> page) {
            if (!guard)
                return;
            if (!page)
                return Hub::replyError(guard, page.error(), id);
            Hub::reply(guard, event::Mentions, MentionsReply{page->messages, page->hasMore}.toPayload(), id);
        },
        JobOrder::read(connection->serial()));
}

void handleTyping(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = TypingRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    // Ephemeral: no reply on success (docs/protocol.md), nothing stored.
    hub.setTyping(connection, parsed->roomId, parsed->isTyping);
}

} // namespace confab::server
