#pragma once

// What the attention suites share (tst_server_attention, tst_cluster_attention):
// requests by name and readers of their payloads.
#include "event_matchers.h"
#include "test_server.h"

#include <QJsonArray>

namespace confab::test {

inline QJsonObject setNotify(TestClient& c, qint64 roomId, const QString& level)
{
    return c.request(QStringLiteral("set_room_settings"),
                     {{QStringLiteral("roomId"), double(roomId)}, {QStringLiteral("notify"), level}});
}

inline QJsonObject markRead(TestClient& c, qint64 roomId, qint64 messageId)
{
    return c.request(QStringLiteral("mark_read"), {{QStringLiteral("roomId"), double(roomId)},
                                                   {QStringLiteral("messageId"), double(messageId)}});
}

inline QJsonObject fetchReceipts(TestClient& c, qint64 roomId)
{
    return c.request(QStringLiteral("fetch_receipts"), {{QStringLiteral("roomId"), double(roomId)}});
}

inline QJsonObject setProfile(TestClient& c, const QJsonObject& fields)
{
    return c.request(QStringLiteral("set_profile"), fields);
}

inline QJsonObject changePassword(TestClient& c, const QString& oldPassword, const QString& newPassword)
{
    return c.request(QStringLiteral("change_password"), {{QStringLiteral("oldPassword"), oldPassword},
                                                         {QStringLiteral("newPassword"), newPassword}});
}

// fetch_receipts' markers as (userId -> messageId).
inline QMap<qint64, qint64> markersIn(const QJsonObject& envelope)
{
    QMap<qint64, qint64> markers;
    for (const QJsonValue& m : payloadOf(envelope).value(QLatin1String("markers")).toArray())
        markers.insert(idIn(m.toObject(), "userId"), idIn(m.toObject(), "messageId"));
    return markers;
}

// A `receipt` of `userId` in `roomId`.
inline auto receiptOf(qint64 roomId, qint64 userId)
{
    return [roomId, userId](const QJsonObject& p) {
        return idIn(p, "roomId") == roomId && idIn(p, "userId") == userId;
    };
}

// A `user_updated` about `userId`.
inline auto userIs(qint64 userId)
{
    return [userId](const QJsonObject& p) {
        return idIn(p.value(QLatin1String("user")).toObject(), "id") == userId;
    };
}

// The room's entry of list_rooms for `c` ({} when absent).
inline QJsonObject listedRoom(TestClient& c, qint64 roomId)
{
    for (const QJsonValue& room :
         payloadOf(c.request(QStringLiteral("list_rooms"))).value(QLatin1String("rooms")).toArray()) {
        if (idIn(room.toObject(), "id") == roomId)
            return room.toObject();
    }
    return {};
}

} // namespace confab::test
