#include "message_list_model.h"

#include "attachment_display.h"

#include "system_text.h"

#include "message_display.h"
#include "user_directory.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace confab::client {

namespace {

constexpr qint64 kGroupGapMs = 5 * 60 * 1000;

QDate localDate(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).date();
}

QString dayLabel(const QDate& date)
{
    const QDate today = QDate::currentDate();
    if (date == today)
        return MessageListModel::tr("Today");
    if (date == today.addDays(-1))
        return MessageListModel::tr("Yesterday");
    return QLocale().toString(date, QStringLiteral("d MMMM yyyy"));
}

bool idLess(const Message& a, const Message& b)
{
    return a.id < b.id;
}

} // namespace

MessageListModel::MessageListModel(UserDirectory* users, QObject* parent)
    : QAbstractListModel(parent)
    , m_users(users)
{
    connect(m_users, &UserDirectory::userChanged, this, &MessageListModel::onUserChanged);
    m_placeSoon.setSingleShot(true);
    connect(&m_placeSoon, &QTimer::timeout, this, &MessageListModel::placeSeenBy);
    // Not at once: views may not have seen the change yet when this runs.
    for (auto changed : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, changed, &m_placeSoon, qOverload<>(&QTimer::start));
    connect(this, &QAbstractItemModel::rowsMoved, &m_placeSoon, qOverload<>(&QTimer::start));
    connect(this, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex&, const QModelIndex&, const QList<int>& roles) {
                if (roles.contains(MessageIdRole)) // a pending send got its id
                    m_placeSoon.start();
            });
    connect(m_users, &UserDirectory::handlesChanged, this, [this](Id roomId) {
        if (roomId == m_roomId && !m_items.isEmpty())
            emit dataChanged(index(0), index(int(m_items.size()) - 1), {SenderHandleRole});
    });
}

int MessageListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item& item = m_items.at(index.row());
    const Message& m = item.message;
    switch (role) {
    case MessageIdRole:
        return double(m.id);
    case TempIdRole:
        return m.tempId;
    case SenderIdRole:
        return double(m.senderId);
    case SenderNameRole:
        return m_users->displayName(m.senderId);
    case Qt::DisplayRole:
    case ContentRole:
        if (m.kind == MessageKind::System && m.system) // "Mei added Dave": made here, plain text
            return systemText(*m.system, m_self, [this](Id id) { return m_users->labelIn(m_roomId, id); });
        return display::content(m.content);
    case CreatedAtRole:
        return double(m.createdAt);
    case TimeTextRole:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(m.createdAt).time(),
                                  QStringLiteral("HH:mm"));
    case StatusRole:
        return int(item.status);
    case MentionsRole:
        return display::mentions(m);
    case MentionsMeRole:
        return std::any_of(m.mentions.cbegin(), m.mentions.cend(),
                           [this](const Mention& mention) { return mention.userId == m_self; });
    case FromMeRole:
        return m.senderId == m_self;
    case FirstInGroupRole:
        return item.firstInGroup;
    case DayLabelRole:
        return item.firstOfDay ? dayLabel(localDate(m.createdAt)) : QString();
    case ReplyToRole:
        return double(m.replyTo.value_or(0));
    case SenderHandleRole:
        return m_users->handleIn(m_roomId, m.senderId);
    case RevisionRole:
        return double(m.revision);
    case KindRole:
        return int(m.kind == MessageKind::System ? Kind::System : Kind::Text);
    case EditedRole:
        return m.editedAt.has_value() && !m.deleted;
    case EditedAtTextRole:
        return m.editedAt && !m.deleted
                   ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(*m.editedAt), QLocale::ShortFormat)
                   : QString();
    case DeletedRole:
        return m.deleted;
    case ReactionsRole:
        return reactionsOf(m);
    case ReplyPreviewRole:
        return replyPreviewOf(m);
    case FirstUnreadRole:
        return m.id != 0 && m.id == m_firstUnreadId;
    case SeenByRole:
        return seenByOf(m.id);
    case AttachmentsRole:
        return m.attachments.isEmpty() ? item.pendingFiles : attachment_display::of(m.attachments);
    case PinnedRole:
        return m.id != 0 && m_pinned.contains(m.id);
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {
        {MessageIdRole, "messageId"},
        {TempIdRole, "tempId"},
        {SenderIdRole, "senderId"},
        {SenderNameRole, "senderName"},
        {ContentRole, "content"},
        {CreatedAtRole, "createdAt"},
        {TimeTextRole, "timeText"},
        {StatusRole, "status"},
        {MentionsRole, "mentions"},
        {MentionsMeRole, "mentionsMe"},
        {FromMeRole, "fromMe"},
        {FirstInGroupRole, "firstInGroup"},
        {DayLabelRole, "dayLabel"},
        {ReplyToRole, "replyTo"},
        {SenderHandleRole, "senderHandle"},
        {RevisionRole, "revision"},
        {KindRole, "kind"},
        {EditedRole, "edited"},
        {EditedAtTextRole, "editedAtText"},
        {DeletedRole, "deleted"},
        {ReactionsRole, "reactions"},
        {ReplyPreviewRole, "replyPreview"},
        {FirstUnreadRole, "firstUnread"},
        {SeenByRole, "seenBy"},
        {PinnedRole, "pinned"},
        {AttachmentsRole, "attachments"},
    };
}

