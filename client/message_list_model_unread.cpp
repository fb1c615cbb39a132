// MessageListModel: the unread divider ("New messages") and what is still
// unread below the part of the room the user has seen.
#include "message_list_model.h"

namespace confab::client {

namespace {

// What the server counts as unread (server/store/sql_store_rooms.cpp): the
// messages of others after my marker that are not deleted; never a system
// line ("Mei added Dave").
bool countsAsUnread(const Message& m, Id self)
{
    return m.id != 0 && m.senderId != self && !m.deleted && m.kind == MessageKind::Text;
}

} // namespace

void MessageListModel::setFirstUnreadId(Id messageId)
{
    if (messageId == m_firstUnreadId)
        return;
    const int before = rowOfMessage(m_firstUnreadId);
    m_firstUnreadId = messageId;
    const int after = rowOfMessage(messageId);
    for (int row : {before, after}) {
        if (row >= 0)
            emit dataChanged(index(row), index(row), {FirstUnreadRole});
    }
    emit firstUnreadIdChanged();
}

std::optional<Id> MessageListModel::firstUnreadAmong(int unread) const
{
    if (unread <= 0)
        return 0;
    Id oldestFromOthers = 0;
    int seen = 0;
    for (int row = storedEnd() - 1; row >= 0; --row) {
        const Message& m = m_items.at(row).message;
        // What came before a message of mine I had read when I wrote it (the
        // server moves no marker for a send from another client).
        if (m.id != 0 && m.senderId == m_self && !m.deleted && m.kind == MessageKind::Text)
            return oldestFromOthers;
        if (!countsAsUnread(m, m_self))
            continue;
        oldestFromOthers = m.id;
        if (++seen == unread)
            return m.id;
    }
    if (m_hasMoreOlder)
        return std::nullopt;
    return oldestFromOthers;
}

int MessageListModel::countFromOthersAfter(Id messageId) const
{
    int count = 0;
    for (int row = storedEnd() - 1; row >= 0; --row) {
        const Message& m = m_items.at(row).message;
        if (m.id <= messageId)
            break;
        if (countsAsUnread(m, m_self))
            ++count;
    }
    return count;
}

} // namespace confab::client
