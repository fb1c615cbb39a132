// ReceiptTracker: the open room's read receipts (contract, second part:
// "Attention").
#include "receipt_tracker.h"

#include "message_list_model.h"
#include "protocol/event_names.h"
#include "session.h"

namespace confab::client {

ReceiptTracker::ReceiptTracker(Session* session, MessageListModel* messages, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_messages(messages)
{
    connect(session, &Session::receiptReceived, this, &ReceiptTracker::onReceipt);
    connect(session, &Session::authenticated, this, &ReceiptTracker::updateEnabled);
    // Markers that moved while I was away.
    connect(session, &Session::reconnected, this, [this] {
        updateEnabled();
        fetch();
    });
    // A member who left no longer reads along.
    connect(session, &Session::memberLeft, this, [this](Id roomId, Id userId) {
        if (roomId == m_room && m_markers.remove(userId))
            push();
    });
}

void ReceiptTracker::setRoom(Id roomId, bool dm)
{
    if (roomId == m_room && dm == m_dm)
        return;
    m_room = roomId;
    m_dm = dm;
    ++m_serial;
    m_markers.clear();
    push();
    fetch();
}

void ReceiptTracker::updateEnabled()
{
    const bool enabled = m_session->policy().receipts && m_session->user().sendReceipts.value_or(true);
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    ++m_serial;
    m_markers.clear();
    push();
    fetch();
}

void ReceiptTracker::fetch()
{
    if (!m_enabled || m_room == 0 || m_session->state() != Session::State::Online)
        return;
    const quint64 serial = ++m_serial;
    const Id room = m_room;
    m_session->request(event::FetchReceipts, FetchReceiptsRequest{room}.toPayload(),
                       [this, serial, room](const Envelope& reply) {
                           if (serial != m_serial || room != m_room || !m_enabled)
                               return;
                           const auto parsed = ReceiptsReply::fromPayload(reply.payload);
                           if (reply.type != event::Receipts || !parsed || parsed->roomId != room)
                               return; // an error (offline, the room left): nothing to show
                           // Live events that came meanwhile may be newer than the reply.
                           for (const ReceiptMarker& marker : parsed->markers) {
                               Id& known = m_markers[marker.userId];
                               known = std::max(known, marker.messageId);
                           }
                           push();
                       });
}

void ReceiptTracker::onReceipt(const ReceiptEvent& receipt)
{
    if (!m_enabled || receipt.roomId != m_room || receipt.userId == m_session->user().id)
        return;
    Id& known = m_markers[receipt.userId];
    if (receipt.messageId <= known)
        return;
    known = receipt.messageId;
    push();
}

void ReceiptTracker::push()
{
    // (A big group's member list may come cut, so it does not filter these.)
    QHash<Id, Id> shown = m_markers;
    shown.remove(m_session->user().id);
    m_messages->setReceipts(shown, m_dm);
    emit markersChanged();
}

} // namespace confab::client
