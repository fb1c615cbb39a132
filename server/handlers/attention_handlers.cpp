// set_room_settings, fetch_receipts (contract, second part: "Attention").
// The dispatcher has checked membership of roomId (a non-member is answered
// as for a missing room); what other connections receive goes out through
// Delivery (room_settings, receipt).
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"

#include "protocol/attention.h"
#include "protocol/event_names.h"

#include <QPointer>

namespace confab::server {

void handleSetRoomSettings(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = SetRoomSettingsRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    hub.db<Result<void>>(
        [r = parsed.value(), me](Store& s) { return s.setRoomNotify(r.roomId, me, r.notify); },
        [guard, id](Result<void> set) {
            if (!guard)
                return;
            if (!set)
                return Hub::replyError(guard, set.error(), id);
            Hub::reply(guard, event::Ok, QJsonObject(), id);
        });
}

void handleFetchReceipts(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = FetchReceiptsRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const Id roomId = parsed->roomId;
    // --receipts off: every marker stays with its user.
    if (!hub.config().receipts)
        return Hub::reply(connection, event::Receipts, ReceiptsReply{roomId, {}}.toPayload(), request.id);
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    hub.db<Result<QList<ReceiptMarker>>>(
        [roomId, me](Store& s) { return s.receipts(roomId, me); },
        [guard, roomId, id](Result<QList<ReceiptMarker>> markers) {
            if (!guard)
                return;
            if (!markers)
                return Hub::replyError(guard, markers.error(), id);
            Hub::reply(guard, event::Receipts, ReceiptsReply{roomId, markers.value()}.toPayload(), id);
        },
        JobOrder::read(connection->serial()));
}

} // namespace confab::server
