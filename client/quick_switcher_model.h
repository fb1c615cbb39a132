#pragma once

#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QTimer>

namespace confab::client {

class RoomListModel;
class UserDirectory;

// What Ctrl+K offers for a query: the user's rooms (by name; DMs also by the
// other member's @username) and the people the client knows who have no DM
// with the user yet (by display name and @username; picking one starts a DM).
//
// Order: whole-name matches, then substring matches, then fuzzy ones (the
// query's characters in order); within each, rooms with unread messages
// first (muted ones left out), then names that start with the query (or have a word that does),
// then the most recent activity; rooms before people. An empty query lists
// the rooms alone, unread first, then by recent activity. A query starting
// with "@" matches usernames only.
//
// Follows the room list and the user directory while `active` (the popup is
// open), with minimal row changes rather than resets, so the highlighted row
// stays put while it stays a match.
class QuickSwitcherModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("RoomsController.switcher")
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        KindRole = Qt::UserRole + 1, // Kind, as an int
        RoomIdRole,                  // double; 0 for a person
        UserIdRole,                  // double: a DM's other member, or the person; 0 for a group
        NameRole,                    // as the room list names it; a person's display name
        DetailRole,                  // "@username" for DMs and people; "" for groups
        UnreadCountRole,             // int
        MentionCountRole,            // int
        OnlineRole,                  // bool: DMs and people
        MutedRole,                   // bool
    };
    Q_ENUM(Role)
    enum class Kind { Group, Direct, Person };
    Q_ENUM(Kind)

    static constexpr int kMaxRows = 50;

    QuickSwitcherModel(RoomListModel* rooms, UserDirectory* users, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString query() const { return m_query; }
    void setQuery(const QString& query); // recomputes at once
    bool active() const { return m_active; }
    void setActive(bool active); // true: recomputes at once, then follows changes
    int count() const { return int(m_rows.size()); }
    void refresh(); // recomputes now (the sources' changes are coalesced into one)

signals:
    void queryChanged();
    void activeChanged();
    void countChanged();

private:
    struct Row {
        Kind kind = Kind::Group;
        Id roomId = 0;
        Id userId = 0;
        QString name;
        QString detail;
        int unread = 0;
        int mentions = 0;
        bool online = false;
        bool muted = false;
        // Sort keys
        int match = 0; // NameMatch
        qint64 activity = 0;

        QString key() const; // identity across refreshes
    };
    QList<Row> computeRows() const;
    void apply(const QList<Row>& target); // minimal removes, moves, inserts and dataChanged
    void scheduleRefresh();

    RoomListModel* m_rooms;
    UserDirectory* m_users;
    QString m_query;
    bool m_active = false;
    QList<Row> m_rows;
    QTimer m_refreshSoon;
};

} // namespace confab::client
