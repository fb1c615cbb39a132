// MessageListModel: what happens to a message after it was sent (edits,
// deletions, reactions) and how replies and reactions are shown.
#include "message_list_model.h"

#include "protocol/limits.h"
#include "user_directory.h"

#include <QStringList>

#include <algorithm>

namespace confab::client {

bool MessageListModel::applyUpdate(const Message& message)
{
    if (message.roomId != m_roomId)
        return false;
    followQuoted(message);
    const int row = storedRowOf(message.id);
    if (row < 0)
        return false;
    // A live event and a catch-up page may both carry a change: the older
    // of the two never overwrites the newer.
    if (m_items.at(row).message.revision > message.revision)
        return true;
    replace(row, message);
    return true;
}

void MessageListModel::applyReaction(Id messageId, const QString& emoji, Id userId, bool on, qint64 revision)
{
    const int row = storedRowOf(messageId);
    if (row < 0 || m_items.at(row).message.revision >= revision)
        return; // not loaded, or the row already holds this change (a page fetched after it)
    Message& m = m_items[row].message;
    m.revision = revision;
    auto it = std::find_if(m.reactions.begin(), m.reactions.end(),
                           [&emoji](const Reaction& r) { return r.emoji == emoji; });
    if (on) {
        if (it == m.reactions.end())
            it = m.reactions.insert(m.reactions.end(), Reaction{emoji, {}});
        if (!it->userIds.contains(userId))
            it->userIds.append(userId);
    } else if (it != m.reactions.end()) {
        it->userIds.removeAll(userId);
        if (it->userIds.isEmpty())
            m.reactions.erase(it);
    }
    emit dataChanged(index(row), index(row), {ReactionsRole, RevisionRole});
}

qint64 MessageListModel::maxRevision() const
{
    qint64 max = 0;
    for (const Item& item : m_items)
        max = std::max(max, item.message.revision);
    return max;
}

Id MessageListModel::lastEditableId() const
{
    for (int row = storedEnd() - 1; row >= 0; --row) {
        const Message& m = m_items.at(row).message;
        if (m.senderId == m_self && !m.deleted && m.kind == MessageKind::Text)
            return m.id;
    }
    return 0;
}

const Message* MessageListModel::find(Id messageId) const
{
    const int row = rowOfMessage(messageId);
    return row >= 0 ? &m_items.at(row).message : nullptr;
}

bool MessageListModel::hasMyReaction(Id messageId, const QString& emoji) const
{
    const Message* m = find(messageId);
    if (!m)
        return false;
    return std::any_of(m->reactions.cbegin(), m->reactions.cend(),
                       [&](const Reaction& r) { return r.emoji == emoji && r.userIds.contains(m_self); });
}

QVariantList MessageListModel::reactionsOf(const Message& m) const
{
    QVariantList list;
    for (const Reaction& r : m.reactions) {
        if (r.userIds.isEmpty())
            continue;
        QStringList names;
        for (Id userId : r.userIds)
            names.append(userId == m_self ? tr("You") : m_users->displayName(userId));
        list.append(QVariantMap{{QStringLiteral("emoji"), r.emoji},
                                {QStringLiteral("count"), int(r.userIds.size())},
                                {QStringLiteral("mine"), r.userIds.contains(m_self)},
                                {QStringLiteral("names"), names.join(QStringLiteral(", "))}});
    }
    return list;
}

QVariantMap MessageListModel::replyPreviewOf(const Message& m) const
{
    if (!m.replyPreview)
        return {};
    const ReplyPreview& p = *m.replyPreview;
    // One line of the quoted text; the view elides it.
    const QString firstLine = p.content.section(QLatin1Char('\n'), 0, 0).simplified();
    return {{QStringLiteral("messageId"), double(p.id)},
            {QStringLiteral("senderId"), double(p.senderId)},
            {QStringLiteral("senderName"), m_users->displayName(p.senderId)},
            {QStringLiteral("text"), p.deleted ? QString() : firstLine},
            {QStringLiteral("deleted"), p.deleted}};
}

void MessageListModel::followQuoted(const Message& quoted)
{
    for (int row = 0; row < m_items.size(); ++row) {
        Message& m = m_items[row].message;
        if (!m.replyPreview || m.replyPreview->id != quoted.id)
            continue;
        m.replyPreview->deleted = quoted.deleted;
        m.replyPreview->content = quoted.deleted ? QString() : quoted.content.left(limits::kPreviewMaxLength);
        emit dataChanged(index(row), index(row), {ReplyPreviewRole});
    }
}

void MessageListModel::setPinned(const QSet<Id>& messageIds)
{
    if (messageIds == m_pinned)
        return;
    const QSet<Id> changed = (messageIds - m_pinned) + (m_pinned - messageIds);
    m_pinned = messageIds;
    for (const Id id : changed) {
        const int row = storedRowOf(id);
        if (row >= 0)
            emit dataChanged(index(row), index(row), {PinnedRole});
    }
}

} // namespace confab::client
