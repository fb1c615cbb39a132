#pragma once

// What the message lifecycle suites share (tst_server_lifecycle*,
// tst_cluster_lifecycle): requests by name and readers of their payloads.
#include "event_matchers.h"
#include "test_server.h"

#include <QJsonArray>

namespace confab::test {

inline QJsonObject editMessage(TestClient& c, qint64 messageId, const QString& content,
                               const QJsonArray& mentions = {})
{
    QJsonObject p{{QStringLiteral("messageId"), double(messageId)}, {QStringLiteral("content"), content}};
    if (!mentions.isEmpty())
        p.insert(QStringLiteral("mentions"), mentions);
    return c.request(QStringLiteral("edit_message"), p);
}

inline QJsonObject deleteMessage(TestClient& c, qint64 messageId)
{
    return c.request(QStringLiteral("delete_message"), {{QStringLiteral("messageId"), double(messageId)}});
}

inline QJsonObject react(TestClient& c, qint64 messageId, const QString& emoji, bool on = true)
{
    return c.request(QStringLiteral("react"), {{QStringLiteral("messageId"), double(messageId)},
                                               {QStringLiteral("emoji"), emoji},
                                               {QStringLiteral("on"), on}});
}

inline QJsonObject fetchChanges(TestClient& c, qint64 roomId, qint64 afterRevision, int limit = 50)
{
    return c.request(QStringLiteral("fetch_changes"), {{QStringLiteral("roomId"), double(roomId)},
                                                       {QStringLiteral("afterRevision"), double(afterRevision)},
                                                       {QStringLiteral("limit"), limit}});
}

// A mention span of `@name` in `content`.
inline QJsonObject span(const QString& content, const QString& name, qint64 userId)
{
    const int at = int(content.indexOf(QLatin1Char('@') + name));
    return {{QStringLiteral("userId"), double(userId)},
            {QStringLiteral("indexStart"), at},
            {QStringLiteral("indexEnd"), at + 1 + int(name.size())}};
}

// A `message_updated` event carrying message `messageId`.
inline auto updatedIs(qint64 messageId)
{
    return [messageId](const QJsonObject& p) {
        return idIn(p.value(QLatin1String("message")).toObject(), "id") == messageId;
    };
}

inline QJsonObject messageIn(const QJsonObject& envelope)
{
    return payloadOf(envelope).value(QLatin1String("message")).toObject();
}

inline QJsonArray messagesIn(const QJsonObject& envelope)
{
    return payloadOf(envelope).value(QLatin1String("messages")).toArray();
}

inline qint64 revisionOf(const QJsonObject& message)
{
    return qint64(message.value(QLatin1String("revision")).toDouble());
}

// The history's message `messageId` ({} when absent).
inline QJsonObject inHistory(TestClient& c, qint64 roomId, qint64 messageId)
{
    for (const QJsonValue& m :
         messagesIn(c.request(QStringLiteral("fetch_messages"), {{QStringLiteral("roomId"), double(roomId)}}))) {
        if (idOf(m.toObject().value(QLatin1String("id"))) == messageId)
            return m.toObject();
    }
    return {};
}

inline QList<qint64> idsOfMessages(const QJsonArray& messages)
{
    QList<qint64> ids;
    for (const QJsonValue& m : messages)
        ids.append(idOf(m.toObject().value(QLatin1String("id"))));
    return ids;
}

inline QList<qint64> searchIds(TestClient& c, const QString& query)
{
    return idsOfMessages(messagesIn(c.request(QStringLiteral("search_messages"), {{QStringLiteral("query"), query}})));
}

} // namespace confab::test
