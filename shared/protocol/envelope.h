#pragma once

#include "protocol/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace confab {

// One frame: {"type": ..., "id": ..., "payload": {...}}.
struct Envelope {
    QString type;
    // The client's correlation id, echoed verbatim on the direct reply.
    // Undefined when absent (server pushes never carry one).
    QJsonValue id = QJsonValue(QJsonValue::Undefined);
    QJsonObject payload;

    // Parses one text frame. Errors are bad_request. When the frame is a JSON
    // object whose "id" is a string or number, *idOut receives it even if the
    // parse fails, so the error reply can still carry the id.
    static Result<Envelope> parse(const QByteArray& utf8, QJsonValue* idOut = nullptr);

    // Compact UTF-8 JSON; "id" is omitted when undefined/null.
    QByteArray serialize() const;

    static Envelope make(QString type, QJsonObject payload,
                         QJsonValue id = QJsonValue(QJsonValue::Undefined));
};

// Builds the contract's error frame: {"type":"error","id":..,"payload":{"code","message"[,"retryAfterMs"]}}.
Envelope errorEnvelope(const Error& error, const QJsonValue& id = QJsonValue(QJsonValue::Undefined));

// Parses an error frame's payload back into an Error (client side, tests).
Result<Error> errorFromPayload(const QJsonObject& payload);

} // namespace confab
