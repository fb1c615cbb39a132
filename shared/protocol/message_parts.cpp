#include "protocol/message_parts.h"

namespace confab {

using namespace json;

QString messageKindName(MessageKind kind)
{
    return kind == MessageKind::System ? QStringLiteral("system") : QStringLiteral("text");
}

std::optional<MessageKind> messageKindFromName(const QString& name)
{
    if (name == QLatin1String("text"))
        return MessageKind::Text;
    if (name == QLatin1String("system"))
        return MessageKind::System;
    return std::nullopt;
}

// --- Reaction ------------------------------------------------------------

QJsonObject Reaction::toJson() const
{
    QJsonArray ids;
    for (Id id : userIds)
        ids.append(idToJson(id));
    return {{QLatin1String("emoji"), emoji}, {QLatin1String("userIds"), ids}};
}

Result<Reaction> Reaction::fromJson(const QJsonObject& json)
{
    Reaction r;
    Error e;
    QJsonArray ids;
    if (!readString(json, QLatin1String("emoji"), &r.emoji, &e) ||
        !readArray(json, QLatin1String("userIds"), &ids, &e))
        return e;
    r.userIds.reserve(ids.size());
    for (const QJsonValue& value : ids) {
        Id id = 0;
        if (!parseId(value, &id))
            return makeError(ErrorCode::BadRequest, QStringLiteral("userIds must hold ids"));
        r.userIds.append(id);
    }
    return r;
}

bool operator==(const Reaction& a, const Reaction& b)
{
    return a.emoji == b.emoji && a.userIds == b.userIds;
}

// --- ReplyPreview --------------------------------------------------------

QJsonObject ReplyPreview::toJson() const
{
    return {{QLatin1String("id"), idToJson(id)},
            {QLatin1String("senderId"), idToJson(senderId)},
            {QLatin1String("content"), content},
            {QLatin1String("deleted"), deleted}};
}

Result<ReplyPreview> ReplyPreview::fromJson(const QJsonObject& json)
{
    ReplyPreview r;
    Error e;
    if (!readId(json, QLatin1String("id"), &r.id, &e) ||
        !readId(json, QLatin1String("senderId"), &r.senderId, &e) ||
        !readString(json, QLatin1String("content"), &r.content, &e) ||
        !readBool(json, QLatin1String("deleted"), &r.deleted, &e))
        return e;
    return r;
}

bool operator==(const ReplyPreview& a, const ReplyPreview& b)
{
    return a.id == b.id && a.senderId == b.senderId && a.content == b.content && a.deleted == b.deleted;
}

} // namespace confab

namespace confab::json {

bool readMessageChangeFields(const QJsonObject& json, Message* m, Error* e)
{
    if (json.contains(QLatin1String("revision")) && !readInt64(json, QLatin1String("revision"), &m->revision, e))
        return false;
    if (json.contains(QLatin1String("reactions")) && !readList(json, QLatin1String("reactions"), &m->reactions, e))
        return false;
    if (json.contains(QLatin1String("attachments")) &&
        !readList(json, QLatin1String("attachments"), &m->attachments, e))
        return false;
    if (json.contains(QLatin1String("kind"))) {
        QString name;
        if (!readString(json, QLatin1String("kind"), &name, e))
            return false;
        const std::optional<MessageKind> kind = messageKindFromName(name);
        if (!kind) {
            *e = makeError(ErrorCode::BadRequest, QStringLiteral("kind must be \"text\" or \"system\""));
            return false;
        }
        m->kind = *kind;
    }
    const QJsonValue preview = json.value(QLatin1String("replyPreview"));
    if (preview.isObject()) {
        Result<ReplyPreview> parsed = ReplyPreview::fromJson(preview.toObject());
        if (!parsed) {
            *e = parsed.error();
            e->message.prepend(QStringLiteral("replyPreview."));
            return false;
        }
        m->replyPreview = std::move(parsed).value();
    } else if (!preview.isUndefined() && !preview.isNull()) {
        *e = makeError(ErrorCode::BadRequest, QStringLiteral("replyPreview must be an object or null"));
        return false;
    }
    return true;
}

} // namespace confab::json
