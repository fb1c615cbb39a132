// RoomsController: the people picker, DMs, groups, leaving, the directory.
#include "rooms_controller.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "protocol/groups.h"

namespace confab::client {

namespace {
constexpr int kUserResults = 30;
} // namespace

RoomsController::RoomsController(ClientCore* core)
    : d(core)
    , m_switcher(std::make_unique<QuickSwitcherModel>(core->rooms.get(), core->users.get()))
    , m_publicRooms(std::make_unique<PublicRoomsModel>(core->rooms.get()))
{
    connect(d->rooms.get(), &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_openWhenListed != 0 && d->rooms->rowOf(m_openWhenListed) >= 0)
            d->conversation->openRoom(double(std::exchange(m_openWhenListed, 0)));
    });
}

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

void RoomsController::createGroup(const QString& name, const QVariantList& memberIds, const QString& topic,
                                  bool isPublic)
{
    CreateRoomRequest request;
    request.name = name.trimmed();
    request.topic = topic.trimmed();
    request.visibility = isPublic ? RoomVisibility::Public : RoomVisibility::Private;
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

void RoomsController::listPublicRooms(const QString& query)
{
    const quint64 serial = ++m_publicSerial;
    ListPublicRoomsRequest request;
    request.query = query.trimmed();
    request.limit = limits::kPublicRoomsMaxLimit;
    m_publicRooms->setLoading(true);
    d->session->request(event::ListPublicRooms, request.toPayload(), [this, serial](const Envelope& reply) {
        if (serial != m_publicSerial)
            return;
        m_publicRooms->setLoading(false);
        const auto parsed = PublicRoomsReply::fromPayload(reply.payload);
        if (isErrorReply(reply) || !parsed) {
            m_publicRooms->clear();
            d->setError(describeError(errorOfReply(reply)));
            return;
        }
        m_publicRooms->setRooms(parsed->rooms);
    });
}

void RoomsController::joinRoom(double roomId)
{
    const Id id = Id(roomId);
    if (d->rooms->rowOf(id) >= 0) {
        d->conversation->openRoom(roomId);
        return;
    }
    RoomRefRequest request;
    request.roomId = id;
    m_openWhenListed = id;
    d->session->request(event::JoinRoom, request.toPayload(), [this, id](const Envelope& reply) {
        if (isErrorReply(reply)) {
            if (m_openWhenListed == id)
                m_openWhenListed = 0;
            d->setError(describeError(errorOfReply(reply)));
            return;
        }
        // Already listed (the `room` raced the reply): open it now.
        if (m_openWhenListed == id && d->rooms->rowOf(id) >= 0)
            d->conversation->openRoom(double(std::exchange(m_openWhenListed, 0)));
    });
}

} // namespace confab::client
