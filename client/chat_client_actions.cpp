// ChatClient: user lookups, DMs and groups, message search, the mentions inbox.
#include "chat_client.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"

namespace confab::client {

namespace {
constexpr int kMemberCandidates = 8;
constexpr int kUserResults = 30;
constexpr int kSearchPage = 30;
constexpr int kMentionsPage = 50;

QList<User> withoutUser(QList<User> users, Id userId)
{
    users.removeIf([userId](const User& u) { return u.id == userId; });
    return users;
}
} // namespace

void ChatClient::queryMembers(const QString& prefix)
{
    const quint64 serial = ++d->memberQuerySerial;
    if (d->currentRoom != d->candidatesRoom) {
        d->candidates.clear();
        d->candidatesRoom = d->currentRoom;
    }
    // Until the server answers, the previous candidates that still match:
    // the popup never offers someone the typed text has ruled out.
    d->candidates.removeIf([&prefix](const User& u) {
        return !u.username.startsWith(prefix, Qt::CaseInsensitive) &&
               !u.displayName.startsWith(prefix, Qt::CaseInsensitive);
    });
    d->memberCandidates->setUsers(d->candidates);
    if (d->currentRoom == 0)
        return;
    SearchUsersRequest request;
    request.query = prefix;
    request.roomId = d->currentRoom;
    request.limit = kMemberCandidates;
    d->session->request(event::SearchUsers, request.toPayload(), [this, serial](const Envelope& reply) {
        if (serial != d->memberQuerySerial)
            return; // the user typed on; a newer query is under way
        const auto parsed = UsersReply::fromPayload(reply.payload);
        d->candidates = isErrorReply(reply) || !parsed ? QList<User>() : withoutUser(parsed->users, d->me.id);
        if (parsed)
            d->users->upsertAll(parsed->users);
        d->memberCandidates->setUsers(d->candidates);
    });
}

void ChatClient::searchUsers(const QString& prefix)
{
    const quint64 serial = ++d->userQuerySerial;
    SearchUsersRequest request;
    request.query = prefix.trimmed();
    request.limit = kUserResults;
    d->session->request(event::SearchUsers, request.toPayload(), [this, serial](const Envelope& reply) {
        if (serial != d->userQuerySerial)
            return;
        const auto parsed = UsersReply::fromPayload(reply.payload);
        if (isErrorReply(reply) || !parsed) {
            d->userResults->setUsers({});
            return;
        }
        d->users->upsertAll(parsed->users);
        d->userResults->setUsers(withoutUser(parsed->users, d->me.id));
    });
}

void ChatClient::startDm(double userId)
{
    OpenDmRequest request;
    request.userId = Id(userId);
    d->call(event::OpenDm, request.toPayload(), [this](const Envelope& reply) {
        const auto parsed = RoomEvent::fromPayload(reply.payload);
        if (!parsed)
            return;
        d->users->upsertAll(parsed->room.members);
        d->rooms->upsert(parsed->room);
        openRoom(double(parsed->room.id));
    });
}

void ChatClient::createGroup(const QString& name, const QVariantList& memberIds)
{
    CreateRoomRequest request;
    request.name = name.trimmed();
    for (const QVariant& id : memberIds)
        request.memberIds.append(Id(id.toDouble()));
    if (request.name.isEmpty()) {
        d->setError(tr("Give the group a name."));
        return;
    }
    d->call(event::CreateRoom, request.toPayload(), [this](const Envelope& reply) {
        const auto parsed = RoomEvent::fromPayload(reply.payload);
        if (!parsed)
            return;
        d->users->upsertAll(parsed->room.members);
        d->rooms->upsert(parsed->room);
        openRoom(double(parsed->room.id));
    });
}

void ChatClient::leaveRoom(double roomId)
{
    RoomRefRequest request;
    request.roomId = Id(roomId);
    d->call(event::LeaveRoom, request.toPayload(), [this, id = request.roomId](const Envelope&) {
        d->outbox->dropRoom(id);
        d->rooms->remove(id);
        d->drafts.remove(id);
        if (id == d->currentRoom)
            d->closeRoom();
    });
}

void ChatClient::searchMessages(const QString& query, bool currentRoomOnly)
{
    const quint64 serial = ++d->searchSerial;
    d->searchNextBeforeId.reset();
    d->searchLoading = false;
    d->searchAutoPages = 0;
    SearchMessagesRequest request;
    request.query = query.trimmed();
    if (request.query.isEmpty()) {
        d->searchResults->clear();
        return;
    }
    if (currentRoomOnly && d->currentRoom != 0)
        request.roomId = d->currentRoom;
    request.limit = kSearchPage;
    d->searchRequest = request;
    d->searchLoading = true;
    d->session->request(event::SearchMessages, request.toPayload(), [this, serial](const Envelope& reply) {
        if (serial != d->searchSerial)
            return;
        d->searchLoading = false;
        const auto parsed = SearchResultsReply::fromPayload(reply.payload);
        if (isErrorReply(reply) || !parsed) {
            d->searchResults->clear();
            d->setError(describeError(errorOfReply(reply)));
            return;
        }
        d->searchNextBeforeId = parsed->nextBeforeId;
        d->searchResults->setResults(parsed->messages, parsed->hasMore && parsed->nextBeforeId);
        d->continueShortSearch();
    });
}

void ChatClient::loadMoreSearchResults()
{
    if (d->searchLoading || !d->searchNextBeforeId || !d->searchResults->hasMore())
        return;
    SearchMessagesRequest request = d->searchRequest;
    request.beforeId = d->searchNextBeforeId;
    const quint64 serial = d->searchSerial;
    d->searchLoading = true;
    d->session->request(event::SearchMessages, request.toPayload(), [this, serial](const Envelope& reply) {
        if (serial != d->searchSerial)
            return;
        d->searchLoading = false;
        const auto parsed = SearchResultsReply::fromPayload(reply.payload);
        if (isErrorReply(reply) || !parsed)
            return;
        d->searchNextBeforeId = parsed->nextBeforeId;
        d->searchResults->appendResults(parsed->messages, parsed->hasMore && parsed->nextBeforeId);
        d->continueShortSearch();
    });
}

// Short queries are scanned in bounded windows, so a page may hold few or no
// matches while more exist: keep paging (a bounded number of times) until
// the first screenful is there.
void ChatClient::Private::continueShortSearch()
{
    if (searchResults->hasMore() && searchResults->count() < kSearchPage && searchAutoPages < 20) {
        ++searchAutoPages;
        q->loadMoreSearchResults();
    }
}

void ChatClient::loadMentions()
{
    ListMentionsRequest request;
    request.limit = kMentionsPage;
    d->session->request(event::ListMentions, request.toPayload(), [this](const Envelope& reply) {
        const auto parsed = MentionsReply::fromPayload(reply.payload);
        if (isErrorReply(reply) || !parsed)
            return;
        for (const Message& m : parsed->items)
            d->rememberRecent(m);
        d->mentions->setResults(parsed->items, parsed->hasMore);
    });
}

} // namespace confab::client
