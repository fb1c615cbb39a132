#pragma once

#include "test_client.h"

#include <QJsonObject>

// Matchers for TestClient::waitFor() and readers of pushed payloads.
namespace confab::test {

inline qint64 idIn(const QJsonObject& payload, const char* key)
{
    return idOf(payload.value(QLatin1String(key)));
}

// An event about room `roomId` (payload.roomId).
inline auto roomIs(qint64 roomId)
{
    return [roomId](const QJsonObject& p) { return idIn(p, "roomId") == roomId; };
}

// A `message` event carrying message `messageId`.
inline auto messageIs(qint64 messageId)
{
    return [messageId](const QJsonObject& p) {
        return idIn(p.value(QLatin1String("message")).toObject(), "id") == messageId;
    };
}

// A `presence` event saying `userId` is (not) online.
inline auto presenceOf(qint64 userId, bool online)
{
    return [userId, online](const QJsonObject& p) {
        return idIn(p, "userId") == userId && p.value(QLatin1String("online")).toBool() == online;
    };
}

} // namespace confab::test
