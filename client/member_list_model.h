#pragma once

#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>

namespace confab::client {

class UserDirectory;

// The members of one room for the group info panel: the owner first, then
// the admins, then the members, each part by name. Names and presence come
// from the UserDirectory and stay current; a new room state (room_updated,
// member_joined, member_left) moves, inserts and removes rows in place.
class MemberListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("GroupController.members")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    // A member's role, for QML (MemberRole; None in a DM).
    enum class Rank { Owner, Admin, Member, None };
    Q_ENUM(Rank)

    enum Role {
        UserIdRole = Qt::UserRole + 1, // double
        NameRole,                      // display name, with " (@username)" for namesakes
        UsernameRole,
        RankRole,      // int(Rank)
        RankLabelRole, // "Owner", "Admin", "" (plain members carry no label)
        OnlineRole,    // bool
        StatusRole,    // int(UserStatus), ProfileController.Status
        IsSelfRole,    // bool: the signed-in user
    };
    Q_ENUM(Role)

    explicit MemberListModel(UserDirectory* users, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The room to show (a default Room: none). Rows change in place.
    void setRoom(const Room& room, Id self);
    int count() const { return int(m_rows.size()); }
    Id userIdAt(int row) const;
    static Rank rankOf(std::optional<MemberRole> role);

signals:
    void countChanged();

private:
    struct Row {
        Id userId = 0;
        std::optional<MemberRole> role;
    };
    QList<Row> sortedRows() const;
    void sync(const QList<Row>& target);
    int rowOfUser(Id userId) const;
    void onUserChanged(confab::Id userId);

    UserDirectory* m_users;
    Room m_room;
    Id m_self = 0;
    QList<Row> m_rows;
};

} // namespace confab::client
