#include "quick_switcher_model.h"

#include "room_list_model.h"
#include "switcher_match.h"
#include "user_directory.h"

#include <QSet>

#include <algorithm>

namespace confab::client {

QString QuickSwitcherModel::Row::key() const
{
    return (kind == Kind::Person ? QLatin1Char('u') : QLatin1Char('r')) +
           QString::number(kind == Kind::Person ? userId : roomId);
}

QuickSwitcherModel::QuickSwitcherModel(RoomListModel* rooms, UserDirectory* users, QObject* parent)
    : QAbstractListModel(parent)
    , m_rooms(rooms)
    , m_users(users)
{
    // A burst of changes (a reconnect's room list, presence) recomputes once.
    m_refreshSoon.setSingleShot(true);
    m_refreshSoon.setInterval(0);
    connect(&m_refreshSoon, &QTimer::timeout, this, &QuickSwitcherModel::refresh);
    connect(m_rooms, &QAbstractItemModel::dataChanged, this, &QuickSwitcherModel::scheduleRefresh);
    connect(m_rooms, &QAbstractItemModel::rowsInserted, this, &QuickSwitcherModel::scheduleRefresh);
    connect(m_rooms, &QAbstractItemModel::rowsRemoved, this, &QuickSwitcherModel::scheduleRefresh);
    connect(m_rooms, &QAbstractItemModel::rowsMoved, this, &QuickSwitcherModel::scheduleRefresh);
    connect(m_rooms, &QAbstractItemModel::modelReset, this, &QuickSwitcherModel::scheduleRefresh);
    connect(m_users, &UserDirectory::userChanged, this, &QuickSwitcherModel::scheduleRefresh);
}

int QuickSwitcherModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant QuickSwitcherModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case KindRole:
        return int(row.kind);
    case RoomIdRole:
        return double(row.roomId);
    case UserIdRole:
        return double(row.userId);
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case DetailRole:
        return row.detail;
    case UnreadCountRole:
        return row.unread;
    case MentionCountRole:
        return row.mentions;
    case OnlineRole:
        return row.online;
    case MutedRole:
        return row.muted;
    default:
        return {};
    }
}

QHash<int, QByteArray> QuickSwitcherModel::roleNames() const
{
    return {
        {KindRole, "kind"},
        {RoomIdRole, "roomId"},
        {UserIdRole, "userId"},
        {NameRole, "name"},
        {DetailRole, "detail"},
        {UnreadCountRole, "unreadCount"},
        {MentionCountRole, "mentionCount"},
        {OnlineRole, "online"},
        {MutedRole, "muted"},
    };
}

void QuickSwitcherModel::setQuery(const QString& query)
{
    if (query == m_query)
        return;
    m_query = query;
    emit queryChanged();
    refresh();
}

void QuickSwitcherModel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    emit activeChanged();
    if (m_active)
        refresh();
    else
        m_refreshSoon.stop();
}

void QuickSwitcherModel::scheduleRefresh()
{
    if (m_active)
        m_refreshSoon.start();
}

void QuickSwitcherModel::refresh()
{
    m_refreshSoon.stop();
    apply(computeRows());
}

