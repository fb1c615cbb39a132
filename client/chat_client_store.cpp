// ClientCore and the profile's LocalStore: taking back what an earlier run
// left (the outbox, drafts, read markers set offline), and keeping the
// room list and the open room's newest messages cached.
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"

namespace confab::client {

namespace {
// The cache follows changes this long after the last one: a burst of
// messages is one write.
constexpr int kCacheDelayMs = 10000;
} // namespace

void ClientCore::connectStore()
{
    outbox->setStore(store.get());
    cacheSoon.setSingleShot(true);
    cacheSoon.setInterval(kCacheDelayMs);
    QObject::connect(&cacheSoon, &QTimer::timeout, q, [this] { saveCache(); });
    QObject::connect(store.get(), &LocalStore::loaded, q,
                     [this](const LocalStore::Snapshot& stored) { onStoreLoaded(stored); });
    QObject::connect(store.get(), &LocalStore::unavailable, q, [this](const QString& reason) {
        setKeychainMessage(
            ChatClient::tr("Unsent messages cannot be saved on this computer (%1).").arg(reason));
    });
    // Anything that changes the room list or the open room's messages.
    for (QAbstractItemModel* model :
         std::initializer_list<QAbstractItemModel*>{rooms.get(), messages.get()}) {
        QObject::connect(model, &QAbstractItemModel::dataChanged, &cacheSoon, qOverload<>(&QTimer::start));
        QObject::connect(model, &QAbstractItemModel::rowsInserted, &cacheSoon, qOverload<>(&QTimer::start));
        QObject::connect(model, &QAbstractItemModel::rowsRemoved, &cacheSoon, qOverload<>(&QTimer::start));
        QObject::connect(model, &QAbstractItemModel::modelReset, &cacheSoon, qOverload<>(&QTimer::start));
    }
    store->load();
}

void ClientCore::onStoreLoaded(const LocalStore::Snapshot& stored)
{
    if (signedIn) {
        adoptStored(stored);
        return;
    }
    startSnapshot = stored;
    showStoredState(); // when the keychain's token came first
}

void ClientCore::showStoredState()
{
    if (signedIn || !resuming || !startSnapshot)
        return;
    const LocalStore::Snapshot stored = *std::exchange(startSnapshot, std::nullopt);
    if (stored.userId == 0 || stored.user.id != stored.userId || stored.server != server ||
        stored.user.username != resumeUsername)
        return; // another account's data: wiped once signed in
    me = stored.user;
    users->upsert(me);
    rooms->setSelfUserId(me.id);
    messages->setSelfUserId(me.id);
    for (const Room& room : stored.rooms)
        users->upsertAll(room.members);
    rooms->setRooms(stored.rooms);
    cachedPages = stored.pages;
    showingStored = true;
    signedIn = true;
    emit account->signedInChanged();
    adoptStored(stored); // the outbox and drafts; read markers wait for the connection
}

void ClientCore::adoptStored(const LocalStore::Snapshot& stored)
{
    const bool mine = stored.userId == me.id && stored.server == server;
    if (stored.userId != 0 && !mine) {
        store->wipe(); // another account's queue must never be sent as this one
    } else if (!storeAdopted) {
        for (auto it = stored.drafts.cbegin(); it != stored.drafts.cend(); ++it) {
            if (!drafts.contains(it.key()))
                drafts.insert(it.key(), it.value());
        }
        for (auto it = stored.readMarkers.cbegin(); it != stored.readMarkers.cend(); ++it) {
            pendingMarks.insert(it.key(), std::max(pendingMarks.value(it.key()), it.value()));
            const Room room = rooms->room(it.key());
            if (room.lastMessage && room.lastMessage->id <= it.value())
                rooms->markRead(it.key());
        }
        sendPendingMarks();
        outbox->restore(stored.outbox);
        if (currentRoom != 0 && !pageLoading)
            restorePending(currentRoom, {});
    }
    storeAdopted = true;
    store->setOwner(server, me);
    cacheSoon.start();
}

void ClientCore::markReadUpTo(Id roomId, Id messageId)
{
    if (pendingMarks.value(roomId) >= messageId)
        return;
    pendingMarks.insert(roomId, messageId);
    store->setReadMarker(roomId, messageId);
    sendReadMarker(roomId, messageId);
}

void ClientCore::sendReadMarker(Id roomId, Id messageId)
{
    if (session->state() != Session::State::Online)
        return; // sendPendingMarks() after the reconnect
    MarkReadRequest request;
    request.roomId = roomId;
    request.messageId = messageId;
    session->request(event::MarkRead, request.toPayload(), [this, roomId, messageId](const Envelope& reply) {
        // Lost with the connection: stays pending. Refused (the room is
        // gone, the message unknown): retrying would never succeed.
        if (isErrorReply(reply) && errorOfReply(reply).code == ErrorCode::Unavailable)
            return;
        if (pendingMarks.value(roomId) <= messageId)
            pendingMarks.remove(roomId);
        store->clearReadMarker(roomId, messageId);
    });
}

// Before the room list is asked for, so its unread counts include them.
void ClientCore::sendPendingMarks()
{
    for (auto it = pendingMarks.cbegin(); it != pendingMarks.cend(); ++it)
        sendReadMarker(it.key(), it.value());
}

void ClientCore::saveCache()
{
    if (!storeAdopted || !signedIn || showingStored)
        return; // until the store is known to be this account's, and has news
    store->cacheRooms(rooms->rooms());
    if (currentRoom != 0 && !pageLoading && messages->roomId() == currentRoom) {
        QList<Message> page = messages->newestStored(LocalStore::kPageSize);
        if (page.isEmpty())
            return;
        cachedPages.insert(currentRoom, page);
        store->cachePage(currentRoom, page);
    }
}

} // namespace confab::client
