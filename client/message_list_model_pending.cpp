// MessageListModel: my optimistic sends, from pending to stored (or failed).
#include "message_list_model.h"

#include <algorithm>

namespace confab::client {

void MessageListModel::addPending(const QString& tempId, const QString& content,
                                  const QList<Mention>& mentions, qint64 createdAt)
{
    if (tempId.isEmpty() || rowOfTempId(tempId) >= 0)
        return; // already shown, pending or stored (a resend after a reconnect)
    Item item;
    item.message.roomId = m_roomId;
    item.message.senderId = m_self;
    item.message.content = content;
    item.message.mentions = mentions;
    item.message.createdAt = createdAt;
    item.message.tempId = tempId;
    item.status = Status::Pending;
    const int row = int(m_items.size());
    beginInsertRows(QModelIndex(), row, row);
    m_items.append(item);
    recompute(row);
    endInsertRows();
}

void MessageListModel::acknowledge(const QString& tempId, Id messageId, qint64 createdAt)
{
    const int row = pendingRowOf(tempId);
    if (row < 0 || messageId == 0)
        return; // already turned into the stored message by its `message` event
    if (storedRowOf(messageId) >= 0) {
        dropRow(row); // the stored copy arrived without its tempId matching: keep one row
        return;
    }
    Item& item = m_items[row];
    item.message.id = messageId;
    item.message.createdAt = createdAt;
    item.status = Status::Sent;
    settle(row, {MessageIdRole, CreatedAtRole, TimeTextRole, StatusRole});
}

void MessageListModel::setFailed(const QString& tempId)
{
    setStatus(tempId, Status::Failed);
}

void MessageListModel::setPendingFiles(const QString& tempId, const QVariantList& files)
{
    const int row = rowOfTempId(tempId);
    if (row < 0)
        return;
    m_items[row].pendingFiles = files;
    emit dataChanged(index(row), index(row), {AttachmentsRole});
}

void MessageListModel::removePending(const QString& tempId)
{
    const int row = pendingRowOf(tempId);
    if (row >= 0 && m_items.at(row).message.id == 0)
        dropRow(row);
}

void MessageListModel::setPending(const QString& tempId)
{
    setStatus(tempId, Status::Pending);
}

int MessageListModel::rowOfTempId(const QString& tempId) const
{
    // Pending rows sit last; tempIds are unique per sender only, so match mine.
    for (int row = int(m_items.size()) - 1; row >= 0; --row) {
        const Message& m = m_items.at(row).message;
        if (m.tempId == tempId && m.senderId == m_self)
            return row;
    }
    return -1;
}

int MessageListModel::pendingRowOf(const QString& tempId) const
{
    for (int row = storedEnd(); row < m_items.size(); ++row) {
        if (m_items.at(row).message.tempId == tempId)
            return row;
    }
    return -1;
}

void MessageListModel::settle(int row, QList<int> roles)
{
    // The row now holds a stored message with an id, still among the pending
    // rows: say what changed in place, then move it into id order.
    recompute(row);
    roles << FirstInGroupRole << DayLabelRole;
    emit dataChanged(index(row), index(row), roles);

    const int stored = int(std::partition_point(m_items.cbegin(), m_items.cbegin() + row,
                                                [](const Item& item) { return item.message.id != 0; }) -
                           m_items.cbegin());
    const Id id = m_items.at(row).message.id;
    const auto it = std::lower_bound(m_items.cbegin(), m_items.cbegin() + stored, id,
                                     [](const Item& item, Id value) { return item.message.id < value; });
    const int target = int(it - m_items.cbegin());
    if (target == row) {
        regroup(row + 1);
        return;
    }
    // target < row: the destination index is the same before and after the move.
    beginMoveRows(QModelIndex(), row, row, QModelIndex(), target);
    m_items.move(row, target);
    endMoveRows();
    regroup(target);
    regroup(target + 1);
    regroup(row + 1); // the row that followed it before the move
}

void MessageListModel::setStatus(const QString& tempId, Status status)
{
    const int row = pendingRowOf(tempId);
    if (row < 0 || m_items.at(row).status == status)
        return;
    m_items[row].status = status;
    emit dataChanged(index(row), index(row), {StatusRole});
}

} // namespace confab::client
