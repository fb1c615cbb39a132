#pragma once

#include "outgoing_file.h"

#include "protocol/envelope.h"
#include "protocol/result.h"
#include "protocol/types.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace confab::client {

class FileUploads;
class LocalStore;
class Session;

// The optimistic sends not yet acknowledged, in the order the user made them,
// across all rooms. One send_message is in flight at a time, so the server
// stores them in that order. Every attempt for an item uses the item's tempId,
// which makes resending after a lost connection or a rate limit safe: the
// server stores a (sender, tempId) at most once.
//
// Items stay queued while offline; the owner calls flush() once it has caught
// up after a reconnect. A failed item stays listed (so its row can be shown
// again when its room is reopened) until retry() puts it back in the queue.
//
// With a store, every change is written through to it, so the queue
// survives a crash or a quit while offline: restore() puts the stored items
// back at the next start, and they are sent with their original tempIds
// (the server acks a (sender, tempId) it already has with the first
// messageId, so a send whose ack was lost is never stored twice).
//
// A message with files (issue 16) uploads them first, when it is the head
// (FileUploads: each file, then its thumbnail, resumed after a reconnect),
// then goes as send_message with attachments. The files' upload state is
// written through too, so a restart resumes the uploads where they were.
class Outbox : public QObject {
    Q_OBJECT
public:
    struct Item {
        Id roomId = 0;
        QString tempId;
        QString content;
        QList<Mention> mentions;
        std::optional<Id> replyTo;
        qint64 createdAt = 0;      // local time of the send, for the pending row
        QList<OutgoingFile> files; // issue 16: uploaded before the send
        bool failed = false;
    };

    explicit Outbox(Session* session, QObject* parent = nullptr);

    // Not owned; nullptr: in memory only. clear() leaves the store alone
    // (the owner wipes it on sign-out).
    void setStore(LocalStore* store) { m_store = store; }
    // Not owned; needed for items with files.
    void setUploads(FileUploads* uploads);
    // Stored items of an earlier run, before anything queued since (skips
    // tempIds already queued); sent at the next flush().
    void restore(const QList<Item>& items);
    void enqueue(Item item);           // sends at once when online and it is its turn
    bool retry(const QString& tempId); // a failed item back into the queue, at its end
    // The message is known to be stored (seen in history or as an event):
    // drop the item without waiting for its ack.
    void markStored(const QString& tempId);
    void dropRoom(Id roomId); // left the room: its sends can never succeed
    // The user gave up on a send (× on its row): gone, its uploads cancelled.
    bool cancel(const QString& tempId);
    void flush(); // starts sending the queue head when online and idle
    void clear();

    bool contains(const QString& tempId) const { return indexOf(tempId) >= 0; }
    QList<Item> itemsFor(Id roomId) const;
    int size() const { return int(m_items.size()); }
    QList<Item> items() const { return m_items; }
    // Per attempt; tests shorten it.
    void setRequestTimeout(int ms) { m_timeoutMs = ms; }

signals:
    void acknowledged(confab::Id roomId, const QString& tempId, confab::Id messageId, qint64 createdAt);
    void failed(confab::Id roomId, const QString& tempId, const confab::Error& error);
    void sizeChanged();
    // An item left the queue for good (stored, cancelled, its room left):
    // the files made for it (pasted images, thumbnails) may go.
    void filesReleased(const QList<confab::client::OutgoingFile>& files);
    // Bytes of the item's files the server holds (thumbnails not counted).
    void uploadProgress(confab::Id roomId, const QString& tempId, qint64 done, qint64 total);

private:
    int indexOf(const QString& tempId) const;
    void abandonInFlight(); // the connection went away: the next flush resends
    void onReply(quint64 attempt, const Envelope& reply);

    void removeAt(int i); // and from the store
    void stopUploadsOf(const QString& tempId);
    void onUploadsChanged(const QString& tempId, const QList<OutgoingFile>& files);
    void onUploadsFinished(const QString& tempId, const QList<OutgoingFile>& files);
    void onUploadsFailed(const QString& tempId, const Error& error);
    void markFailed(int i, const Error& error);

    Session* m_session;
    LocalStore* m_store = nullptr;
    FileUploads* m_uploads = nullptr;
    QList<Item> m_items;
    QString m_inFlight;     // tempId of the send awaiting its reply
    quint64 m_attempt = 0;  // replies of older attempts are ignored
    QTimer m_rateLimitWait; // rate_limited/unavailable: resend the head when it fires
    int m_timeoutMs = 15000;
};

} // namespace confab::client
