// PinsController: the open room's pins, pinning and unpinning.
#include "pins_controller.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "protocol/groups.h"
#include "protocol/limits.h"
#include "room_rights.h"

namespace confab::client {

PinsController::PinsController(ClientCore* core)
    : d(core)
    , m_model(std::make_unique<MessageResultsModel>(core->users.get(), core->rooms.get()))
{
    connect(m_model.get(), &MessageResultsModel::countChanged, this, &PinsController::countChanged);
    connect(d->conversation.get(), &ConversationController::roomChanged, this, [this] { onRoomChanged(); });
    connect(d->session.get(), &Session::pinsChanged, this,
            [this](const PinsChangedEvent& change) { onPinsChanged(change); });
    // Nothing is replayed after a reconnect: pins may have changed meanwhile.
    // A room shown from the cache before sign-in gets its pins once online.
    connect(d->session.get(), &Session::reconnected, this, [this] { refresh(); });
    connect(d->session.get(), &Session::authenticated, this, [this] {
        updateCanPin(); // d->me is known now
        refresh();
    });
    // A pinned message edited or deleted: the list shows it as it is now.
    connect(d->session.get(), &Session::messageUpdated, this, [this](const Message& message) {
        if (message.roomId == d->currentRoom)
            m_model->applyUpdate(message);
    });
    // My role may change (room_updated, groups): what I am offered follows.
    connect(d->rooms.get(), &QAbstractItemModel::dataChanged, this, [this] { updateCanPin(); });
    connect(d->rooms.get(), &QAbstractItemModel::rowsInserted, this, [this] { updateCanPin(); });
    connect(d->rooms.get(), &QAbstractItemModel::modelReset, this, [this] { updateCanPin(); });
}

PinsController::~PinsController() = default;

void PinsController::pin(double messageId, bool pinned)
{
    PinMessageRequest request;
    request.messageId = Id(messageId);
    request.pinned = pinned;
    d->session->request(event::PinMessage, request.toPayload(), [this](const Envelope& reply) {
        if (!isErrorReply(reply))
            return; // pins_changed refreshes the list, for every device alike
        const Error error = errorOfReply(reply);
        // describeError's too_large speaks of message length.
        d->setError(error.code == ErrorCode::TooLarge
                        ? tr("This conversation already has %1 pinned messages. Unpin one first.")
                              .arg(limits::kMaxPinsPerRoom)
                        : describeError(error));
    });
}

void PinsController::refresh()
{
    const quint64 serial = ++m_serial;
    const Id roomId = d->currentRoom;
    if (roomId == 0 || d->session->state() != Session::State::Online) {
        if (roomId == 0) {
            m_model->clear();
            d->messages->setPinned({});
        }
        return;
    }
    ListPinsRequest request;
    request.roomId = roomId;
    d->session->request(event::ListPins, request.toPayload(), [this, serial, roomId](const Envelope& reply) {
        if (serial != m_serial || roomId != d->currentRoom)
            return;
        const auto parsed = PinsReply::fromPayload(reply.payload);
        if (isErrorReply(reply) || !parsed)
            return; // keeps what it showed; the next change or reconnect asks again
        QSet<Id> ids;
        for (const Message& m : parsed->messages)
            ids.insert(m.id);
        m_model->setResults(parsed->messages, false);
        d->messages->setPinned(ids);
    });
}

void PinsController::onRoomChanged()
{
    m_model->clear();
    d->messages->setPinned({});
    updateCanPin();
    refresh();
}

void PinsController::onPinsChanged(const PinsChangedEvent& change)
{
    if (change.roomId != d->currentRoom)
        return; // other rooms' pins are asked for when they open
    // At once for the pin mark, then the list with the message as it is.
    QSet<Id> ids;
    for (int row = 0; row < m_model->count(); ++row)
        ids.insert(Id(m_model->data(m_model->index(row), MessageResultsModel::MessageIdRole).toDouble()));
    if (change.pinned)
        ids.insert(change.messageId);
    else
        ids.remove(change.messageId);
    d->messages->setPinned(ids);
    refresh();
}

void PinsController::updateCanPin()
{
    const bool can = canPinIn(d->rooms->room(d->currentRoom), d->me.id);
    if (can == m_canPin)
        return;
    m_canPin = can;
    emit canPinChanged();
}

} // namespace confab::client