void MessageListModel::reset(Id roomId)
{
    beginResetModel();
    m_items.clear();
    if (roomId != m_roomId)
        m_pinned.clear(); // another room's; a jump within the room keeps them
    m_roomId = roomId;
    const bool hadDivider = std::exchange(m_firstUnreadId, 0) != 0;
    m_receipts.clear(); // another room's
    m_seenBy.clear();
    endResetModel();
    if (hadDivider)
        emit firstUnreadIdChanged();
    setHasMoreOlder(false);
}

void MessageListModel::setNewestPage(const QList<Message>& messages, bool hasMoreOlder)
{
    // The newest page replaces what was loaded (there may be a gap between
    // them); pending sends stay after it.
    const int stored = storedEnd();
    if (stored > 0) {
        beginRemoveRows(QModelIndex(), 0, stored - 1);
        m_items.remove(0, stored);
        endRemoveRows();
        regroup(0);
    }
    merge(messages, false);
    setHasMoreOlder(hasMoreOlder);
}

void MessageListModel::prependOlder(const QList<Message>& messages, bool hasMoreOlder)
{
    merge(messages, false);
    setHasMoreOlder(hasMoreOlder);
}

void MessageListModel::appendNewer(const QList<Message>& messages)
{
    merge(messages, false);
}

void MessageListModel::upsert(const Message& message)
{
    merge({message}, true);
}

Id MessageListModel::oldestId() const
{
    return storedEnd() > 0 ? m_items.first().message.id : 0;
}

Id MessageListModel::newestId() const
{
    const int stored = storedEnd();
    return stored > 0 ? m_items.at(stored - 1).message.id : 0;
}

QList<Message> MessageListModel::newestStored(int count) const
{
    QList<Message> out;
    const int stored = storedEnd();
    for (int row = std::max(0, stored - count); row < stored; ++row)
        out.append(m_items.at(row).message);
    return out;
}

int MessageListModel::rowOfMessage(Id messageId) const
{
    return messageId == 0 ? -1 : storedRowOf(messageId);
}

// --- private ---------------------------------------------------------------

int MessageListModel::storedEnd() const
{
    const auto it = std::partition_point(m_items.cbegin(), m_items.cend(),
                                         [](const Item& item) { return item.message.id != 0; });
    return int(it - m_items.cbegin());
}

int MessageListModel::lowerBound(Id messageId) const
{
    const auto end = m_items.cbegin() + storedEnd();
    const auto it = std::lower_bound(m_items.cbegin(), end, messageId,
                                     [](const Item& item, Id id) { return item.message.id < id; });
    return int(it - m_items.cbegin());
}

int MessageListModel::storedRowOf(Id messageId) const
{
    const int row = lowerBound(messageId);
    return row < storedEnd() && m_items.at(row).message.id == messageId ? row : -1;
}

