#include "member_list_model.h"

#include "user_directory.h"

#include <algorithm>

namespace confab::client {

MemberListModel::MemberListModel(UserDirectory* users, QObject* parent)
    : QAbstractListModel(parent)
    , m_users(users)
{
    connect(m_users, &UserDirectory::userChanged, this, &MemberListModel::onUserChanged);
}

int MemberListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

MemberListModel::Rank MemberListModel::rankOf(std::optional<MemberRole> role)
{
    if (!role)
        return Rank::None;
    switch (*role) {
    case MemberRole::Owner:
        return Rank::Owner;
    case MemberRole::Admin:
        return Rank::Admin;
    case MemberRole::Member:
        return Rank::Member;
    }
    return Rank::None;
}

QVariant MemberListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const User user = m_users->user(row.userId);
    switch (role) {
    case UserIdRole:
        return double(row.userId);
    case Qt::DisplayRole:
    case NameRole:
        return m_users->labelIn(m_room.id, row.userId);
    case UsernameRole:
        return user.username;
    case RankRole:
        return int(rankOf(row.role));
    case RankLabelRole:
        switch (rankOf(row.role)) {
        case Rank::Owner:
            return tr("Owner");
        case Rank::Admin:
            return tr("Admin");
        default:
            return QString();
        }
    case OnlineRole:
        return user.online;
    case StatusRole:
        return int(user.status);
    case IsSelfRole:
        return row.userId == m_self;
    default:
        return {};
    }
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    return {
        {UserIdRole, "userId"}, {NameRole, "name"},           {UsernameRole, "username"},
        {RankRole, "rank"},     {RankLabelRole, "rankLabel"}, {OnlineRole, "online"},
        {StatusRole, "status"}, {IsSelfRole, "isSelf"},
    };
}

void MemberListModel::setRoom(const Room& room, Id self)
{
    const bool otherRoom = room.id != m_room.id;
    m_room = room;
    m_self = self;
    if (otherRoom && !m_rows.isEmpty()) {
        // Another room's people: nothing to keep in place.
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    sync(sortedRows());
}

Id MemberListModel::userIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).userId : 0;
}

QList<MemberListModel::Row> MemberListModel::sortedRows() const
{
    QList<Row> rows;
    for (const User& member : m_room.members)
        rows.append({member.id, member.role});
    std::stable_sort(rows.begin(), rows.end(), [this](const Row& a, const Row& b) {
        const int ra = int(rankOf(a.role));
        const int rb = int(rankOf(b.role));
        if (ra != rb)
            return ra < rb;
        const int byName =
            QString::localeAwareCompare(m_users->displayName(a.userId), m_users->displayName(b.userId));
        return byName != 0 ? byName < 0 : a.userId < b.userId;
    });
    return rows;
}

int MemberListModel::rowOfUser(Id userId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).userId == userId)
            return i;
    }
    return -1;
}

// Turns m_rows into `target` with removals, moves and insertions, then
// announces the rows whose role changed.
void MemberListModel::sync(const QList<Row>& target)
{
    const int before = int(m_rows.size());
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const Id id = m_rows.at(i).userId;
        const bool kept =
            std::any_of(target.cbegin(), target.cend(), [id](const Row& r) { return r.userId == id; });
        if (!kept) {
            beginRemoveRows(QModelIndex(), i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (int i = 0; i < target.size(); ++i) {
        const Row& want = target.at(i);
        const int at = rowOfUser(want.userId);
        if (at == i) {
            if (m_rows.at(i).role != want.role) {
                m_rows[i].role = want.role;
                emit dataChanged(index(i), index(i), {RankRole, RankLabelRole});
            }
            continue;
        }
        if (at < 0) {
            beginInsertRows(QModelIndex(), i, i);
            m_rows.insert(i, want);
            endInsertRows();
            continue;
        }
        // at > i: rows before i are already in place.
        beginMoveRows(QModelIndex(), at, at, QModelIndex(), i);
        m_rows.move(at, i);
        endMoveRows();
        if (m_rows.at(i).role != want.role) {
            m_rows[i].role = want.role;
            emit dataChanged(index(i), index(i), {RankRole, RankLabelRole});
        }
    }
    if (m_rows.size() != before)
        emit countChanged();
}

void MemberListModel::onUserChanged(Id userId)
{
    const int row = rowOfUser(userId);
    if (row < 0)
        return;
    emit dataChanged(index(row), index(row), {NameRole, UsernameRole, OnlineRole, StatusRole});
    sync(sortedRows()); // a new name may move them
}

} // namespace confab::client
