// SearchController: message search and the mentions inbox.
#include "search_controller.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"

namespace confab::client {

namespace {
constexpr int kSearchPage = 30;
constexpr int kMentionsPage = 50;
} // namespace

SearchController::SearchController(ClientCore* core)
    : d(core)
{}

MessageResultsModel* SearchController::results() const
{
    return d->searchResults.get();
}

MessageResultsModel* SearchController::mentions() const
{
    return d->mentions.get();
}

void SearchController::searchMessages(const QString& query, bool currentRoomOnly)
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
        continueShortSearch();
    });
}

void SearchController::loadMore()
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
        continueShortSearch();
    });
}

// Short queries are scanned in bounded windows, so a page may hold few or no
// matches while more exist: keep paging (a bounded number of times) until
// the first screenful is there.
void SearchController::continueShortSearch()
{
    if (d->searchResults->hasMore() && d->searchResults->count() < kSearchPage && d->searchAutoPages < 20) {
        ++d->searchAutoPages;
        loadMore();
    }
}

void SearchController::loadMentions()
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
