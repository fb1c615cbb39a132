#pragma once

#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

#include <optional>
#include <utility>

namespace confab::client {

class UserDirectory;

// The messages of the open room, ascending by id, with the optimistic sends
// the user made in it. A pending message is keyed by its tempId until the
// ack (or the `message` event, whichever comes first) turns it into the
// stored message in place, so it never appears twice.
class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatClient")
    Q_PROPERTY(bool hasMoreOlder READ hasMoreOlder NOTIFY hasMoreOlderChanged)
    // The first message that was unread when the room was opened (the "New
    // messages" line sits above it); 0 when there was none.
    Q_PROPERTY(double firstUnreadId READ firstUnreadIdValue NOTIFY firstUnreadIdChanged)
public:
    enum class Status { Pending, Sent, Failed };
    Q_ENUM(Status)
    enum class Kind { Text, System }; // MessageKind, for QML
    Q_ENUM(Kind)

    enum Role {
        MessageIdRole = Qt::UserRole + 1, // double; 0 while pending
        TempIdRole,
        SenderIdRole, // double
        SenderNameRole,
        ContentRole,
        CreatedAtRole,    // double, ms since epoch
        TimeTextRole,     // "14:05" in local time
        StatusRole,       // int(Status)
        MentionsRole,     // QVariantList of {userId, indexStart, indexEnd}
        MentionsMeRole,   // bool: a verified mention of the signed-in user
        FromMeRole,       // bool
        FirstInGroupRole, // bool: show the sender (new sender, or > 5 min gap, or new day)
        // "" unless this is the first message of a local day: "Today", "Yesterday", "25 November 2026"
        DayLabelRole,
        ReplyToRole,      // double; 0 when none
        SenderHandleRole, // "@username" when another member of the room shares the sender's name, else ""
        RevisionRole,     // double; raised by every change to the message
        KindRole,         // int(Kind)
        EditedRole,       // bool
        EditedAtTextRole, // "" unless edited: the local date and time of the edit
        DeletedRole,      // bool: a placeholder, content and mentions gone
        // QVariantList of {emoji, count, mine (bool), names ("Alice, Bob")}, in order of first use
        ReactionsRole,
        // {} when not a reply, else {messageId, senderId, senderName, text (its first line), deleted}
        ReplyPreviewRole,
        FirstUnreadRole, // bool: the "New messages" line goes above this row
        // QVariantList of {userId, name}: the members whose read receipts sit at
        // this row (placeReceipts()), by name; [] for most rows
        SeenByRole,
        PinnedRole, // bool: in the room's pins (setPinned())
        // Files (issue 16): QVariantList of attachment_display maps; a
        // pending send's own files (with progress) until the server's copy
        AttachmentsRole,
    };
    Q_ENUM(Role)

