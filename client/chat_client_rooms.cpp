// ChatClient: the open room, its messages, sending, catching up after a
// reconnect. The live events that change them are in chat_client_events.cpp.
#include "attachment_display.h"
#include "chat_client.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "protocol/validation.h"

namespace confab::client {

namespace {
constexpr int kPageSize = 50;
constexpr int kCatchUpPageSize = 100;
// How far back the "New messages" line is looked for: 20 pages of 50.
constexpr int kDividerPages = 20;
} // namespace

void ClientCore::call(QLatin1String type, const QJsonObject& payload,
                      std::function<void(const Envelope&)> onOk)
{
    session->request(type, payload, [this, onOk = std::move(onOk)](const Envelope& reply) {
        if (isErrorReply(reply))
            setError(describeError(errorOfReply(reply)));
        else
            onOk(reply);
    });
}

// After sign-in and after every reconnect (the server replays nothing):
// rooms with their counts, the open room's missed messages and then the
// changes to the messages it holds (edits, deletions, reactions), mentions,
// then the outbox. Both catch-ups start from what is held right now (the
// newest message, the highest revision), before any live event of the new
// connection is processed, so those cannot hide a gap; the message catch-up
// raises the highest revision, so it is taken first.
void ClientCore::refresh(bool reconnect)
{
    sendPendingMarks(); // read while offline: before the counts are asked for
    const bool catchingUp = reconnect && currentRoom != 0;
    if (catchingUp) {
        auto flush = [this] {
            markReadUnlessReading();
            outbox->flush();
        };
        if (pageLoading || messages->newestId() == 0) {
            loadRoom(currentRoom, std::nullopt, flush);
        } else {
            const Id room = currentRoom;
            const quint64 serial = roomSerial;
            const qint64 revision = messages->maxRevision();
            const Id newest = messages->newestId();
            const bool fromCache = std::exchange(openedFromCache, false);
            catchUp(room, serial, newest, [=] {
                catchUpChanges(room, serial, revision, [=] {
                    if (fromCache)
                        divideAfterCache(serial, newest);
                    flush();
                });
            });
        }
    }
    call(event::ListRooms, {}, [this, catchingUp](const Envelope& reply) {
        const auto parsed = RoomsReply::fromPayload(reply.payload);
        if (!parsed)
            return;
        for (const Room& room : parsed->rooms)
            users->upsertAll(room.members);
        rooms->setRooms(parsed->rooms);
        for (auto it = pendingMarks.cbegin(); it != pendingMarks.cend(); ++it) {
            const Room room = rooms->room(it.key()); // marked offline, the reply may predate it
            if (room.lastMessage && room.lastMessage->id <= it.value())
                rooms->markRead(it.key());
        }
        if (currentRoom != 0 && !rooms->contains(currentRoom))
            closeRoom(); // left on another device while we were away
        if (!catchingUp)
            outbox->flush();
    });
    search->loadMentions();
}

void ClientCore::loadRoom(Id roomId, std::optional<Id> endingAt, std::function<void()> done)
{
    typing->stopLocal();
    typing->setRoom(roomId);
    const bool changed = currentRoom != roomId;
    currentRoom = roomId;
    const quint64 serial = ++roomSerial;
    messages->reset(roomId);
    // Offline (a start before the server answered, a lost connection): the
    // newest messages as last seen. The request below then fails at once,
    // and the reconnect catches up from them (refresh()). Online the
    // server's page comes at once and is shown alone.
    const auto cached = cachedPages.constFind(roomId);
    if (session->state() != Session::State::Online && !endingAt && cached != cachedPages.cend())
        messages->setNewestPage(*cached, true);
    setLoadingOlder(false);
    pageLoading = true;
    liveWhileLoading.clear();
    updatesWhileLoading.clear();
    reactionsWhileLoading.clear();
    unreadAtOpen = rooms->room(roomId).unreadCount;
    placingDivider = unreadAtOpen > 0;
    if (changed) {
        composer->cancelEdit();
        composer->cancelReply();
        emit conversation->roomChanged();
    }

    FetchMessagesRequest request;
    request.roomId = roomId;
    request.limit = kPageSize;
    if (endingAt)
        request.beforeId = *endingAt + 1; // the page ends with that message
    session->request(event::FetchMessages, request.toPayload(), [=](const Envelope& reply) {
        if (serial != roomSerial) {
            if (done)
                done();
            return;
        }
        const auto history = HistoryReply::fromPayload(reply.payload);
        if (isErrorReply(reply) || !history) {
            if (session->state() == Session::State::Online)
                setError(describeError(errorOfReply(reply)));
            restorePending(roomId, {}); // offline: at least what is waiting to be sent
            finishPageLoad();
            // Opened from the cache: the "New messages" line among its rows
            // (older pages need the server). What is read from them is
            // kept and sent once online (markReadUpTo).
            openedFromCache = messages->newestId() != 0;
            if (unreadAtOpen > 0 && openedFromCache)
                placeUnreadDivider(serial, !endingAt, 0);
            placingDivider = false;
            markReadUnlessReading();
            emit conversation->roomLoaded(double(roomId), false);
            if (done)
                done();
            return;
        }
        openedFromCache = false;
        messages->setNewestPage(history->messages, history->hasMore);
        auto finish = [=, known = history->messages] {
            if (serial == roomSerial) {
                restorePending(roomId, known);
                finishPageLoad();
                if (unreadAtOpen > 0)
                    placeUnreadDivider(serial, !endingAt, kDividerPages);
                markReadUnlessReading(); // not when reloaded behind an inactive window
                if (endingAt) {
                    const int row = messages->rowOfMessage(*endingAt);
                    if (row >= 0)
                        emit conversation->scrollToMessage(row);
                }
                emit conversation->roomLoaded(double(roomId), true);
            }
            if (done)
                done();
        };
        // A jump loads the page ending at the message; what follows it is
        // fetched too, so live messages never leave a gap behind it.
        if (endingAt && !history->messages.isEmpty())
            catchUp(roomId, serial, messages->newestId(), finish);
        else
            finish();
    });
}

// Pages forward from `afterId` until the server has nothing newer. Each page
// continues from the last id of the previous one, not from the model's
// newest: live messages may arrive meanwhile and must not open a gap.
void ClientCore::catchUp(Id roomId, quint64 serial, Id afterId, std::function<void()> done)
{
    FetchMessagesRequest request;
    request.roomId = roomId;
    request.afterId = afterId;
    request.limit = kCatchUpPageSize;
    session->request(event::FetchMessages, request.toPayload(), [=](const Envelope& reply) {
        const auto history = HistoryReply::fromPayload(reply.payload);
        if (serial != roomSerial || isErrorReply(reply) || !history)
            return done();
        appendCaughtUp(history->messages);
        if (history->hasMore && !history->messages.isEmpty())
            catchUp(roomId, serial, history->messages.constLast().id, done);
        else
            done();
    });
}

void ClientCore::catchUpChanges(Id roomId, quint64 serial, qint64 afterRevision, std::function<void()> done)
{
    FetchChangesRequest request;
    request.roomId = roomId;
    request.afterRevision = afterRevision;
    request.limit = kCatchUpPageSize;
    session->request(event::FetchChanges, request.toPayload(), [=](const Envelope& reply) {
        const auto changes = ChangesReply::fromPayload(reply.payload);
        if (serial != roomSerial || isErrorReply(reply) || !changes)
            return done();
        for (const Message& m : changes->messages) {
            rooms->applyUpdate(m);
            messages->applyUpdate(m); // new messages came with the message catch-up
        }
        if (changes->hasMore && !changes->messages.isEmpty())
            catchUpChanges(roomId, serial, changes->messages.constLast().revision, done);
        else
            done();
    });
}

// Messages newer than the newest held. Our own sends among them are stored,
// whether or not their ack came (it is lost with a dropped connection): they
// leave the outbox, and the model turns their pending rows into stored ones.
void ClientCore::appendCaughtUp(const QList<Message>& list)
{
    for (const Message& m : list) {
        if (m.senderId == me.id && outbox->contains(m.tempId))
            outbox->markStored(m.tempId);
    }
    messages->appendNewer(list);
}

// Sends of this room still in the outbox reappear as pending (or failed)
// rows after the room's messages were (re)loaded.
void ClientCore::restorePending(Id roomId, const QList<Message>& known)
{
    for (const Outbox::Item& item : outbox->itemsFor(roomId)) {
        const bool stored = std::any_of(known.cbegin(), known.cend(), [&](const Message& m) {
            return m.senderId == me.id && m.tempId == item.tempId;
        });
        if (stored) {
            outbox->markStored(item.tempId);
            continue;
        }
        if (messages->rowOfTempId(item.tempId) >= 0)
            continue;
        messages->addPending(item.tempId, item.content, item.mentions, item.createdAt);
        if (!item.files.isEmpty())
            messages->setPendingFiles(item.tempId, attachment_display::ofPending(item.files, 0));
        if (item.failed)
            messages->setFailed(item.tempId);
    }
}

// The room was opened from the cache, offline, without a "New messages"
// line: what the first connection brought after the cached rows is unread,
// and the line goes above it instead of everything being marked read.
void ClientCore::divideAfterCache(quint64 serial, Id cachedNewest)
{
    if (serial != roomSerial || messages->firstUnreadId() != 0)
        return;
    const int fresh = messages->countFromOthersAfter(cachedNewest);
    if (fresh == 0)
        return;
    unreadAtOpen = fresh;
    placeUnreadDivider(serial, true, 0);
}

void ClientCore::finishPageLoad()
{
    pageLoading = false;
    const QList<Message> live = std::exchange(liveWhileLoading, {});
    for (const Message& m : live)
        messages->upsert(m);
    // Each only applies when newer than what the page brought.
    const QList<Message> updates = std::exchange(updatesWhileLoading, {});
    for (const Message& m : updates)
        messages->applyUpdate(m);
    const QList<ReactionEvent> reactions = std::exchange(reactionsWhileLoading, {});
    for (const ReactionEvent& r : reactions)
        messages->applyReaction(r.messageId, r.emoji, r.userId, r.on, r.revision);
}

void ClientCore::closeRoom()
{
    placingDivider = false;
    openedFromCache = false;
    typing->stopLocal();
    typing->setRoom(0);
    ++roomSerial;
    pageLoading = false;
    liveWhileLoading.clear();
    updatesWhileLoading.clear();
    reactionsWhileLoading.clear();
    composer->cancelEdit();
    composer->cancelReply();
    setLoadingOlder(false);
    messages->reset(0);
    if (currentRoom != 0) {
        currentRoom = 0;
        emit conversation->roomChanged();
    }
}

void ClientCore::setLoadingOlder(bool value)
{
    if (loadingOlder == value)
        return;
    loadingOlder = value;
    emit conversation->loadingOlderChanged();
}

} // namespace confab::client
