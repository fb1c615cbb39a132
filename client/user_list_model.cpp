#include "user_list_model.h"

#include <QSet>

namespace confab::client {

UserListModel::UserListModel(QObject* parent)
    : QAbstractListModel(parent)
{}

int UserListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const User& user = m_users.at(index.row());
    switch (role) {
    case UserIdRole:
        return double(user.id);
    case UsernameRole:
        return user.username;
    case Qt::DisplayRole:
    case DisplayNameRole:
        return user.displayName.isEmpty() ? user.username : user.displayName;
    case OnlineRole:
        return user.online;
    default:
        return {};
    }
}

QHash<int, QByteArray> UserListModel::roleNames() const
{
    return {
        {UserIdRole, "userId"},
        {UsernameRole, "username"},
        {DisplayNameRole, "displayName"},
        {OnlineRole, "online"},
    };
}

void UserListModel::setUsers(const QList<User>& users)
{
    const int before = count();

    // The target list, without repeated ids.
    QList<User> target;
    QSet<Id> wanted;
    for (const User& user : users) {
        if (!wanted.contains(user.id)) {
            wanted.insert(user.id);
            target.append(user);
        }
    }

    // 1. Remove the rows that are gone, one contiguous run at a time.
    for (int row = int(m_users.size()) - 1; row >= 0;) {
        if (wanted.contains(m_users.at(row).id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !wanted.contains(m_users.at(first - 1).id))
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_users.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    QSet<Id> present;
    for (const User& user : std::as_const(m_users))
        present.insert(user.id);

    // 2. Walk the target order: rows [0, i) already match it. Each remaining
    // row is kept (updated in place), moved up from further down, or inserted.
    for (int i = 0; i < target.size(); ++i) {
        const User& user = target.at(i);
        if (i < m_users.size() && m_users.at(i).id == user.id) {
            if (!(m_users.at(i) == user)) {
                m_users[i] = user;
                emit dataChanged(index(i), index(i), {UsernameRole, DisplayNameRole, OnlineRole});
            }
            continue;
        }
        int from = -1;
        for (int j = i + 1; j < m_users.size(); ++j) {
            if (m_users.at(j).id == user.id) {
                from = j;
                break;
            }
        }
        if (from >= 0) {
            beginMoveRows(QModelIndex(), from, from, QModelIndex(), i);
            m_users.move(from, i);
            endMoveRows();
            if (!(m_users.at(i) == user)) {
                m_users[i] = user;
                emit dataChanged(index(i), index(i), {UsernameRole, DisplayNameRole, OnlineRole});
            }
        } else {
            // New users next to each other go in as one block.
            int end = i + 1;
            while (end < target.size() && !present.contains(target.at(end).id))
                ++end;
            beginInsertRows(QModelIndex(), i, end - 1);
            for (int k = i; k < end; ++k)
                m_users.insert(k, target.at(k));
            endInsertRows();
            i = end - 1;
        }
    }

    if (count() != before)
        emit countChanged();
}

void UserListModel::setPresence(Id userId, bool online)
{
    for (int row = 0; row < m_users.size(); ++row) {
        User& user = m_users[row];
        if (user.id == userId && user.online != online) {
            user.online = online;
            emit dataChanged(index(row), index(row), {OnlineRole});
        }
    }
}

void UserListModel::setAllOffline()
{
    for (const User& user : std::as_const(m_users)) {
        if (user.online)
            setPresence(user.id, false);
    }
}

QVariantMap UserListModel::get(int row) const
{
    if (row < 0 || row >= m_users.size())
        return {};
    const QModelIndex at = index(row);
    return {
        {QStringLiteral("userId"), data(at, UserIdRole)},
        {QStringLiteral("username"), data(at, UsernameRole)},
        {QStringLiteral("displayName"), data(at, DisplayNameRole)},
        {QStringLiteral("online"), data(at, OnlineRole)},
    };
}

} // namespace confab::client
