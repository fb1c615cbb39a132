#include "group_controller.h"

#include "chat_client_private.h"
#include "group_rights.h"
#include "protocol/event_names.h"
#include "protocol/groups.h"

#include <algorithm>

namespace confab::client {

namespace {

Room roomOf(const ClientCore* d)
{
    return d->rooms->room(d->currentRoom);
}

std::optional<MemberRole> roleIn(const Room& room, Id userId)
{
    return rights::roleOf(room, userId);
}

} // namespace

GroupController::GroupController(ClientCore* core)
    : d(core)
    , m_members(std::make_unique<MemberListModel>(core->users.get()))
{
    RoomListModel* rooms = d->rooms.get();
    // The open room's state lives in the room list: any change there may be it.
    connect(rooms, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to, const QList<int>& roles) {
                // Not for every new message (previews, badges): members are re-sorted here.
                static const QList<int> relevant{RoomListModel::NameRole,      RoomListModel::MemberCountRole,
                                                 RoomListModel::MyRankRole,    RoomListModel::TopicRole,
                                                 RoomListModel::IsPublicRole,  RoomListModel::OwnerIdRole,
                                                 RoomListModel::PeerStatusRole};
                const int row = d->rooms->rowOf(d->currentRoom);
                if (row < from.row() || row > to.row())
                    return;
                if (roles.isEmpty() || std::any_of(roles.cbegin(), roles.cend(),
                                                   [](int role) { return relevant.contains(role); }))
                    refresh();
            });
    connect(rooms, &QAbstractItemModel::modelReset, this, &GroupController::refresh);
    connect(rooms, &QAbstractItemModel::rowsInserted, this, &GroupController::refresh);
    connect(rooms, &QAbstractItemModel::rowsRemoved, this, &GroupController::refresh);
}

GroupController::~GroupController() = default;

void GroupController::refresh()
{
    m_members->setRoom(roomOf(d), d->me.id);
    emit roomChanged();
}

double GroupController::roomId() const
{
    return double(d->rooms->contains(d->currentRoom) ? d->currentRoom : 0);
}
QString GroupController::name() const
{
    return d->rooms->displayName(d->currentRoom);
}
QString GroupController::topic() const
{
    return roomOf(d).topic;
}
bool GroupController::isDm() const
{
    return roomOf(d).type == RoomType::Dm;
}
bool GroupController::isPublic() const
{
    return roomOf(d).visibility == RoomVisibility::Public;
}
int GroupController::memberCount() const
{
    const Room room = roomOf(d);
    return int(std::max<qsizetype>(room.memberCount, room.members.size()));
}
MemberListModel::Rank GroupController::myRank() const
{
    return MemberListModel::rankOf(roleIn(roomOf(d), d->me.id));
}
bool GroupController::canEdit() const
{
    const Room room = roomOf(d);
    return room.id != 0 && rights::canEdit(room.type, roleIn(room, d->me.id));
}
bool GroupController::canAdd() const
{
    const Room room = roomOf(d);
    return room.id != 0 && rights::canAdd(room.type, roleIn(room, d->me.id));
}
bool GroupController::canLeave() const
{
    const Room room = roomOf(d);
    return room.id != 0 && rights::canLeave(room.type);
}

bool GroupController::canRemove(double userId) const
{
    const Room room = roomOf(d);
    return rights::canRemove(room.type, roleIn(room, d->me.id), d->me.id, Id(userId),
                             roleIn(room, Id(userId)));
}
bool GroupController::canSetRole(double userId) const
{
    const Room room = roomOf(d);
    return rights::canSetRole(room.type, roleIn(room, d->me.id), d->me.id, Id(userId),
                              roleIn(room, Id(userId)));
}
bool GroupController::canTransfer(double userId) const
{
    const Room room = roomOf(d);
    return rights::canTransfer(room.type, roleIn(room, d->me.id), d->me.id, Id(userId),
                               roleIn(room, Id(userId)));
}

bool GroupController::isMember(double userId) const
{
    const Room room = roomOf(d);
    return std::any_of(room.members.cbegin(), room.members.cend(),
                       [id = Id(userId)](const User& u) { return u.id == id; });
}

