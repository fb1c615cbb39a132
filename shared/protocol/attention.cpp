#include "protocol/attention.h"

#include "protocol/limits.h"
#include "protocol/validation.h"

namespace confab {

using namespace json;

namespace {

constexpr QLatin1String kRoomId("roomId");
constexpr QLatin1String kUserId("userId");
constexpr QLatin1String kMessageId("messageId");
constexpr QLatin1String kNotify("notify");
constexpr QLatin1String kStatus("status");
constexpr QLatin1String kStatusText("statusText");
constexpr QLatin1String kDisplayName("displayName");
constexpr QLatin1String kSendReceipts("sendReceipts");

Error badRequest(QString message)
{
    return makeError(ErrorCode::BadRequest, std::move(message));
}

bool absent(const QJsonValue& value)
{
    return value.isUndefined() || value.isNull();
}

bool readNotify(const QJsonObject& p, NotifyLevel* out, Error* error)
{
    QString name;
    if (!readString(p, kNotify, &name, error))
        return false;
    const std::optional<NotifyLevel> level = notifyLevelFromName(name);
    if (!level) {
        *error = badRequest(QStringLiteral("notify must be \"all\", \"mentions\" or \"none\""));
        return false;
    }
    *out = *level;
    return true;
}

bool readStatus(const QJsonObject& p, UserStatus* out, Error* error)
{
    QString name;
    if (!readString(p, kStatus, &name, error))
        return false;
    const std::optional<UserStatus> status = userStatusFromName(name);
    if (!status) {
        *error = badRequest(QStringLiteral("status must be \"available\", \"away\" or \"dnd\""));
        return false;
    }
    *out = *status;
    return true;
}

// A profile text field: trimmed, NFC, at most maxLength UTF-16 units, and the
// characters display names refuse (controls, bidi overrides, invisibles)
// refused here too: both are shown beside the user's name.
bool readProfileText(const QJsonObject& p, QLatin1String key, int minLength, int maxLength, QString* out,
                     Error* error)
{
    QString text;
    if (!readString(p, key, &text, error))
        return false;
    text = text.trimmed().normalized(QString::NormalizationForm_C);
    if (text.size() < minLength) {
        *error = badRequest(QString(key) + QStringLiteral(" must not be empty"));
        return false;
    }
    if (text.size() > maxLength) {
        *error = badRequest(QString(key) + QStringLiteral(" is longer than %1 characters").arg(maxLength));
        return false;
    }
    if (QString problem = validation::displayNameProblem(text); !problem.isEmpty()) {
        problem.replace(0, int(qstrlen("displayName")), QString(key));
        *error = badRequest(problem);
        return false;
    }
    *out = std::move(text);
    return true;
}

bool readPassword(const QJsonObject& p, QLatin1String key, QString* out, Error* error)
{
    if (!readString(p, key, out, error))
        return false;
    if (out->isEmpty()) {
        *error = badRequest(QString(key) + QStringLiteral(" must not be empty"));
        return false;
    }
    if (out->toUtf8().size() > limits::kPasswordMaxBytes) {
        *error = badRequest(QString(key) +
                            QStringLiteral(" is longer than %1 bytes").arg(limits::kPasswordMaxBytes));
        return false;
    }
    return true;
}

template <typename T>
bool readUser(const QJsonObject& p, T* out, Error* error)
{
    QJsonObject json;
    if (!readObject(p, QLatin1String("user"), &json, error))
        return false;
    Result<User> user = User::fromJson(json);
    if (!user) {
        *error = user.error();
        error->message.prepend(QStringLiteral("user."));
        return false;
    }
    out->user = std::move(user).value();
    return true;
}

} // namespace

// --- enums ------------------------------------------------------------------

QString notifyLevelName(NotifyLevel level)
{
    switch (level) {
    case NotifyLevel::Mentions:
        return QStringLiteral("mentions");
    case NotifyLevel::None:
        return QStringLiteral("none");
    case NotifyLevel::All:
        break;
    }
    return QStringLiteral("all");
}

std::optional<NotifyLevel> notifyLevelFromName(const QString& name)
{
    if (name == QLatin1String("all"))
        return NotifyLevel::All;
    if (name == QLatin1String("mentions"))
        return NotifyLevel::Mentions;
    if (name == QLatin1String("none"))
        return NotifyLevel::None;
    return std::nullopt;
}

QString userStatusName(UserStatus status)
{
    switch (status) {
    case UserStatus::Away:
        return QStringLiteral("away");
    case UserStatus::Dnd:
        return QStringLiteral("dnd");
    case UserStatus::Available:
        break;
    }
    return QStringLiteral("available");
}

std::optional<UserStatus> userStatusFromName(const QString& name)
{
    if (name == QLatin1String("available"))
        return UserStatus::Available;
    if (name == QLatin1String("away"))
        return UserStatus::Away;
    if (name == QLatin1String("dnd"))
        return UserStatus::Dnd;
    return std::nullopt;
}

namespace json {

bool readUserAttentionFields(const QJsonObject& json, User* user, Error* error)
{
    if (json.contains(kStatusText) && !readString(json, kStatusText, &user->statusText, error))
        return false;
    if (json.contains(kStatus) && !readStatus(json, &user->status, error))
        return false;
    if (!absent(json.value(kSendReceipts))) {
        bool on = true;
        if (!readBool(json, kSendReceipts, &on, error))
            return false;
        user->sendReceipts = on;
    }
    return true;
}

bool readRoomNotify(const QJsonObject& json, NotifyLevel* notify, Error* error)
{
    return !json.contains(kNotify) || readNotify(json, notify, error);
}

} // namespace json

// --- requests ---------------------------------------------------------------

Result<SetRoomSettingsRequest> SetRoomSettingsRequest::fromPayload(const QJsonObject& p)
{
    SetRoomSettingsRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readNotify(p, &r.notify, &e))
        return e;
    return r;
}

