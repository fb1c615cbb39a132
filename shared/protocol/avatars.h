#pragma once

#include "protocol/types.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Avatars (issue 15, docs/protocol.md "Avatars"): a user's small picture,
// PNG or JPEG of at most limits::kAvatarMaxBytes, named by the lowercase hex
// SHA-256 of its bytes. The server checks the type by magic bytes and the
// size only: it decodes and re-encodes nothing.
namespace confab {

// The image types an avatar may have.
enum class AvatarMime { Png, Jpeg };
QString avatarMimeName(AvatarMime mime); // "image/png", "image/jpeg"
std::optional<AvatarMime> avatarMimeFromName(const QString& name);
// The type the first bytes announce (PNG: 89 50 4E 47 0D 0A 1A 0A; JPEG:
// FF D8 FF), nullopt for anything else.
std::optional<AvatarMime> sniffAvatarMime(const QByteArray& bytes);
// Lowercase hex SHA-256 of the bytes: the avatar's id.
QString avatarIdOf(const QByteArray& bytes);
// 64 lowercase hex digits (what avatarIdOf() makes).
bool isAvatarId(const QString& id);

// set_avatar {data, mime?} or {clear: true} -> user. `data`: base64 (strict,
// padded) of the image; over kAvatarBase64MaxLength characters or
// kAvatarMaxBytes decoded: too_large; not base64, empty, or neither PNG nor
// JPEG by its magic bytes: bad_request; `mime`, when given, must name the
// type the bytes have. `clear: true` removes the avatar (and takes no data).
struct SetAvatarRequest {
    bool clear = false;
    QByteArray bytes; // decoded; empty when clearing
    AvatarMime mime = AvatarMime::Png;
    static Result<SetAvatarRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// fetch_avatar {avatarId} -> avatar. Signed-in only; not_found when no user's
// avatar has that id.
struct FetchAvatarRequest {
    QString avatarId;
    static Result<FetchAvatarRequest> fromPayload(const QJsonObject& p);
    QJsonObject toPayload() const;
};

// avatar {avatarId, mime, data}: data is base64. A reply whose bytes do not
// hash to avatarId, or exceed the limits, is refused (a client keeps what it
// fetched on disk under that id).
struct AvatarReply {
    QString avatarId;
    AvatarMime mime = AvatarMime::Png;
    QByteArray bytes;
    QJsonObject toPayload() const;
    static Result<AvatarReply> fromPayload(const QJsonObject& p);
    friend bool operator==(const AvatarReply& a, const AvatarReply& b);
};

} // namespace confab

namespace confab::json {
// user.avatarId: absent or "" -> ""; otherwise isAvatarId() or bad_request.
bool readAvatarId(const QJsonObject& json, QString* out, Error* error);
} // namespace confab::json
