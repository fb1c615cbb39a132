#pragma once

#include "public_rooms_model.h"
#include "quick_switcher_model.h"
#include "room_list_model.h"
#include "user_list_model.h"

#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>
#include <memory>

namespace confab::client {

struct ClientCore;

// The user's rooms: the list, the quick switcher (Ctrl+K), starting a DM,
// creating a group (with the people picker's search), leaving, and the
// server's directory of public groups ("Browse groups") with joining them.
class RoomsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.rooms")
    Q_PROPERTY(confab::client::RoomListModel* model READ model CONSTANT)
    Q_PROPERTY(confab::client::UserListModel* userResults READ userResults CONSTANT) // DM / group pickers
    Q_PROPERTY(confab::client::QuickSwitcherModel* switcher READ switcher CONSTANT)
    Q_PROPERTY(confab::client::PublicRoomsModel* publicRooms READ publicRooms CONSTANT)

public:
    explicit RoomsController(ClientCore* core);
    ~RoomsController() override;

    RoomListModel* model() const;
    UserListModel* userResults() const;
    QuickSwitcherModel* switcher() const { return m_switcher.get(); }
    PublicRoomsModel* publicRooms() const { return m_publicRooms.get(); }

    Q_INVOKABLE void searchUsers(const QString& prefix); // -> userResults
    // The switcher's query: matched at once against the known rooms and
    // people, and asked of the server (search_users) for people the client
    // has not met yet, who join the list when the reply comes.
    Q_INVOKABLE void findInSwitcher(const QString& query);
    Q_INVOKABLE void startDm(double userId); // opens it when the reply comes
    // `isPublic`: anyone on the server can find (listPublicRooms) and join it.
    Q_INVOKABLE void createGroup(const QString& name, const QVariantList& memberIds,
                                 const QString& topic = QString(), bool isPublic = false);
    Q_INVOKABLE void leaveRoom(double roomId);
    // Public groups whose name contains `query` (any case; "" lists them
    // all) -> publicRooms. A newer query supersedes older replies.
    Q_INVOKABLE void listPublicRooms(const QString& query);
    // Joins a public group and opens it once it is in the room list (the
    // server sends `room` after `joined`); a room I am in just opens.
    Q_INVOKABLE void joinRoom(double roomId);

private:
    ClientCore* const d;
    std::unique_ptr<QuickSwitcherModel> m_switcher;
    quint64 m_switcherSerial = 0;
    std::unique_ptr<PublicRoomsModel> m_publicRooms;
    quint64 m_publicSerial = 0;
    Id m_openWhenListed = 0; // joined: opens when its `room` arrives
};

} // namespace confab::client
