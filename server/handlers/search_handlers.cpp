// search_users, search_messages.
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"

#include "protocol/event_names.h"
#include "protocol/replies.h"
#include "protocol/requests.h"

#include <QPointer>

namespace confab::server {

void handleSearchUsers(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = SearchUsersRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const SearchUsersRequest r = parsed.value();
    hub.db<Result<QList<User>>>([r](Store& s) { return s.searchUsers(r.query, r.roomId, r.limit); },
                                [&hub, guard, id](Result<QList<User>> users) {
                                    if (!guard)
                                        return;
                                    if (!users)
                                        return Hub::replyError(guard, users.error(), id);
                                    UsersReply reply;
                                    for (const User& user : users.value())
                                        reply.users.append(hub.withPresence(user));
                                    Hub::reply(guard, event::Users, reply.toPayload(), id);
                                },
                                JobOrder::read(connection->serial()));
}

void handleSearchMessages(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = SearchMessagesRequest::fromPayload(request.payload, hub.config().historyPageSize);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const Id me = connection->userId();
    const QJsonValue id = request.id;
    const SearchMessagesRequest r = parsed.value();
    hub.db<Result<SearchPage>>(
        [r, me](Store& s) { return s.searchMessages(me, r.query, r.roomId, r.beforeId, r.limit); },
        [guard, id](Result<SearchPage> page) {
            if (!guard)
                return;
            if (!page)
                return Hub::replyError(guard, page.error(), id);
            Hub::reply(guard, event::SearchResults,
                       SearchResultsReply{page->messages, page->hasMore, page->nextBeforeId}.toPayload(), id);
        },
        JobOrder::read(connection->serial()));
}

} // namespace confab::server
