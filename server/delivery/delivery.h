#pragma once

#include "delivery/receipt_coalescer.h"
#include "store/store.h"

#include <QHash>

namespace confab::server {

class Hub;

// The one path outward (docs/change-path.md): turns a committed change into
// the frames and the connections that may see them. Every change arrives
// here, whichever instance committed it:
// - this instance's, from the store executor after the job that committed
//   them has replied to its client (deliverCommitted);
// - another instance's, or an admin command's, from the change log
//   (deliverLogged: the cluster bus on PostgreSQL, the log watcher on SQLite).
// Recipients are the room's members in the RoomRegistry at delivery time, so
// nothing reaches a connection whose user has left; a change is delivered
// once per connection.
class Delivery {
public:
    explicit Delivery(Hub& hub);

    void deliverCommitted(const QList<ChangeRecord>& changes);
    void deliverLogged(const ChangeRecord& change);

private:
    enum class Source { Committed, Logged };
    void deliver(const ChangeRecord& change, Source source);
    void message(const ChangeRecord& change, Source source);
    void messageUpdated(const ChangeRecord& change);
    void reaction(const ChangeRecord& change);
    void read(const ChangeRecord& change);
    void room(const ChangeRecord& change);
    void memberLeft(const ChangeRecord& change);
    // Groups (contract, second part; delivery_groups.cpp).
    void memberJoined(const ChangeRecord& change);
    void sendJoined(const ChangeRecord& change, const Room& view);
    void roomUpdated(const ChangeRecord& change);
    void pinsChanged(const ChangeRecord& change);
    // Attention (contract, second part).
    void roomSettings(const ChangeRecord& change);
    void userUpdated(const ChangeRecord& change);
    void sendReceipt(Id roomId, Id userId, Id messageId);
    // Every connection of the user but the one with serial `except` (0: none).
    void sendToUserExcept(Id userId, const QByteArray& frame, quint64 except);

    Hub& m_hub;
    // The newest revision of each message sent as message_updated: a change
    // read back from the log carries the message as it is when read, so two
    // edits read together would otherwise send the same state twice.
    QHash<Id, qint64> m_updatedRevision;
    static constexpr qsizetype kRememberedRevisions = 20'000;
    // `receipt` events, at most one per member and room per second (per instance).
    ReceiptCoalescer m_receipts;
};

} // namespace confab::server