    explicit MessageListModel(UserDirectory* users, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setSelfUserId(Id userId) { m_self = userId; }
    Id roomId() const { return m_roomId; }
    // Clears and switches rooms (pending sends of other rooms are kept by the caller).
    void reset(Id roomId);
    void setNewestPage(const QList<Message>& messages, bool hasMoreOlder);
    void prependOlder(const QList<Message>& messages, bool hasMoreOlder);
    // Catch-up after a reconnect and live `message` events; skips known ids.
    void appendNewer(const QList<Message>& messages);
    void upsert(const Message& message);

    // message_updated and fetch_changes: the whole message replaces a loaded
    // row unless the row is already as new (revision); messages that are not
    // loaded are left alone (paging fetches them as they are). Replies
    // quoting the message follow it. False when nothing was loaded.
    bool applyUpdate(const Message& message);
    // A `reaction` event on a loaded message newer than the row.
    void applyReaction(Id messageId, const QString& emoji, Id userId, bool on, qint64 revision);
    // The highest revision among the loaded messages (catch-up starts there).
    qint64 maxRevision() const;
    // My newest message that can still be edited (text, not deleted), 0 when none.
    Id lastEditableId() const;
    // A loaded stored message, nullptr when not loaded.
    const Message* find(Id messageId) const;
    // Whether I reacted to the message with `emoji`.
    bool hasMyReaction(Id messageId, const QString& emoji) const;

    void addPending(const QString& tempId, const QString& content, const QList<Mention>& mentions,
                    qint64 createdAt);
    void acknowledge(const QString& tempId, Id messageId, qint64 createdAt);
    void setFailed(const QString& tempId);
    // A pending send's files as attachment_display::ofPending() shows them.
    void setPendingFiles(const QString& tempId, const QVariantList& files);
    void removePending(const QString& tempId); // the user cancelled the send
    void setPending(const QString& tempId);    // retry

    bool hasMoreOlder() const { return m_hasMoreOlder; }
    Id oldestId() const;                          // 0 when empty
    Id newestId() const;                          // newest stored (non-pending) id, 0 when none
    QList<Message> newestStored(int count) const; // ascending; pending sends left out
    int rowOfMessage(Id messageId) const;         // -1 when absent
    Q_INVOKABLE int rowOfId(double messageId) const { return rowOfMessage(Id(messageId)); }
    int rowOfTempId(const QString& tempId) const;

    // The unread divider (message_list_model_unread.cpp).
    Id firstUnreadId() const { return m_firstUnreadId; }
    double firstUnreadIdValue() const { return double(m_firstUnreadId); }
    void setFirstUnreadId(Id messageId);
    // Of `unread` messages from others at the end of the room, the oldest:
    // the first unread (0: none). Nothing when older pages must be loaded to reach it; the
    // oldest loaded one from others when the room has no more. Never above a
    // message of mine: I had read what precedes it.
    std::optional<Id> firstUnreadAmong(int unread) const;
    // How many loaded messages from others come after `messageId` (still unread
    // once the user has seen up to it).
    int countFromOthersAfter(Id messageId) const;

    // Read receipts (message_list_model_seen.cpp): each other member's read
    // marker in the open room (userId -> messageId); [] clears them. Rows
    // are placed again, one turn of the event loop later, whenever rows
    // come or go; only rows whose readers changed announce SeenByRole.
    void setReceipts(const QHash<Id, Id>& markers, bool dm);
    QList<Id> seenBy(Id messageId) const { return m_seenBy.value(messageId); }
    // Where receipts show, for the stored rows (id, sender) ascending by id:
    // messageId -> readers, ascending by user id. A reader has read up to
    // the later of their marker and their own newest message (sending
    // implies reading). In a group each reader sits at the newest loaded
    // message they have read; in a DM the peer sits under my newest message
    // they have read ("Seen"). Readers whose position is older than every
    // loaded row, and `self`, are left out.
    static QHash<Id, QList<Id>> placeReceipts(const QList<std::pair<Id, Id>>& rows,
                                              const QHash<Id, Id>& markers, Id self, bool dm);

    // The open room's pinned messages (list_pins, kept by PinsController):
    // rows whose state changes announce PinnedRole. Cleared by reset() to
    // another room.
    void setPinned(const QSet<Id>& messageIds);
    bool isPinned(Id messageId) const { return m_pinned.contains(messageId); }

signals:
    void hasMoreOlderChanged();
    void firstUnreadIdChanged();

private:
    // (implementation details are the implementer's)
    // Rows [0, storedEnd()) hold stored messages ascending by id; the rows
    // after them are my pending and failed sends (id 0) in the order added.
    struct Item {
        Message message;
        Status status = Status::Sent;
        bool firstInGroup = true; // cached from the previous row, see recompute()
        bool firstOfDay = true;
        QVariantList pendingFiles; // a send's files before the server's message carries them
    };
    int storedEnd() const;
    int lowerBound(Id messageId) const; // insertion row among the stored rows
    int storedRowOf(Id messageId) const;
    int pendingRowOf(const QString& tempId) const;
    void merge(QList<Message> messages, bool updateKnown);
    void replace(int row, const Message& message);
    void settle(int row, QList<int> roles); // a pending row got its id: announce, then move
    void dropRow(int row);
    void setStatus(const QString& tempId, Status status);
    bool recompute(int row); // updates the row's cached grouping; true when it changed
    void regroup(int row);   // recompute() and announce a change
    void setHasMoreOlder(bool hasMore);
    void onUserChanged(confab::Id userId);
    static QList<int> allRoles();
    // message_list_model_changes.cpp
    QVariantList reactionsOf(const Message& message) const;
    QVariantMap replyPreviewOf(const Message& message) const;
    void followQuoted(const Message& quoted); // rows replying to it show its new state
    // message_list_model_seen.cpp
    void placeSeenBy();
    QVariantList seenByOf(Id messageId) const;

    QList<Item> m_items;
    UserDirectory* m_users;
    Id m_self = 0;
    Id m_roomId = 0;
    bool m_hasMoreOlder = false;
    Id m_firstUnreadId = 0;
    QHash<Id, Id> m_receipts; // userId -> read marker, the open room's
    bool m_receiptsDm = false;
    QHash<Id, QList<Id>> m_seenBy; // messageId -> readers shown under it
    QTimer m_placeSoon;            // rows changed: place the receipts again
    QSet<Id> m_pinned;
};

} // namespace confab::client
