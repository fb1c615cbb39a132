// RoomsController: the people picker, DMs, groups, leaving.
#include "rooms_controller.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"

namespace confab::client {

namespace {
constexpr int kUserResults = 30;
} // namespace

RoomsController::RoomsController(ClientCore* core)
    : d(core)
    , m_switcher(std::make_unique<QuickSwitcherModel>(core->rooms.get(), core->users.get()))
{}

RoomsController::~RoomsController() = default;

RoomListModel* RoomsController::model() const
{
    return d->rooms.get();
}

UserListModel* RoomsController::userResults() const
{
    return d->userResults.get();
}

void RoomsController::searchUsers(const QString& prefix)
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

void RoomsController::findInSwitcher(const QString& query)
{
    m_switcher->setQuery(query);
    QString prefix = query.trimmed();
    if (prefix.startsWith(QLatin1Char('@')))
        prefix.remove(0, 1);
    if (prefix.isEmpty() || d->session->state() != Session::State::Online)
        return;
    const quint64 serial = ++m_switcherSerial;
    SearchUsersRequest request;
    request.query = prefix;
    request.limit = kUserResults;
    d->session->request(event::SearchUsers, request.toPayload(), [this, serial](const Envelope& reply) {
        const auto parsed = UsersReply::fromPayload(reply.payload);
        if (serial != m_switcherSerial || isErrorReply(reply) || !parsed)
            return;
        d->users->upsertAll(parsed->users); // the switcher follows the directory
        m_switcher->refresh();
    });
}

void RoomsController::startDm(double userId)
{
    OpenDmRequest request;
    request.userId = Id(userId);
    d->call(event::OpenDm, request.toPayload(), [this](const Envelope& reply) {
        const auto parsed = RoomEvent::fromPayload(reply.payload);
        if (!parsed)
            return;
        d->users->upsertAll(parsed->room.members);
        d->rooms->upsert(parsed->room);
        d->conversation->openRoom(double(parsed->room.id));
    });
}

void RoomsController::createGroup(const QString& name, const QVariantList& memberIds)
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
        d->conversation->openRoom(double(parsed->room.id));
    });
}

void RoomsController::leaveRoom(double roomId)
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

} // namespace confab::client
