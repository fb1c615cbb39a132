#include "protocol/envelope.h"

#include "protocol/event_names.h"
#include "protocol/types.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace confab {

namespace {

Error badRequest(const char* message)
{
    return makeError(ErrorCode::BadRequest, QString::fromLatin1(message));
}

bool isJsonScalar(const QByteArray& utf8)
{
    QJsonParseError error;
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + utf8 + ']', &error);
    return error.error == QJsonParseError::NoError && wrapped.array().size() == 1;
}

} // namespace

Result<Envelope> Envelope::parse(const QByteArray& utf8, QJsonValue* idOut)
{
    if (idOut)
        *idOut = QJsonValue(QJsonValue::Undefined);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt's parser rejects a bare scalar ("ping", 3) that RFC 8259 calls valid JSON.
        if (isJsonScalar(utf8))
            return badRequest("frame must be a JSON object");
        return badRequest("frame is not valid JSON");
    }
    if (!doc.isObject())
        return badRequest("frame must be a JSON object");
    const QJsonObject frame = doc.object();

    Envelope env;
    // "id": null means no id, like any optional field that is null.
    if (frame.contains(QLatin1String("id")) && !frame.value(QLatin1String("id")).isNull()) {
        const QJsonValue id = frame.value(QLatin1String("id"));
        if (!id.isString() && !id.isDouble())
            return badRequest("id must be a string or a number");
        env.id = id;
        if (idOut)
            *idOut = id;
    }

    const QJsonValue type = frame.value(QLatin1String("type"));
    if (!type.isString() || type.toString().isEmpty())
        return badRequest("type must be a non-empty string");
    env.type = type.toString();

    const QJsonValue payload = frame.value(QLatin1String("payload"));
    if (payload.isObject())
        env.payload = payload.toObject();
    else if (!payload.isUndefined() && !payload.isNull())
        return badRequest("payload must be an object");
    return env;
}

QByteArray Envelope::serialize() const
{
    QJsonObject frame{{QLatin1String("type"), type}, {QLatin1String("payload"), payload}};
    if (!id.isUndefined() && !id.isNull())
        frame.insert(QLatin1String("id"), id);
    return QJsonDocument(frame).toJson(QJsonDocument::Compact);
}

Envelope Envelope::make(QString type, QJsonObject payload, QJsonValue id)
{
    Envelope env;
    env.type = std::move(type);
    env.payload = std::move(payload);
    env.id = std::move(id);
    return env;
}

namespace {
// rate_limited (contract) and unavailable [ext]: "not now, retry after this".
bool carriesRetryAfter(ErrorCode code)
{
    return code == ErrorCode::RateLimited || code == ErrorCode::Unavailable;
}
} // namespace

Envelope errorEnvelope(const Error& error, const QJsonValue& id)
{
    QJsonObject payload{
        {QLatin1String("code"), errorCodeName(error.code)},
        {QLatin1String("message"), error.message},
    };
    if (carriesRetryAfter(error.code) && error.retryAfterMs >= 0)
        payload.insert(QLatin1String("retryAfterMs"), error.retryAfterMs);
    if (error.fileId > 0)
        payload.insert(QLatin1String("fileId"), idToJson(error.fileId));
    if (error.offset >= 0)
        payload.insert(QLatin1String("offset"), error.offset);
    return Envelope::make(QString(event::Error), payload, id);
}

Result<Error> errorFromPayload(const QJsonObject& payload)
{
    const QJsonValue code = payload.value(QLatin1String("code"));
    const std::optional<ErrorCode> parsed =
        code.isString() ? errorCodeFromName(code.toString()) : std::nullopt;
    if (!parsed)
        return badRequest("code must be a known error code");

    Error error{*parsed, QString(), -1};
    const QJsonValue message = payload.value(QLatin1String("message"));
    if (message.isString())
        error.message = message.toString();
    else if (!message.isUndefined())
        return badRequest("message must be a string");

    if (carriesRetryAfter(error.code) && payload.contains(QLatin1String("retryAfterMs"))) {
        Error bad;
        if (!json::readInt64(payload, QLatin1String("retryAfterMs"), &error.retryAfterMs, &bad))
            return bad;
    }
    if (payload.contains(QLatin1String("fileId"))) {
        Error bad;
        if (!json::readId(payload, QLatin1String("fileId"), &error.fileId, &bad))
            return bad;
    }
    if (payload.contains(QLatin1String("offset"))) {
        Error bad;
        if (!json::readInt64(payload, QLatin1String("offset"), &error.offset, &bad) || error.offset < 0)
            return badRequest("offset must be a non-negative integer");
    }
    return Result<Error>(std::in_place, error);
}

} // namespace confab
