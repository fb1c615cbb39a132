#pragma once

#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>

namespace confab::client {

class UserDirectory;
class RoomListModel;

// Messages from many rooms, newest first: search results and the mentions
// inbox. Each row knows its room so the view can jump to it.
class MessageResultsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatClient")
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY hasMoreChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1, // double
        RoomIdRole,                       // double
        RoomNameRole,                     // as the room list names it
        SenderNameRole,                   // with " (@username)" when a member of that room shares the name
        ContentRole,
        CreatedAtRole, // double
        TimeTextRole,  // "14:05" today, else "25 Nov"
        MentionsRole,  // QVariantList of {userId, indexStart, indexEnd}
    };
    Q_ENUM(Role)

    MessageResultsModel(UserDirectory* users, RoomListModel* rooms, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setResults(const QList<Message>& messages, bool hasMore);
    void appendResults(const QList<Message>& messages, bool hasMore); // next page; skips known ids
    void prepend(const Message& message);                             // a live mention
    // An edit or deletion of a listed message: a deleted one leaves the
    // list, and so does one that no longer mentions `mentionOf` (when not 0).
    void applyUpdate(const Message& message, Id mentionOf = 0);
    void clear();
    bool hasMore() const { return m_hasMore; }
    int count() const { return int(m_messages.size()); }
    Id lastId() const; // for paging (beforeId)

signals:
    void hasMoreChanged();
    void countChanged();

private:
    void append(const QList<Message>& messages); // skips known ids
    int rowOf(Id messageId) const;
    void setHasMore(bool hasMore);
    void roomsChanged();

    UserDirectory* m_users;
    RoomListModel* m_rooms;
    QList<Message> m_messages;
    bool m_hasMore = false;
};

} // namespace confab::client
