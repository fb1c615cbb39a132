#include "room_list_model.h"

#include "group_rights.h"
#include "member_list_model.h"
#include "system_text.h"
#include "user_directory.h"

#include <QScopedValueRollback>
#include <QSet>

#include <algorithm>

namespace confab::client {

namespace {

qint64 activityOf(const Room& room)
{
    return room.lastMessage ? room.lastMessage->createdAt : room.createdAt;
}

// The sort order: most recent activity first, ties broken by the larger id.
bool sortsBefore(const Room& a, const Room& b)
{
    const qint64 ta = activityOf(a);
    const qint64 tb = activityOf(b);
    return ta != tb ? ta > tb : a.id > b.id;
}

// One line for the preview: line breaks and runs of whitespace become one space.
QString previewText(const QString& content)
{
    constexpr int kMaxPreview = 200;
    QString text = content.simplified();
    if (text.size() > kMaxPreview) {
        int cut = kMaxPreview;
        if (text.at(cut - 1).isHighSurrogate())
            --cut;
        text.truncate(cut);
    }
    return text;
}

} // namespace

RoomListModel::RoomListModel(UserDirectory* users, QObject* parent)
    : QAbstractListModel(parent)
    , m_users(users)
{
    connect(m_users, &UserDirectory::userChanged, this, &RoomListModel::onUserChanged);
    connect(m_users, &UserDirectory::handlesChanged, this, [this](Id roomId) {
        const int row = rowOf(roomId);
        if (row >= 0 && !m_inReset)
            emit dataChanged(index(row), index(row), {LastSenderNameRole});
    });
}

int RoomListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QVariant RoomListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Room& room = m_rooms.at(index.row());
    const bool dm = room.type == RoomType::Dm;
    switch (role) {
    case RoomIdRole:
        return double(room.id);
    case Qt::DisplayRole:
    case NameRole:
        return nameOf(room);
    case IsDmRole:
        return dm;
    case UnreadCountRole:
        return room.unreadCount;
    case MentionCountRole:
        return room.mentionCount;
    case LastMessageTextRole:
        if (room.lastMessage && room.lastMessage->deleted)
            return tr("Message deleted");
        if (room.lastMessage && room.lastMessage->kind == MessageKind::System && room.lastMessage->system)
            return systemText(*room.lastMessage->system, m_self,
                              [&](Id id) { return m_users->labelIn(room.id, id); });
        return room.lastMessage ? previewText(room.lastMessage->content) : QString();
    case LastSenderNameRole: // a system line names its actor itself
        return room.lastMessage && room.lastMessage->kind == MessageKind::Text
                   ? m_users->labelIn(room.id, room.lastMessage->senderId)
                   : QString();
    case LastActivityRole:
        return double(activityOf(room));
    case OnlineRole:
        return dm && m_users->user(peerOf(room)).online;
    case PeerUserIdRole:
        return dm ? double(peerOf(room)) : 0.0;
    case NotifyLevelRole:
        return int(room.notify);
    case MutedRole:
        return room.notify == NotifyLevel::None;
    case PeerStatusRole:
        return int(dm ? m_users->user(peerOf(room)).status : UserStatus::Available);
    case PeerStatusTextRole:
        return dm ? m_users->user(peerOf(room)).statusText : QString();
    case TopicRole:
        return room.topic;
    case IsPublicRole:
        return room.visibility == RoomVisibility::Public;
    case MyRankRole:
        return int(MemberListModel::rankOf(rights::roleOf(room, m_self)));
    case OwnerIdRole:
        return double(room.ownerId);
    case MemberCountRole: // a big group's member list may come cut (memberCount is the real size)
        return int(std::max<qsizetype>(room.memberCount, room.members.size()));
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return {
        {RoomIdRole, "roomId"},
        {NameRole, "name"},
        {IsDmRole, "isDm"},
        {UnreadCountRole, "unreadCount"},
        {MentionCountRole, "mentionCount"},
        {LastMessageTextRole, "lastMessageText"},
        {LastSenderNameRole, "lastSenderName"},
        {LastActivityRole, "lastActivity"},
        {OnlineRole, "online"},
        {PeerUserIdRole, "peerUserId"},
        {MemberCountRole, "memberCount"},
        {NotifyLevelRole, "notifyLevel"},
        {MutedRole, "muted"},
        {PeerStatusRole, "peerStatus"},
        {PeerStatusTextRole, "peerStatusText"},
        {TopicRole, "topic"},
        {IsPublicRole, "isPublic"},
        {MyRankRole, "myRank"},
        {OwnerIdRole, "ownerId"},
    };
}

void RoomListModel::setRooms(const QList<Room>& rooms)
{
    beginResetModel();
    for (const Room& room : std::as_const(m_rooms))
        m_users->removeRoom(room.id);
    m_rooms.clear();
    QSet<Id> seen;
    for (const Room& room : rooms) {
        if (!seen.contains(room.id)) {
            seen.insert(room.id);
            m_rooms.append(room);
        }
    }
    std::stable_sort(m_rooms.begin(), m_rooms.end(), sortsBefore);
    {
        // Rows are being replaced: no per-user dataChanged while the reset runs.
        const QScopedValueRollback<bool> guard(m_inReset, true);
        for (const Room& room : std::as_const(m_rooms)) {
            m_users->upsertAll(room.members);
            m_users->setRoomMembers(room.id, memberIds(room));
        }
    }
    m_dmHandles.clear();
    refreshDmNames(false);
    endResetModel();
    updateTotalUnread();
}

void RoomListModel::upsert(const Room& room)
{
    const int row = rowOf(room.id);
    if (row < 0) {
        int at = 0;
        while (at < m_rooms.size() && sortsBefore(m_rooms.at(at), room))
            ++at;
        beginInsertRows(QModelIndex(), at, at);
        m_rooms.insert(at, room);
        endInsertRows();
    } else {
        Room& held = m_rooms[row];
        // A room object may have been read before a message we already applied.
        const std::optional<Message> newer =
            held.lastMessage && (!room.lastMessage || room.lastMessage->id < held.lastMessage->id)
                ? held.lastMessage
                : room.lastMessage;
        held = room;
        held.lastMessage = newer;
        const int now = placeRow(row);
        const QModelIndex changed = index(now);
        emit dataChanged(changed, changed,
                         {NameRole, IsDmRole, UnreadCountRole, MentionCountRole, LastMessageTextRole,
                          LastSenderNameRole, LastActivityRole, OnlineRole, PeerUserIdRole, MemberCountRole,
                          NotifyLevelRole, MutedRole, TopicRole, IsPublicRole, MyRankRole, OwnerIdRole});
    }
    m_users->upsertAll(room.members);
    m_users->setRoomMembers(room.id, memberIds(room));
    if (room.type == RoomType::Dm)
        refreshDmNames(true); // a new namesake among the DMs
    updateTotalUnread();
}

void RoomListModel::remove(Id roomId)
{
    const int row = rowOf(roomId);
    if (row < 0)
        return;
    const bool dm = m_rooms.at(row).type == RoomType::Dm;
    beginRemoveRows(QModelIndex(), row, row);
    m_rooms.removeAt(row);
    endRemoveRows();
    m_users->removeRoom(roomId);
    m_dmHandles.remove(roomId);
    if (dm)
        refreshDmNames(true);
    updateTotalUnread();
}

bool RoomListModel::contains(Id roomId) const
{
    return rowOf(roomId) >= 0;
}

Room RoomListModel::room(Id roomId) const
{
    const int row = rowOf(roomId);
    return row < 0 ? Room() : m_rooms.at(row);
}

QList<Id> RoomListModel::roomIds() const
{
    QList<Id> ids;
    ids.reserve(m_rooms.size());
    for (const Room& room : m_rooms)
        ids.append(room.id);
    return ids;
}

int RoomListModel::rowOf(Id roomId) const
{
    for (int row = 0; row < m_rooms.size(); ++row) {
        if (m_rooms.at(row).id == roomId)
            return row;
    }
    return -1;
}

int RoomListModel::totalUnread() const
{
    return m_totalUnread;
}

double RoomListModel::adjacentRoom(double roomId, int step, bool unreadOnly, const QString& filter) const
{
    const int from = rowOf(Id(roomId));
    // From no room, either key starts at the top (where the newest activity is).
    const int direction = from < 0 || step >= 0 ? 1 : -1;
    for (int row = from < 0 ? 0 : from + direction; row >= 0 && row < m_rooms.size(); row += direction) {
        const auto& room = m_rooms.at(row);
        if ((!unreadOnly || room.unreadCount > 0) &&
            (filter.isEmpty() || nameOf(room).contains(filter, Qt::CaseInsensitive)))
            return double(room.id);
    }
    return 0;
}

Id RoomListModel::peerOf(const Room& room) const
{
    for (const User& member : room.members) {
        if (member.id != m_self)
            return member.id;
    }
    return room.members.isEmpty() ? Id(0) : room.members.first().id; // a DM with oneself
}

QString RoomListModel::nameOf(const Room& room) const
{
    if (room.type != RoomType::Dm)
        return room.name;
    const Id peer = peerOf(room);
    if (!m_users->contains(peer)) {
        for (const User& member : room.members) {
            if (member.id == peer && !member.displayName.isEmpty())
                return member.displayName;
        }
        return room.name;
    }
    // A DM is named after the other member: when that name is also mine or
    // another DM partner's, the username tells them apart (refreshDmNames()).
    const QString handle = m_dmHandles.value(room.id);
    const QString name = m_users->displayName(peer);
    return handle.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, handle);
}

