#include "protocol/avatars.h"

#include "protocol/limits.h"

#include <QCryptographicHash>

namespace confab {
namespace {

const QLatin1String kData{"data"};
const QLatin1String kMime{"mime"};
const QLatin1String kClear{"clear"};
const QLatin1String kAvatarId{"avatarId"};

Error badRequest(const QString& message)
{
    return makeError(ErrorCode::BadRequest, message);
}

bool absent(const QJsonValue& v)
{
    return v.isUndefined() || v.isNull();
}

// The image in `data`: size checked on the text before decoding (nothing
// larger than the limit is ever allocated twice), then strictly decoded and
// its type taken from the magic bytes.
bool readImage(const QJsonObject& p, QByteArray* bytes, AvatarMime* mime, Error* error)
{
    const QJsonValue value = p.value(kData);
    if (!value.isString()) {
        *error = badRequest(QStringLiteral("data must be a base64 string"));
        return false;
    }
    const QString text = value.toString();
    if (text.size() > limits::kAvatarBase64MaxLength) {
        *error = makeError(
            ErrorCode::TooLarge,
            QStringLiteral("data must be an image of at most %1 bytes").arg(limits::kAvatarMaxBytes));
        return false;
    }
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    // toLatin1() turns non-Latin-1 characters into '?', which base64 refuses.
    if (!decoded || decoded.decoded.isEmpty()) {
        *error = badRequest(QStringLiteral("data must be non-empty base64"));
        return false;
    }
    if (decoded.decoded.size() > limits::kAvatarMaxBytes) {
        *error = makeError(
            ErrorCode::TooLarge,
            QStringLiteral("data must be an image of at most %1 bytes").arg(limits::kAvatarMaxBytes));
        return false;
    }
    const std::optional<AvatarMime> sniffed = sniffAvatarMime(decoded.decoded);
    if (!sniffed) {
        *error = badRequest(QStringLiteral("data must be a PNG or JPEG image"));
        return false;
    }
    *bytes = std::move(decoded.decoded);
    *mime = *sniffed;
    return true;
}

} // namespace

QString avatarMimeName(AvatarMime mime)
{
    return mime == AvatarMime::Png ? QStringLiteral("image/png") : QStringLiteral("image/jpeg");
}

std::optional<AvatarMime> avatarMimeFromName(const QString& name)
{
    if (name == QLatin1String("image/png"))
        return AvatarMime::Png;
    if (name == QLatin1String("image/jpeg"))
        return AvatarMime::Jpeg;
    return std::nullopt;
}

std::optional<AvatarMime> sniffAvatarMime(const QByteArray& bytes)
{
    static const QByteArray png = QByteArray::fromHex("89504e470d0a1a0a");
    static const QByteArray jpeg = QByteArray::fromHex("ffd8ff");
    if (bytes.startsWith(png))
        return AvatarMime::Png;
    if (bytes.startsWith(jpeg))
        return AvatarMime::Jpeg;
    return std::nullopt;
}

QString avatarIdOf(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

bool isAvatarId(const QString& id)
{
    if (id.size() != 64)
        return false;
    for (QChar c : id) {
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
              (c >= QLatin1Char('a') && c <= QLatin1Char('f'))))
            return false;
    }
    return true;
}

Result<SetAvatarRequest> SetAvatarRequest::fromPayload(const QJsonObject& p)
{
    SetAvatarRequest r;
    Error e;
    const QJsonValue clear = p.value(kClear);
    if (!absent(clear)) {
        if (!clear.isBool())
            return badRequest(QStringLiteral("clear must be a boolean"));
        r.clear = clear.toBool();
    }
    if (r.clear) {
        if (!absent(p.value(kData)))
            return badRequest(QStringLiteral("clear takes no data"));
        return r;
    }
    if (!readImage(p, &r.bytes, &r.mime, &e))
        return e;
    const QJsonValue mime = p.value(kMime);
    if (!absent(mime)) {
        const std::optional<AvatarMime> named = avatarMimeFromName(mime.toString());
        if (!mime.isString() || !named)
            return badRequest(QStringLiteral("mime must be \"image/png\" or \"image/jpeg\""));
        if (*named != r.mime)
            return badRequest(QStringLiteral("mime does not match the image's bytes"));
    }
    return r;
}

QJsonObject SetAvatarRequest::toPayload() const
{
    if (clear)
        return {{kClear, true}};
    return {{kData, QString::fromLatin1(bytes.toBase64())}, {kMime, avatarMimeName(mime)}};
}

Result<FetchAvatarRequest> FetchAvatarRequest::fromPayload(const QJsonObject& p)
{
    FetchAvatarRequest r;
    Error e;
    if (!json::readString(p, kAvatarId, &r.avatarId, &e))
        return e;
    if (!isAvatarId(r.avatarId))
        return badRequest(QStringLiteral("avatarId must be 64 lowercase hex digits"));
    return r;
}

QJsonObject FetchAvatarRequest::toPayload() const
{
    return {{kAvatarId, avatarId}};
}

QJsonObject AvatarReply::toPayload() const
{
    return {
        {kAvatarId, avatarId}, {kMime, avatarMimeName(mime)}, {kData, QString::fromLatin1(bytes.toBase64())}};
}

Result<AvatarReply> AvatarReply::fromPayload(const QJsonObject& p)
{
    AvatarReply r;
    Error e;
    QString mime;
    if (!json::readString(p, kAvatarId, &r.avatarId, &e) || !json::readString(p, kMime, &mime, &e) ||
        !readImage(p, &r.bytes, &r.mime, &e))
        return e;
    if (avatarMimeFromName(mime) != r.mime)
        return badRequest(QStringLiteral("mime does not match the image's bytes"));
    if (!isAvatarId(r.avatarId) || avatarIdOf(r.bytes) != r.avatarId)
        return badRequest(QStringLiteral("avatarId is not the SHA-256 of the data"));
    return r;
}

bool operator==(const AvatarReply& a, const AvatarReply& b)
{
    return a.avatarId == b.avatarId && a.mime == b.mime && a.bytes == b.bytes;
}

} // namespace confab

namespace confab::json {

bool readAvatarId(const QJsonObject& json, QString* out, Error* error)
{
    const QJsonValue value = json.value(kAvatarId);
    if (absent(value)) {
        out->clear();
        return true;
    }
    QString id;
    if (!readString(json, kAvatarId, &id, error))
        return false;
    if (!id.isEmpty() && !isAvatarId(id)) {
        *error = badRequest(QStringLiteral("avatarId must be 64 lowercase hex digits"));
        return false;
    }
    *out = id;
    return true;
}

} // namespace confab::json
