#pragma once

#include "protocol/types.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace confab::client {

// Every user the client has heard of (room members, search results), with
// presence kept current from `presence` events. Models look names up here.
//
// It also knows who is in which room, to tell apart members who go by the
// same display name (issue 12, impersonation): in a room where another
// member's name has the same skeleton (display_names.h), a name is shown
// with "@username" beside it, wherever it appears for that room.
class UserDirectory : public QObject {
    Q_OBJECT
public:
    explicit UserDirectory(QObject* parent = nullptr)
        : QObject(parent)
    {}

    void upsert(const User& user);
    void upsertAll(const QList<User>& users);
    void setPresence(Id userId, bool online, qint64 lastSeenAt);
    // Whether presence is live (connected). While it is not, everyone reads
    // as offline, and users upserted meanwhile (a cached room list) too: what
    // they were when last heard of is not what they are now. It comes back
    // with the server's answers after the reconnect (list_rooms, presence).
    void setPresenceLive(bool live);
    bool presenceLive() const { return m_presenceLive; }
    bool contains(Id userId) const { return m_users.contains(userId); }
    User user(Id userId) const { return m_users.value(userId); }
    QList<Id> userIds() const { return m_users.keys(); } // in no particular order
    // Display name, else username, else "user <id>".
    QString displayName(Id userId) const;
    void clear();

    // Room membership, from the room list.
    void setRoomMembers(Id roomId, const QList<Id>& userIds);
    void removeRoomMember(Id roomId, Id userId);
    void removeRoom(Id roomId);
    QList<Id> roomMembers(Id roomId) const;

    // "@username" when someone else among the room's members (or `userId`
    // itself, when it is no longer a member) shares userId's display name;
    // "" otherwise. When their usernames look alike too, the user's id is
    // added ("@alice #12"): usernames may use any script.
    QString handleIn(Id roomId, Id userId) const;
    // displayName(), followed by " (@username)" when handleIn() is not empty:
    // for one-line texts (previews, typing line, notifications, results).
    QString labelIn(Id roomId, Id userId) const;
    // handleIn() among an explicit set of people (the DM list, say).
    QString handleAmong(const QList<Id>& people, Id userId) const;

signals:
    void userChanged(confab::Id userId);
    // handleIn() may now differ for some member of the room.
    void handlesChanged(confab::Id roomId);

private:
    struct Roster {
        QList<Id> members;
        QSet<Id> ambiguous; // members whose name another member shares
    };
    QString skeletonOf(Id userId) const;
    QSet<Id> ambiguousAmong(const QList<Id>& people) const;
    void refreshRoster(Id roomId, Roster& roster);

    QHash<Id, User> m_users;
    QHash<Id, QString> m_skeletons; // of displayName(), per known user
    QHash<Id, Roster> m_rooms;
    bool m_presenceLive = true;
};

} // namespace confab::client