QString RoomListModel::displayName(Id roomId) const
{
    const int row = rowOf(roomId);
    return row < 0 ? QString() : nameOf(m_rooms.at(row));
}

QList<Id> RoomListModel::memberIds(const Room& room)
{
    QList<Id> ids;
    ids.reserve(room.members.size());
    for (const User& member : room.members)
        ids.append(member.id);
    return ids;
}

void RoomListModel::refreshDmNames(bool announce)
{
    QList<Id> people{m_self};
    for (const Room& room : std::as_const(m_rooms)) {
        if (room.type == RoomType::Dm)
            people.append(peerOf(room));
    }
    for (int row = 0; row < m_rooms.size(); ++row) {
        const Room& room = m_rooms.at(row);
        if (room.type != RoomType::Dm)
            continue;
        const QString handle = m_users->handleAmong(people, peerOf(room));
        if (handle == m_dmHandles.value(room.id))
            continue;
        if (handle.isEmpty())
            m_dmHandles.remove(room.id);
        else
            m_dmHandles.insert(room.id, handle);
        if (announce)
            emit dataChanged(index(row), index(row), {NameRole});
    }
}

int RoomListModel::placeRow(int row)
{
    const Room& room = m_rooms.at(row);
    int target = 0; // the row's index once it is taken out of the list
    for (int i = 0; i < m_rooms.size(); ++i) {
        if (i != row && sortsBefore(m_rooms.at(i), room))
            ++target;
    }
    if (target == row)
        return row;
    // Qt's destination is an index in the list before the move.
    beginMoveRows(QModelIndex(), row, row, QModelIndex(), target > row ? target + 1 : target);
    m_rooms.move(row, target);
    endMoveRows();
    return target;
}

void RoomListModel::onUserChanged(Id userId)
{
    if (m_inReset)
        return;
    // Whether a DM's name needs a handle depends on every DM partner's name.
    refreshDmNames(true);
    for (int row = 0; row < m_rooms.size(); ++row) {
        const Room& room = m_rooms.at(row);
        QList<int> roles;
        if (room.type == RoomType::Dm && peerOf(room) == userId)
            roles << NameRole << OnlineRole << PeerStatusRole << PeerStatusTextRole;
        if (room.lastMessage && room.lastMessage->senderId == userId)
            roles << LastSenderNameRole;
        if (!roles.isEmpty())
            emit dataChanged(index(row), index(row), roles);
    }
}

void RoomListModel::updateTotalUnread()
{
    int total = 0;
    for (const Room& room : std::as_const(m_rooms)) {
        if (room.notify != NotifyLevel::None) // a muted room does not ask for attention
            total += room.unreadCount;
    }
    if (total == m_totalUnread)
        return;
    m_totalUnread = total;
    emit totalUnreadChanged();
}

} // namespace confab::client
