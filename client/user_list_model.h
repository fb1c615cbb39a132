#pragma once

#include "protocol/types.h"
#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>

namespace confab::client {

// A list of users: autocomplete candidates, the user picker for new DMs and groups.
class UserListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ChatClient")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1, // double
        UsernameRole,
        DisplayNameRole,
        OnlineRole,
    };
    Q_ENUM(Role)

    explicit UserListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setUsers(const QList<User>& users); // minimal changes, not a reset
    void setPresence(Id userId, bool online);
    // Disconnected: nobody's presence is known (it comes back with new results).
    void setAllOffline();
    int count() const { return int(m_users.size()); }
    Q_INVOKABLE QVariantMap get(int row) const; // {userId, username, displayName, online}

signals:
    void countChanged();

private:
    QList<User> m_users;
};

} // namespace confab::client
