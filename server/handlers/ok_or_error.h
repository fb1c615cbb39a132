#pragma once

#include "connection.h"
#include "hub.h"
#include "protocol/event_names.h"
#include "protocol/result.h"

#include <QJsonObject>
#include <QPointer>

#include <functional>

namespace confab::server {

// The reply of a change that answers `ok {}`, or the store's error; nothing
// when the connection has gone meanwhile. R: a Result of any value.
template <typename R = Result<void>>
std::function<void(R)> okOrError(Connection* connection, const QJsonValue& id)
{
    return [guard = QPointer<Connection>(connection), id](R result) {
        if (!guard)
            return;
        if (!result)
            return Hub::replyError(guard, result.error(), id);
        Hub::reply(guard, event::Ok, QJsonObject(), id);
    };
}

} // namespace confab::server
