#pragma once

#include "handlers/handlers.h"

#include <QHash>
#include <QString>

namespace confab::server {

class Hub;
class Connection;

// Routes each frame to its handler after the checks every event shares:
// a well-formed envelope, a known type, authentication, and the one
// authorization check for room-scoped events (membership of payload.roomId).
class Dispatcher {
public:
    explicit Dispatcher(Hub& hub);

    void dispatchText(Connection* connection, const QString& frame);
    void dispatchBinary(Connection* connection);

private:
    enum class RoomScope { None, Required, Optional };
    struct Route {
        Handler handler = nullptr;
        bool needsAuth = true;
        RoomScope roomScope = RoomScope::None;
    };
    // True when the request may proceed; otherwise the error has been sent.
    bool authorizeRoom(Connection* connection, const Envelope& request, RoomScope scope);

    Hub& m_hub;
    QHash<QString, Route> m_routes;
};

} // namespace confab::server
