#pragma once

#include "room_list_model.h"
#include "user_list_model.h"

#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// The user's rooms: the list, starting a DM, creating a group (with the
// people picker's search), leaving.
class RoomsController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.rooms")
    Q_PROPERTY(confab::client::RoomListModel* model READ model CONSTANT)
    Q_PROPERTY(confab::client::UserListModel* userResults READ userResults CONSTANT) // DM / group pickers

public:
    explicit RoomsController(ClientCore* core);

    RoomListModel* model() const;
    UserListModel* userResults() const;

    Q_INVOKABLE void searchUsers(const QString& prefix); // -> userResults
    Q_INVOKABLE void startDm(double userId);             // opens it when the reply comes
    Q_INVOKABLE void createGroup(const QString& name, const QVariantList& memberIds);
    Q_INVOKABLE void leaveRoom(double roomId);

private:
    ClientCore* const d;
};

} // namespace confab::client