QList<QuickSwitcherModel::Row> QuickSwitcherModel::computeRows() const
{
    QString folded = foldForMatch(m_query);
    const bool usernamesOnly = folded.startsWith(QLatin1Char('@'));
    if (usernamesOnly)
        folded.remove(0, 1);
    const bool all = folded.isEmpty();
    if (all && usernamesOnly)
        return {}; // "@" alone: nobody in particular yet
    auto better = [&folded](NameMatch current, const QString& text) {
        return qMax(current, matchName(text, folded));
    };

    QList<Row> rows;
    QSet<Id> withDm; // people who already have a DM: offered as that room
    for (int i = 0; i < m_rooms->rowCount(); ++i) {
        const QModelIndex at = m_rooms->index(i);
        Row row;
        row.roomId = Id(at.data(RoomListModel::RoomIdRole).toDouble());
        row.name = at.data(RoomListModel::NameRole).toString();
        row.unread = at.data(RoomListModel::UnreadCountRole).toInt();
        row.mentions = at.data(RoomListModel::MentionCountRole).toInt();
        row.muted = at.data(RoomListModel::MutedRole).toBool();
        row.activity = qint64(at.data(RoomListModel::LastActivityRole).toDouble());
        NameMatch match = NameMatch::None;
        if (at.data(RoomListModel::IsDmRole).toBool()) {
            row.kind = Kind::Direct;
            row.userId = Id(at.data(RoomListModel::PeerUserIdRole).toDouble());
            row.online = at.data(RoomListModel::OnlineRole).toBool();
            const QString username = m_users->user(row.userId).username;
            row.detail = username.isEmpty() ? QString() : QLatin1Char('@') + username;
            withDm.insert(row.userId);
            if (!all) {
                match = better(match, username);
                if (!usernamesOnly)
                    match = better(match, m_users->displayName(row.userId));
            }
        }
        if (!all && !usernamesOnly)
            match = better(match, row.name);
        if (!all && match == NameMatch::None)
            continue;
        row.match = int(match);
        rows.append(row);
    }

    if (!all) {
        const Id self = m_rooms->selfUserId();
        for (const Id userId : m_users->userIds()) {
            if (userId == self || withDm.contains(userId))
                continue;
            const User user = m_users->user(userId);
            NameMatch match = better(NameMatch::None, user.username);
            if (!usernamesOnly)
                match = better(match, m_users->displayName(userId));
            if (match == NameMatch::None)
                continue;
            Row row;
            row.kind = Kind::Person;
            row.userId = userId;
            row.name = m_users->displayName(userId);
            row.detail = QLatin1Char('@') + user.username;
            row.online = user.online;
            row.match = int(match);
            rows.append(row);
        }
    }

    // The ranking in the class comment, as one sort key.
    auto tier = [](int match) {
        return match == int(NameMatch::Exact) ? 2 : match == int(NameMatch::Fuzzy) ? 0 : 1;
    };
    auto startsWell = [](int match) { return match >= int(NameMatch::WordStart); };
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        if (tier(a.match) != tier(b.match))
            return tier(a.match) > tier(b.match);
        // A muted room's unread messages do not pull it up (nor count in the total).
        const bool aUnread = a.unread > 0 && !a.muted;
        const bool bUnread = b.unread > 0 && !b.muted;
        if (aUnread != bUnread)
            return aUnread;
        if (startsWell(a.match) != startsWell(b.match))
            return startsWell(a.match);
        if (a.activity != b.activity)
            return a.activity > b.activity;
        if ((a.kind == Kind::Person) != (b.kind == Kind::Person))
            return b.kind == Kind::Person;
        return a.name.localeAwareCompare(b.name) < 0;
    });
    if (rows.size() > kMaxRows)
        rows.resize(kMaxRows);
    return rows;
}

void QuickSwitcherModel::apply(const QList<Row>& target)
{
    const int before = count();
    QSet<QString> wanted;
    for (const Row& row : target)
        wanted.insert(row.key());

    // 1. Rows that are gone, one contiguous run at a time.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (wanted.contains(m_rows.at(row).key())) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !wanted.contains(m_rows.at(first - 1).key()))
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // 2. Rows [0, i) match the target; row i is kept, moved up or inserted.
    for (int i = 0; i < target.size(); ++i) {
        const QString key = target.at(i).key();
        int from = -1;
        for (int j = i; j < m_rows.size(); ++j) {
            if (m_rows.at(j).key() == key) {
                from = j;
                break;
            }
        }
        if (from < 0) {
            beginInsertRows(QModelIndex(), i, i);
            m_rows.insert(i, target.at(i));
            endInsertRows();
            continue;
        }
        if (from != i) {
            beginMoveRows(QModelIndex(), from, from, QModelIndex(), i);
            m_rows.move(from, i);
            endMoveRows();
        }
        const Row& old = m_rows.at(i);
        const Row& now = target.at(i);
        const bool shownChanged = old.name != now.name || old.detail != now.detail ||
                                  old.unread != now.unread || old.mentions != now.mentions ||
                                  old.online != now.online || old.muted != now.muted ||
                                  old.userId != now.userId || old.kind != now.kind;
        m_rows[i] = now;
        if (shownChanged)
            emit dataChanged(index(i), index(i));
    }
    if (count() != before)
        emit countChanged();
}

} // namespace confab::client
