#pragma once

#include "protocol/types.h"

#include <QHash>
#include <QObject>

namespace confab::client {

// Every user the client has heard of (room members, search results), with
// presence kept current from `presence` events. Models look names up here.
class UserDirectory : public QObject {
    Q_OBJECT
public:
    explicit UserDirectory(QObject* parent = nullptr) : QObject(parent) {}

    void upsert(const User& user);
    void upsertAll(const QList<User>& users);
    void setPresence(Id userId, bool online, qint64 lastSeenAt);
    bool contains(Id userId) const { return m_users.contains(userId); }
    User user(Id userId) const { return m_users.value(userId); }
    // Display name, else username, else "user <id>".
    QString displayName(Id userId) const;
    void clear();

signals:
    void userChanged(confab::Id userId);

private:
    QHash<Id, User> m_users;
};

} // namespace confab::client
