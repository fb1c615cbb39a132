#pragma once

#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>

namespace confab::client {

class RoomListModel;

// "Browse groups": the public groups list_public_rooms found, by name, each
// with whether I am in it already (the view offers Open instead of Join).
// That follows the room list: joining elsewhere, or leaving, updates the row.
class PublicRoomsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("RoomsController.publicRooms")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // A search is on its way (the view says "Searching…" instead of "None").
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
public:
    enum Role {
        RoomIdRole = Qt::UserRole + 1, // double
        NameRole,
        TopicRole,
        MemberCountRole,
        JoinedRole, // bool: in my room list
    };
    Q_ENUM(Role)

    explicit PublicRoomsModel(const RoomListModel* myRooms, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setRooms(const QList<PublicRoom>& rooms);
    void clear() { setRooms({}); }
    int count() const { return int(m_rooms.size()); }
    bool loading() const { return m_loading; }
    void setLoading(bool loading);

signals:
    void countChanged();
    void loadingChanged();

private:
    void membershipChanged(); // the room list changed: Joined may have
    bool joined(Id roomId) const;

    const RoomListModel* m_myRooms;
    QList<PublicRoom> m_rooms;
    bool m_loading = false;
};

} // namespace confab::client