void MessageListModel::merge(QList<Message> messages, bool updateKnown)
{
    messages.removeIf([this](const Message& m) { return m.id == 0 || m.roomId != m_roomId; });
    std::sort(messages.begin(), messages.end(), idLess);
    QList<Message> fresh;
    for (int i = 0; i < messages.size(); ++i) {
        const Message& m = messages.at(i);
        if (i > 0 && messages.at(i - 1).id == m.id)
            continue;
        if (const int row = storedRowOf(m.id); row >= 0) {
            if (updateKnown)
                replace(row, m);
            continue;
        }
        const int pending = m.senderId == m_self && !m.tempId.isEmpty() ? pendingRowOf(m.tempId) : -1;
        if (pending >= 0) {
            m_items[pending].message = m;
            m_items[pending].status = Status::Sent;
            settle(pending, allRoles());
            continue;
        }
        fresh.append(m);
    }
    // Consecutive new ids that land before the same stored row go in as one block.
    for (int i = 0; i < fresh.size();) {
        const int at = lowerBound(fresh.at(i).id);
        const int stored = storedEnd();
        int j = i + 1;
        while (j < fresh.size() && (at == stored || fresh.at(j).id < m_items.at(at).message.id))
            ++j;
        beginInsertRows(QModelIndex(), at, at + (j - i) - 1);
        for (int k = i; k < j; ++k)
            m_items.insert(at + (k - i), Item{fresh.at(k), Status::Sent, true, true, {}});
        for (int row = at; row < at + (j - i); ++row)
            recompute(row);
        endInsertRows();
        regroup(at + (j - i));
        i = j;
    }
}

void MessageListModel::replace(int row, const Message& message)
{
    Item& item = m_items[row];
    if (item.message == message)
        return;
    item.message = message;
    QList<int> roles = allRoles();
    if (recompute(row))
        roles << FirstInGroupRole << DayLabelRole;
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed, roles);
    regroup(row + 1);
}

void MessageListModel::dropRow(int row)
{
    beginRemoveRows(QModelIndex(), row, row);
    m_items.removeAt(row);
    endRemoveRows();
    regroup(row);
}

bool MessageListModel::recompute(int row)
{
    Item& item = m_items[row];
    bool first = true;
    bool day = true;
    if (row > 0) {
        const Message& prev = m_items.at(row - 1).message;
        const Message& cur = item.message;
        day = localDate(prev.createdAt) != localDate(cur.createdAt);
        // A system line stands alone: the message after it shows its sender again.
        first = day || prev.senderId != cur.senderId || cur.createdAt - prev.createdAt > kGroupGapMs ||
                prev.kind == MessageKind::System || cur.kind == MessageKind::System;
    }
    const bool changed = first != item.firstInGroup || day != item.firstOfDay;
    item.firstInGroup = first;
    item.firstOfDay = day;
    return changed;
}

void MessageListModel::regroup(int row)
{
    if (row >= 0 && row < m_items.size() && recompute(row))
        emit dataChanged(index(row), index(row), {FirstInGroupRole, DayLabelRole});
}

void MessageListModel::setHasMoreOlder(bool hasMore)
{
    if (m_hasMoreOlder == hasMore)
        return;
    m_hasMoreOlder = hasMore;
    emit hasMoreOlderChanged();
}

void MessageListModel::onUserChanged(Id userId)
{
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).message.senderId == userId) {
            if (first < 0)
                first = row;
            last = row;
        }
    }
    if (first >= 0)
        emit dataChanged(index(first), index(last), {SenderNameRole, SenderHandleRole});
    // The names in quotes and in the reactions' tooltips follow too.
    for (int row = 0; row < m_items.size(); ++row) {
        const Message& m = m_items.at(row).message;
        const bool quoted = m.replyPreview && m.replyPreview->senderId == userId;
        const bool reacted = std::any_of(m.reactions.cbegin(), m.reactions.cend(),
                                         [userId](const Reaction& r) { return r.userIds.contains(userId); });
        if (quoted || reacted)
            emit dataChanged(index(row), index(row), {ReplyPreviewRole, ReactionsRole});
    }
    for (auto it = m_seenBy.cbegin(); it != m_seenBy.cend(); ++it) { // the names under "Seen by"
        const int row = it.value().contains(userId) ? rowOfMessage(it.key()) : -1;
        if (row >= 0)
            emit dataChanged(index(row), index(row), {SeenByRole});
    }
}

QList<int> MessageListModel::allRoles()
{
    return {MessageIdRole, TempIdRole,       SenderIdRole,     SenderNameRole, ContentRole,
            CreatedAtRole, TimeTextRole,     StatusRole,       MentionsRole,   MentionsMeRole,
            FromMeRole,    ReplyToRole,      SenderHandleRole, RevisionRole,   KindRole,
            EditedRole,    EditedAtTextRole, DeletedRole,      ReactionsRole,  ReplyPreviewRole};
}

} // namespace confab::client