QJsonObject SetRoomSettingsRequest::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {kNotify, notifyLevelName(notify)}};
}

Result<FetchReceiptsRequest> FetchReceiptsRequest::fromPayload(const QJsonObject& p)
{
    FetchReceiptsRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e))
        return e;
    return r;
}

QJsonObject FetchReceiptsRequest::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}};
}

Result<SetProfileRequest> SetProfileRequest::fromPayload(const QJsonObject& p)
{
    SetProfileRequest r;
    Error e;
    QString text;
    if (!absent(p.value(kDisplayName))) {
        if (!readProfileText(p, kDisplayName, 1, limits::kDisplayNameMaxLength, &text, &e))
            return e;
        r.displayName = text;
    }
    if (!absent(p.value(kStatusText))) {
        if (!readProfileText(p, kStatusText, 0, limits::kStatusTextMaxLength, &text, &e))
            return e;
        r.statusText = text;
    }
    if (!absent(p.value(kStatus))) {
        UserStatus status = UserStatus::Available;
        if (!readStatus(p, &status, &e))
            return e;
        r.status = status;
    }
    if (!absent(p.value(kSendReceipts))) {
        bool on = true;
        if (!readBool(p, kSendReceipts, &on, &e))
            return e;
        r.sendReceipts = on;
    }
    return r;
}

QJsonObject SetProfileRequest::toPayload() const
{
    QJsonObject p;
    if (displayName)
        p.insert(kDisplayName, *displayName);
    if (statusText)
        p.insert(kStatusText, *statusText);
    if (status)
        p.insert(kStatus, userStatusName(*status));
    if (sendReceipts)
        p.insert(kSendReceipts, *sendReceipts);
    return p;
}

Result<ChangePasswordRequest> ChangePasswordRequest::fromPayload(const QJsonObject& p)
{
    ChangePasswordRequest r;
    Error e;
    if (!readPassword(p, QLatin1String("oldPassword"), &r.oldPassword, &e) ||
        !readPassword(p, QLatin1String("newPassword"), &r.newPassword, &e))
        return e;
    return r;
}

