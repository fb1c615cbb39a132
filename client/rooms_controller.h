#pragma once

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
// creating a group (with the people picker's search), leaving.
class RoomsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.rooms")
    Q_PROPERTY(confab::client::RoomListModel* model READ model CONSTANT)
    Q_PROPERTY(confab::client::UserListModel* userResults READ userResults CONSTANT) // DM / group pickers
    Q_PROPERTY(confab::client::QuickSwitcherModel* switcher READ switcher CONSTANT)

public:
    explicit RoomsController(ClientCore* core);
    ~RoomsController() override;

    RoomListModel* model() const;
    UserListModel* userResults() const;
    QuickSwitcherModel* switcher() const { return m_switcher.get(); }

    Q_INVOKABLE void searchUsers(const QString& prefix); // -> userResults
    // The switcher's query: matched at once against the known rooms and
    // people, and asked of the server (search_users) for people the client
    // has not met yet, who join the list when the reply comes.
    Q_INVOKABLE void findInSwitcher(const QString& query);
    Q_INVOKABLE void startDm(double userId); // opens it when the reply comes
    Q_INVOKABLE void createGroup(const QString& name, const QVariantList& memberIds);
    Q_INVOKABLE void leaveRoom(double roomId);

private:
    ClientCore* const d;
    std::unique_ptr<QuickSwitcherModel> m_switcher;
    quint64 m_switcherSerial = 0;
};

} // namespace confab::client
