// MessageListModel: where the open room's read receipts show ("Seen" under
// my message in a DM, the readers' avatars in a group).
#include "message_list_model.h"

#include "user_directory.h"

#include <algorithm>

namespace confab::client {

QHash<Id, QList<Id>> MessageListModel::placeReceipts(const QList<std::pair<Id, Id>>& rows,
                                                     const QHash<Id, Id>& markers, Id self, bool dm)
{
    QHash<Id, QList<Id>> placed;
    if (rows.isEmpty())
        return placed;
    // Each reader's own newest loaded message: sending one means having read the room up to it.
    QHash<Id, Id> ownNewest;
    for (const auto& [id, sender] : rows)
        ownNewest[sender] = std::max(ownNewest.value(sender), id);
    for (auto it = markers.cbegin(); it != markers.cend(); ++it) {
        const Id reader = it.key();
        if (reader == self || reader == 0)
            continue;
        const Id upTo = std::max(it.value(), ownNewest.value(reader));
        // The newest row at or before upTo (in a DM: the newest of mine).
        auto row = std::upper_bound(rows.cbegin(), rows.cend(), upTo,
                                    [](Id value, const std::pair<Id, Id>& r) { return value < r.first; });
        while (row != rows.cbegin()) {
            --row;
            if (!dm || row->second == self) {
                placed[row->first].append(reader);
                break;
            }
        }
    }
    for (QList<Id>& readers : placed)
        std::sort(readers.begin(), readers.end());
    return placed;
}

void MessageListModel::setReceipts(const QHash<Id, Id>& markers, bool dm)
{
    if (markers == m_receipts && dm == m_receiptsDm)
        return;
    m_receipts = markers;
    m_receiptsDm = dm;
    placeSeenBy();
}

void MessageListModel::placeSeenBy()
{
    m_placeSoon.stop();
    QHash<Id, QList<Id>> placed;
    if (!m_receipts.isEmpty()) {
        QList<std::pair<Id, Id>> rows;
        const int stored = storedEnd();
        rows.reserve(stored);
        for (int row = 0; row < stored; ++row)
            rows.append({m_items.at(row).message.id, m_items.at(row).message.senderId});
        placed = placeReceipts(rows, m_receipts, m_self, m_receiptsDm);
    }
    if (placed == m_seenBy)
        return;
    // Only the rows whose readers changed: a receipt repaints one or two delegates.
    QList<Id> changed;
    for (auto it = m_seenBy.cbegin(); it != m_seenBy.cend(); ++it) {
        if (placed.value(it.key()) != it.value())
            changed.append(it.key());
    }
    for (auto it = placed.cbegin(); it != placed.cend(); ++it) {
        if (!m_seenBy.contains(it.key()))
            changed.append(it.key());
    }
    m_seenBy = placed;
    for (Id messageId : std::as_const(changed)) {
        const int row = rowOfMessage(messageId);
        if (row >= 0)
            emit dataChanged(index(row), index(row), {SeenByRole});
    }
}

QVariantList MessageListModel::seenByOf(Id messageId) const
{
    QVariantList list;
    if (messageId == 0)
        return list;
    const auto it = m_seenBy.constFind(messageId);
    if (it == m_seenBy.cend())
        return list;
    for (Id userId : *it)
        list.append(QVariantMap{{QStringLiteral("userId"), double(userId)},
                                {QStringLiteral("name"), m_users->labelIn(m_roomId, userId)}});
    std::sort(list.begin(), list.end(), [](const QVariant& a, const QVariant& b) {
        return QString::localeAwareCompare(a.toMap().value(QStringLiteral("name")).toString(),
                                           b.toMap().value(QStringLiteral("name")).toString()) < 0;
    });
    return list;
}

} // namespace confab::client
