#pragma once

#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QList>

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
public:
    enum class Status { Pending, Sent, Failed };
    Q_ENUM(Status)

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

    void addPending(const QString& tempId, const QString& content, const QList<Mention>& mentions,
                    qint64 createdAt);
    void acknowledge(const QString& tempId, Id messageId, qint64 createdAt);
    void setFailed(const QString& tempId);
    void setPending(const QString& tempId); // retry

    bool hasMoreOlder() const { return m_hasMoreOlder; }
    Id oldestId() const;                  // 0 when empty
    Id newestId() const;                  // newest stored (non-pending) id, 0 when none
    int rowOfMessage(Id messageId) const; // -1 when absent
    int rowOfTempId(const QString& tempId) const;

signals:
    void hasMoreOlderChanged();

private:
    // (implementation details are the implementer's)
    // Rows [0, storedEnd()) hold stored messages ascending by id; the rows
    // after them are my pending and failed sends (id 0) in the order added.
    struct Item {
        Message message;
        Status status = Status::Sent;
        bool firstInGroup = true; // cached from the previous row, see recompute()
        bool firstOfDay = true;
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

    QList<Item> m_items;
    UserDirectory* m_users;
    Id m_self = 0;
    Id m_roomId = 0;
    bool m_hasMoreOlder = false;
};

} // namespace confab::client
