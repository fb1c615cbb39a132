#pragma once

#include "protocol/attention.h"
#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QHash>
#include <QList>

namespace confab::client {

class UserDirectory;

// The user's rooms, most recent activity first, with unread and mention
// badges, a last-message preview, and presence for DMs. Updated in place
// (insert/move/dataChanged), never reset except by setRooms().
class RoomListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatClient")
public:
    enum Role {
        RoomIdRole = Qt::UserRole + 1,
        NameRole,            // group name, or the other member's display name for a DM
                             // (with " (@username)" when I or another DM partner share it)
        IsDmRole,            // bool
        UnreadCountRole,     // int
        MentionCountRole,    // int
        LastMessageTextRole, // plain text, one line
        LastSenderNameRole,  // "" when no message; " (@username)" added when a member shares the name
        LastActivityRole,    // ms since epoch: last message, else room creation
        OnlineRole,          // DM: the other member is online; group: false
        PeerUserIdRole,      // DM: the other member's id (as double); group: 0
        MemberCountRole,     // int
        NotifyLevelRole,     // AttentionController.Level: All, Mentions, Nothing (same order as NotifyLevel)
        MutedRole,           // bool: the level is "nothing"; not counted in totalUnread()
        PeerStatusRole,      // DM: the other member's ProfileController.Status; group: Available
        PeerStatusTextRole,  // DM: the other member's status text; group: ""
        // Groups (contract, second part)
        TopicRole,    // "" when none (always for DMs)
        IsPublicRole, // bool: visibility "public"
        MyRankRole,   // int(MemberListModel::Rank): my role here; None in a DM
        OwnerIdRole,  // double; 0 for DMs
    };
    Q_ENUM(Role)

    explicit RoomListModel(UserDirectory* users, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setSelfUserId(Id userId) { m_self = userId; }
    Id selfUserId() const { return m_self; }
    void setRooms(const QList<Room>& rooms);     // reset: sign-in and reconnect
    void upsert(const Room& room);               // a `room` event or reply
    void remove(Id roomId);                      // room_left
    void removeMember(Id roomId, Id userId);     // member_left
    void addMember(Id roomId, const User& user); // member_joined (with its role)
    // A new message: updates the preview and activity (moving the row), and
    // counts it unread unless it is mine or `roomIsOpen`.
    void applyMessage(const Message& message, bool roomIsOpen);
    // An edit or deletion: the preview follows when it is the room's last message.
    void applyUpdate(const Message& message);
    void applyMention(Id roomId, bool roomIsOpen);
    void markRead(Id roomId); // zeroes the badges
    // Read part of the way down: fewer unread (never more); none left zeroes the badges.
    void setUnreadCount(Id roomId, int count);
    void setTyping(Id roomId, Id userId, bool typing);
    void setNotifyLevel(Id roomId, NotifyLevel level); // set_room_settings, room_settings

    bool contains(Id roomId) const;
    Room room(Id roomId) const;           // default Room when unknown
    QString displayName(Id roomId) const; // NameRole of the room; "" when unknown
    QList<Id> roomIds() const;
    const QList<Room>& rooms() const { return m_rooms; } // in row order (the local cache keeps it)
    int rowOf(Id roomId) const;                          // -1 when unknown
    int totalUnread() const;                             // rooms set to "nothing" left out

    // Alt+Up/Down: the room `step` rows away from `roomId` in the list's
    // order (-1 up, +1 down), or with `unreadOnly` the nearest one that way
    // with unread messages; 0 past either end (no wrapping, as the sidebar
    // does not wrap). From no room (or an unknown one) the first such room.
    // Rooms the sidebar's `filter` hides (a name without it, any case) are
    // skipped, as the eye skips them.
    Q_INVOKABLE double adjacentRoom(double roomId, int step, bool unreadOnly,
                                    const QString& filter = QString()) const;

signals:
    void totalUnreadChanged();

private:
    // (implementation details are the implementer's)
    Id peerOf(const Room& room) const; // DM: the other member (oneself in a note-to-self)
    QString nameOf(const Room& room) const;
    static QList<Id> memberIds(const Room& room);
    // Recomputes which DM names need "@username"; `announce`: dataChanged for those that changed.
    void refreshDmNames(bool announce);
    int placeRow(int row); // moves the row to its sorted place; returns the new row
    void onUserChanged(confab::Id userId);
    void updateTotalUnread();

    UserDirectory* m_users;
    Id m_self = 0;
    QList<Room> m_rooms;            // in row order
    QHash<Id, QString> m_dmHandles; // DM room -> its partner's handle, when one is needed
    int m_totalUnread = 0;
    bool m_inReset = false;
};

} // namespace confab::client