QJsonObject ChangePasswordRequest::toPayload() const
{
    return {{QLatin1String("oldPassword"), oldPassword}, {QLatin1String("newPassword"), newPassword}};
}

// --- replies and events -----------------------------------------------------

QJsonObject RoomSettingsEvent::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {kNotify, notifyLevelName(notify)}};
}

Result<RoomSettingsEvent> RoomSettingsEvent::fromPayload(const QJsonObject& p)
{
    RoomSettingsEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readNotify(p, &r.notify, &e))
        return e;
    return r;
}

bool operator==(const RoomSettingsEvent& a, const RoomSettingsEvent& b)
{
    return a.roomId == b.roomId && a.notify == b.notify;
}

QJsonObject ReceiptMarker::toJson() const
{
    return {{kUserId, idToJson(userId)}, {kMessageId, idToJson(messageId)}};
}

Result<ReceiptMarker> ReceiptMarker::fromJson(const QJsonObject& json)
{
    ReceiptMarker m;
    Error e;
    if (!readId(json, kUserId, &m.userId, &e) || !readId(json, kMessageId, &m.messageId, &e))
        return e;
    return m;
}

bool operator==(const ReceiptMarker& a, const ReceiptMarker& b)
{
    return a.userId == b.userId && a.messageId == b.messageId;
}

QJsonObject ReceiptsReply::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {QLatin1String("markers"), toJsonArray(markers)}};
}

Result<ReceiptsReply> ReceiptsReply::fromPayload(const QJsonObject& p)
{
    ReceiptsReply r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readList(p, QLatin1String("markers"), &r.markers, &e))
        return e;
    return r;
}

QJsonObject ReceiptEvent::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {kUserId, idToJson(userId)}, {kMessageId, idToJson(messageId)}};
}

Result<ReceiptEvent> ReceiptEvent::fromPayload(const QJsonObject& p)
{
    ReceiptEvent r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, kUserId, &r.userId, &e) ||
        !readId(p, kMessageId, &r.messageId, &e))
        return e;
    return r;
}

bool operator==(const ReceiptEvent& a, const ReceiptEvent& b)
{
    return a.roomId == b.roomId && a.userId == b.userId && a.messageId == b.messageId;
}

QJsonObject UserReply::toPayload() const
{
    return {{QLatin1String("user"), user.toJson()}};
}

Result<UserReply> UserReply::fromPayload(const QJsonObject& p)
{
    UserReply r;
    Error e;
    if (!readUser(p, &r, &e))
        return e;
    return r;
}

QJsonObject UserUpdatedEvent::toPayload() const
{
    return {{QLatin1String("user"), user.toJson()}};
}

Result<UserUpdatedEvent> UserUpdatedEvent::fromPayload(const QJsonObject& p)
{
    UserUpdatedEvent r;
    Error e;
    if (!readUser(p, &r, &e))
        return e;
    return r;
}

QJsonObject ServerPolicy::toJson() const
{
    return {{QLatin1String("editWindowS"), editWindowS},
            {QLatin1String("deleteWindowS"), deleteWindowS},
            {QLatin1String("receipts"), receipts}};
}

Result<ServerPolicy> ServerPolicy::fromJson(const QJsonObject& json)
{
    ServerPolicy r;
    Error e;
    if (!readInt64(json, QLatin1String("editWindowS"), &r.editWindowS, &e) ||
        !readInt64(json, QLatin1String("deleteWindowS"), &r.deleteWindowS, &e) ||
        !readBool(json, QLatin1String("receipts"), &r.receipts, &e))
        return e;
    return r;
}

bool operator==(const ServerPolicy& a, const ServerPolicy& b)
{
    return a.editWindowS == b.editWindowS && a.deleteWindowS == b.deleteWindowS && a.receipts == b.receipts;
}

} // namespace confab
