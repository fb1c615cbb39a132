#pragma once

#include <QJsonValue>

namespace confab {

// Ids of users, rooms and messages. The server issues positive integers and
// sends them as JSON numbers; the contract calls ids opaque, so a client may
// send one back as a number or as a string.
using Id = qint64;

// Reads an id field. Returns false (ill-typed) unless the value is a number or
// a string. A number or string that is not a positive integer yields 0, an id
// that matches nothing: the caller answers not_found/forbidden, not bad_request.
bool parseId(const QJsonValue& value, Id* out);

inline QJsonValue idToJson(Id id)
{
    return QJsonValue(static_cast<double>(id));
}

} // namespace confab