void GroupController::addMembers(double roomId, const QVariantList& userIds)
{
    AddMembersRequest request;
    request.roomId = Id(roomId);
    for (const QVariant& id : userIds) {
        if (Id(id.toDouble()) != 0)
            request.userIds.append(Id(id.toDouble()));
    }
    if (request.userIds.isEmpty())
        return;
    ++m_busy;
    emit busyChanged();
    d->session->request(event::AddMembers, request.toPayload(), [this](const Envelope& reply) {
        --m_busy;
        emit busyChanged();
        if (isErrorReply(reply))
            return setError(describeError(errorOfReply(reply)));
        // The reply is the room as it is now, with the new members.
        if (const auto room = RoomEvent::fromPayload(reply.payload)) {
            d->users->upsertAll(room->room.members);
            d->rooms->upsert(room->room);
        }
        clearError();
        emit succeeded();
    });
}

void GroupController::removeMember(double roomId, double userId)
{
    send(event::RemoveMember, RemoveMemberRequest{Id(roomId), Id(userId)}.toPayload());
}

void GroupController::setRole(double roomId, double userId, MemberListModel::Rank rank)
{
    if (rank != MemberListModel::Rank::Admin && rank != MemberListModel::Rank::Member)
        return; // ownership moves by transferOwnership()
    SetRoleRequest request;
    request.roomId = Id(roomId);
    request.userId = Id(userId);
    request.role = rank == MemberListModel::Rank::Admin ? MemberRole::Admin : MemberRole::Member;
    send(event::SetRole, request.toPayload());
}

void GroupController::transferOwnership(double roomId, double userId)
{
    send(event::TransferOwnership, TransferOwnershipRequest{Id(roomId), Id(userId)}.toPayload());
}

void GroupController::updateRoom(double roomId, const QVariantMap& changes)
{
    UpdateRoomRequest request;
    request.roomId = Id(roomId);
    const Room room = d->rooms->room(request.roomId);
    // Only what differs: an unchanged name is no change (and no system line).
    if (changes.contains(QStringLiteral("name"))) {
        const QString name = changes.value(QStringLiteral("name")).toString().trimmed();
        if (name.isEmpty())
            return setError(tr("A group needs a name."));
        if (name != room.name)
            request.name = name;
    }
    if (changes.contains(QStringLiteral("topic"))) {
        const QString topic = changes.value(QStringLiteral("topic")).toString().trimmed();
        if (topic != room.topic)
            request.topic = topic;
    }
    if (changes.contains(QStringLiteral("isPublic"))) {
        const auto visibility = changes.value(QStringLiteral("isPublic")).toBool() ? RoomVisibility::Public
                                                                                   : RoomVisibility::Private;
        if (visibility != room.visibility)
            request.visibility = visibility;
    }
    if (!request.name && !request.topic && !request.visibility)
        return;
    send(event::UpdateRoom, request.toPayload());
}

void GroupController::leave(double roomId)
{
    // Leaving is the room list's (RoomsController::leaveRoom); one request for both.
    d->roomsView->leaveRoom(roomId);
}

void GroupController::send(QLatin1String type, const QJsonObject& payload)
{
    ++m_busy;
    emit busyChanged();
    // The change itself arrives as events (room_updated, member_left):
    // the panel follows them, not the reply.
    d->session->request(type, payload, [this](const Envelope& reply) {
        --m_busy;
        emit busyChanged();
        if (isErrorReply(reply))
            return setError(describeError(errorOfReply(reply)));
        clearError();
        emit succeeded();
    });
}

void GroupController::setError(const QString& message)
{
    if (m_error == message)
        return;
    m_error = message;
    emit errorMessageChanged();
}

void GroupController::clearError()
{
    setError(QString());
}

void GroupController::noteRemoved(const QString& roomName)
{
    m_notice = tr("You were removed from %1").arg(roomName);
    emit noticeChanged();
}

void GroupController::dismissNotice()
{
    if (m_notice.isEmpty())
        return;
    m_notice.clear();
    emit noticeChanged();
}

} // namespace confab::client
