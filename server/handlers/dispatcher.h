#pragma once

#include "handlers/handlers.h"
#include "ops/metrics.h"

#include "protocol/ids.h"

#include <optional>

#include <QHash>
#include <QString>

namespace confab::server {

class Hub;
class Connection;

// Routes each frame to its handler after the checks every event shares:
// a well-formed envelope, a known type, authentication, the request's rate
// limit (RequestLimits), and the one authorization check for room-scoped
// events (membership of payload.roomId). The handler runs in a
// Hub::RequestScope: its store jobs count as the connection's requests.
class Dispatcher {
public:
    explicit Dispatcher(Hub& hub);

    void dispatchText(Connection* connection, const QString& frame);
    // Files (issue 16): every binary frame must be an upload chunk.
    void dispatchBinary(Connection* connection, const QByteArray& frame);

private:
    enum class RoomScope { None, Required, Optional };
    struct Route {
        Handler handler = nullptr;
        bool needsAuth = true;
        RoomScope roomScope = RoomScope::None;
        std::optional<RateLimit> limit; // none: the handler limits it (send, logins)
    };
    // Takes a token of the route's limit; false when the request was refused.
    bool withinLimit(Connection* connection, const Envelope& request, RateLimit limit);
    enum class Check { Allowed, Refused, AskStore };
    // Refused: the error has been sent. AskStore: this instance's copy of
    // the membership says no, but another instance of the cluster may have
    // just added the user (its change not read here yet): the store decides.
    Check authorizeRoom(Connection* connection, const Envelope& request, RoomScope scope, Id* roomId);
    // Runs the handler once the store confirms membership (and updates this
    // instance's copy), or answers forbidden. Ordered behind earlier checks.
    void confirmMembership(Connection* connection, const Envelope& request, const Route& route, Id roomId);

    Hub& m_hub;
    QHash<QString, Route> m_routes;
};

} // namespace confab::server
