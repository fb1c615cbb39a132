#include "public_rooms_model.h"

#include "room_list_model.h"

namespace confab::client {

PublicRoomsModel::PublicRoomsModel(const RoomListModel* myRooms, QObject* parent)
    : QAbstractListModel(parent)
    , m_myRooms(myRooms)
{
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(myRooms, signal, this, [this] { membershipChanged(); });
    connect(myRooms, &QAbstractItemModel::modelReset, this, [this] { membershipChanged(); });
}

int PublicRoomsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QVariant PublicRoomsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PublicRoom& room = m_rooms.at(index.row());
    switch (role) {
    case RoomIdRole:
        return double(room.id);
    case Qt::DisplayRole:
    case NameRole:
        return room.name;
    case TopicRole:
        return room.topic;
    case MemberCountRole:
        return room.memberCount;
    case JoinedRole:
        return joined(room.id);
    default:
        return {};
    }
}

QHash<int, QByteArray> PublicRoomsModel::roleNames() const
{
    return {{RoomIdRole, "roomId"},
            {NameRole, "name"},
            {TopicRole, "topic"},
            {MemberCountRole, "memberCount"},
            {JoinedRole, "joined"}};
}

void PublicRoomsModel::setRooms(const QList<PublicRoom>& rooms)
{
    const bool countChanges = rooms.size() != m_rooms.size();
    beginResetModel(); // a new search: a new list
    m_rooms = rooms;
    endResetModel();
    if (countChanges)
        emit countChanged();
}

void PublicRoomsModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

void PublicRoomsModel::membershipChanged()
{
    if (!m_rooms.isEmpty())
        emit dataChanged(index(0), index(int(m_rooms.size()) - 1), {JoinedRole});
}

bool PublicRoomsModel::joined(Id roomId) const
{
    return m_myRooms->rowOf(roomId) >= 0;
}

} // namespace confab::client
