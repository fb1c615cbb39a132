#include "message_results_model.h"

#include "message_display.h"
#include "room_list_model.h"
#include "user_directory.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace confab::client {

namespace {

// "14:05" today, "25 Nov" this year, "25 Nov 2025" before.
QString timeText(qint64 ms)
{
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(ms);
    const QDate today = QDate::currentDate();
    const QLocale locale;
    if (when.date() == today)
        return locale.toString(when.time(), QStringLiteral("HH:mm"));
    if (when.date().year() == today.year())
        return locale.toString(when.date(), QStringLiteral("d MMM"));
    return locale.toString(when.date(), QStringLiteral("d MMM yyyy"));
}

} // namespace

MessageResultsModel::MessageResultsModel(UserDirectory* users, RoomListModel* rooms, QObject* parent)
    : QAbstractListModel(parent)
    , m_users(users)
    , m_rooms(rooms)
{
    connect(m_users, &UserDirectory::userChanged, this, [this](Id userId) {
        for (int row = 0; row < m_messages.size(); ++row) {
            if (m_messages.at(row).senderId == userId)
                emit dataChanged(index(row), index(row), {SenderNameRole});
        }
    });
    connect(m_users, &UserDirectory::handlesChanged, this, [this](Id roomId) {
        for (int row = 0; row < m_messages.size(); ++row) {
            if (m_messages.at(row).roomId == roomId)
                emit dataChanged(index(row), index(row), {SenderNameRole});
        }
    });
    // Room names come from the room list: refresh them when rooms arrive or go.
    connect(m_rooms, &QAbstractItemModel::modelReset, this, &MessageResultsModel::roomsChanged);
    connect(m_rooms, &QAbstractItemModel::rowsInserted, this, &MessageResultsModel::roomsChanged);
    connect(m_rooms, &QAbstractItemModel::rowsRemoved, this, &MessageResultsModel::roomsChanged);
    connect(m_rooms, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex&, const QModelIndex&, const QList<int>& roles) {
                if (roles.isEmpty() || roles.contains(RoomListModel::NameRole))
                    roomsChanged();
            });
}

int MessageResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_messages.size());
}

QVariant MessageResultsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Message& m = m_messages.at(index.row());
    switch (role) {
    case MessageIdRole:
        return double(m.id);
    case RoomIdRole:
        return double(m.roomId);
    case RoomNameRole:
        return m_rooms->displayName(m.roomId);
    case SenderNameRole:
        return m_users->labelIn(m.roomId, m.senderId);
    case Qt::DisplayRole:
    case ContentRole:
        return display::content(m.content);
    case CreatedAtRole:
        return double(m.createdAt);
    case TimeTextRole:
        return timeText(m.createdAt);
    case MentionsRole:
        return display::mentions(m);
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageResultsModel::roleNames() const
{
    return {
        {MessageIdRole, "messageId"},   {RoomIdRole, "roomId"},     {RoomNameRole, "roomName"},
        {SenderNameRole, "senderName"}, {ContentRole, "content"},   {CreatedAtRole, "createdAt"},
        {TimeTextRole, "timeText"},     {MentionsRole, "mentions"},
    };
}

void MessageResultsModel::setResults(const QList<Message>& messages, bool hasMore)
{
    // A new query: the old rows go and the first page comes in, as one
    // removal and one insertion rather than a reset.
    const int before = count();
    if (!m_messages.isEmpty()) {
        beginRemoveRows(QModelIndex(), 0, int(m_messages.size()) - 1);
        m_messages.clear();
        endRemoveRows();
    }
    append(messages);
    setHasMore(hasMore);
    if (count() != before)
        emit countChanged();
}

void MessageResultsModel::appendResults(const QList<Message>& messages, bool hasMore)
{
    const int before = count();
    append(messages);
    setHasMore(hasMore);
    if (count() != before)
        emit countChanged();
}

void MessageResultsModel::prepend(const Message& message)
{
    if (message.id == 0 || rowOf(message.id) >= 0)
        return;
    beginInsertRows(QModelIndex(), 0, 0);
    m_messages.prepend(message);
    endInsertRows();
    emit countChanged();
}

void MessageResultsModel::applyUpdate(const Message& message, Id mentionOf)
{
    const int row = rowOf(message.id);
    if (row < 0)
        return;
    const bool mentioned =
        mentionOf == 0 || std::any_of(message.mentions.cbegin(), message.mentions.cend(),
                                      [mentionOf](const Mention& m) { return m.userId == mentionOf; });
    if (message.deleted || !mentioned) {
        beginRemoveRows(QModelIndex(), row, row);
        m_messages.removeAt(row);
        endRemoveRows();
        emit countChanged();
        return;
    }
    m_messages[row] = message;
    emit dataChanged(index(row), index(row), {ContentRole, MentionsRole});
}

void MessageResultsModel::clear()
{
    if (!m_messages.isEmpty()) {
        beginRemoveRows(QModelIndex(), 0, int(m_messages.size()) - 1);
        m_messages.clear();
        endRemoveRows();
        emit countChanged();
    }
    setHasMore(false);
}

Id MessageResultsModel::lastId() const
{
    return m_messages.isEmpty() ? Id(0) : m_messages.last().id;
}

void MessageResultsModel::append(const QList<Message>& messages)
{
    QSet<Id> known;
    for (const Message& m : std::as_const(m_messages))
        known.insert(m.id);
    QList<Message> fresh;
    for (const Message& m : messages) {
        if (m.id != 0 && !known.contains(m.id)) {
            known.insert(m.id);
            fresh.append(m);
        }
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_messages.size());
    beginInsertRows(QModelIndex(), first, first + int(fresh.size()) - 1);
    m_messages.append(fresh);
    endInsertRows();
}

int MessageResultsModel::rowOf(Id messageId) const
{
    for (int row = 0; row < m_messages.size(); ++row) {
        if (m_messages.at(row).id == messageId)
            return row;
    }
    return -1;
}

void MessageResultsModel::setHasMore(bool hasMore)
{
    if (m_hasMore == hasMore)
        return;
    m_hasMore = hasMore;
    emit hasMoreChanged();
}

void MessageResultsModel::roomsChanged()
{
    if (!m_messages.isEmpty())
        emit dataChanged(index(0), index(int(m_messages.size()) - 1), {RoomNameRole});
}

} // namespace confab::client
