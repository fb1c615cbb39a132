#include "protocol/requests.h"

#include "protocol/request_fields.h"

#include "protocol/validation.h"

#include <QJsonArray>
#include <QSet>
#include <algorithm>
#include <cmath>

namespace confab {

using namespace json;

namespace {

constexpr QLatin1String kRoomId("roomId");
constexpr QLatin1String kBeforeId("beforeId");
constexpr QLatin1String kAfterId("afterId");
constexpr QLatin1String kLimit("limit");
constexpr QLatin1String kQuery("query");

Error badRequest(QString message)
{
    return makeError(ErrorCode::BadRequest, std::move(message));
}

QString longerThan(QLatin1String field, int max, const char* unit)
{
    return QString(field) + QStringLiteral(" is longer than ") + QString::number(max) + QLatin1Char(' ') +
           QLatin1String(unit);
}

} // namespace

namespace json {

bool readPageLimit(const QJsonObject& p, int fallback, int max, int* out, Error* error)
{
    const QJsonValue value = p.value(kLimit);
    if (value.isUndefined() || value.isNull()) {
        *out = fallback;
        return true;
    }
    if (!value.isDouble()) {
        *error = badRequest(QStringLiteral("limit must be a number"));
        return false;
    }
    *out = static_cast<int>(std::clamp(std::trunc(value.toDouble()), 1.0, double(max)));
    return true;
}

bool readMessageContent(const QJsonObject& p, int contentMaxLength, QString* out, Error* error)
{
    QString content;
    if (!readString(p, QLatin1String("content"), &content, error))
        return false;
    if (!validation::hasVisibleContent(content)) {
        *error = badRequest(QStringLiteral("content is empty"));
        return false;
    }
    if (content.size() > contentMaxLength) {
        *error = makeError(ErrorCode::TooLarge, longerThan(QLatin1String("content"), contentMaxLength, "characters"));
        return false;
    }
    if (const qsizetype at = validation::forbiddenContentIndex(content); at >= 0) {
        const QString code =
            QString::number(content.at(at).unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0'));
        *error = badRequest(
            QStringLiteral("content must not contain control characters or lone surrogates (U+%1 at index %2)")
                .arg(code)
                .arg(at));
        return false;
    }
    *out = std::move(content);
    return true;
}

bool readMentionSpans(const QJsonObject& p, QList<Mention>* out, Error* error)
{
    // Spans are only type-checked here: the server drops spans that do not
    // cover "@username" of a member, as the contract says, without an error.
    const QJsonValue mentions = p.value(QLatin1String("mentions"));
    if (mentions.isUndefined() || mentions.isNull())
        return true;
    if (!mentions.isArray()) {
        *error = badRequest(QStringLiteral("mentions must be an array"));
        return false;
    }
    if (mentions.toArray().size() > limits::kMaxMentions) {
        *error = badRequest(QStringLiteral("mentions has more than %1 entries").arg(limits::kMaxMentions));
        return false;
    }
    return readList(p, QLatin1String("mentions"), out, error);
}

bool readTrimmed(const QJsonObject& p, QLatin1String key, int minLength, int maxLength, QString* out,
                 Error* error)
{
    QString text;
    if (!readString(p, key, &text, error))
        return false;
    text = text.trimmed();
    if (text.size() < minLength) {
        *error = badRequest(QString(key) + QStringLiteral(" must not be empty"));
        return false;
    }
    if (text.size() > maxLength) {
        *error = badRequest(longerThan(key, maxLength, "characters"));
        return false;
    }
    *out = std::move(text);
    return true;
}

bool readIdList(const QJsonObject& p, QLatin1String key, int maxCount, QList<Id>* out, Error* error)
{
    const QJsonValue value = p.value(key);
    if (value.isUndefined() || value.isNull()) {
        out->clear();
        return true;
    }
    if (!value.isArray()) {
        *error = badRequest(QString(key) + QStringLiteral(" must be an array of ids"));
        return false;
    }
    const QJsonArray ids = value.toArray();
    if (ids.size() > maxCount) {
        *error = badRequest(QStringLiteral("%1 has more than %2 entries").arg(QString(key)).arg(maxCount));
        return false;
    }
    QList<Id> list;
    QSet<Id> seen;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        Id id = 0;
        if (!parseId(ids.at(i), &id)) {
            *error = badRequest(QStringLiteral("%1[%2] must be an id").arg(QString(key)).arg(i));
            return false;
        }
        if (!seen.contains(id)) {
            seen.insert(id);
            list.append(id);
        }
    }
    *out = std::move(list);
    return true;
}

bool readTopic(const QJsonObject& p, std::optional<QString>* out, Error* error)
{
    const QLatin1String key("topic");
    const QJsonValue value = p.value(key);
    if (value.isUndefined() || value.isNull()) {
        *out = std::nullopt;
        return true;
    }
    QString topic;
    if (!readTrimmed(p, key, 0, limits::kTopicMaxLength, &topic, error))
        return false;
    if (const qsizetype at = validation::forbiddenContentIndex(topic); at >= 0) {
        *error = badRequest(QStringLiteral("topic has a control character or a lone surrogate at %1").arg(at));
        return false;
    }
    *out = std::move(topic);
    return true;
}

bool readVisibility(const QJsonObject& p, std::optional<RoomVisibility>* out, Error* error)
{
    const QLatin1String key("visibility");
    const QJsonValue value = p.value(key);
    if (value.isUndefined() || value.isNull()) {
        *out = std::nullopt;
        return true;
    }
    *out = value.isString() ? roomVisibilityFromName(value.toString()) : std::nullopt;
    if (!*out) {
        *error = badRequest(QStringLiteral("visibility must be \"private\" or \"public\""));
        return false;
    }
    return true;
}

} // namespace json

namespace {

void insertOptionalId(QJsonObject* p, QLatin1String key, const std::optional<Id>& id)
{
    if (id)
        p->insert(key, idToJson(*id));
}

} // namespace

// --- register, login, auth -----------------------------------------------

Result<RegisterRequest> RegisterRequest::fromPayload(const QJsonObject& p)
{
    RegisterRequest r;
    Error e;
    if (!readString(p, QLatin1String("username"), &r.username, &e))
        return e;
    // NFC first: the rules and the 32 code points apply to the stored form.
    r.username = validation::normalizeUsername(r.username);
    if (!validation::isValidUsername(r.username))
        return badRequest(QStringLiteral("username must be 1-32 letters, digits, '_', '.' or '-'"));
    if (!readString(p, QLatin1String("password"), &r.password, &e))
        return e;
    if (r.password.isEmpty())
        return badRequest(QStringLiteral("password must not be empty"));
    if (r.password.toUtf8().size() > limits::kPasswordMaxBytes)
        return badRequest(longerThan(QLatin1String("password"), limits::kPasswordMaxBytes, "bytes"));

    const QJsonValue displayName = p.value(QLatin1String("displayName"));
    if (!displayName.isUndefined() && !displayName.isNull()) {
        if (!displayName.isString())
            return badRequest(QStringLiteral("displayName must be a string"));
        r.displayName = displayName.toString().trimmed().normalized(QString::NormalizationForm_C);
        if (r.displayName.size() > limits::kDisplayNameMaxLength)
            return badRequest(
                longerThan(QLatin1String("displayName"), limits::kDisplayNameMaxLength, "characters"));
        if (const QString problem = validation::displayNameProblem(r.displayName); !problem.isEmpty())
            return badRequest(problem);
    }
    if (r.displayName.isEmpty())
        r.displayName = r.username;
    const QJsonValue invite = p.value(QLatin1String("invite"));
    if (!invite.isUndefined() && !invite.isNull()) {
        if (!invite.isString())
            return badRequest(QStringLiteral("invite must be a string"));
        r.invite = invite.toString().trimmed();
        if (r.invite.size() > limits::kInviteMaxLength)
            return badRequest(longerThan(QLatin1String("invite"), limits::kInviteMaxLength, "characters"));
    }
    return r;
}

QJsonObject RegisterRequest::toPayload() const
{
    QJsonObject p{{QLatin1String("username"), username}, {QLatin1String("password"), password}};
    if (!displayName.isEmpty())
        p.insert(QLatin1String("displayName"), displayName);
    if (!invite.isEmpty())
        p.insert(QLatin1String("invite"), invite);
    return p;
}

Result<LoginRequest> LoginRequest::fromPayload(const QJsonObject& p)
{
    LoginRequest r;
    Error e;
    if (!readString(p, QLatin1String("username"), &r.username, &e) ||
        !readString(p, QLatin1String("password"), &r.password, &e))
        return e;
    // Refused before anything is hashed: argon2 would take any length.
    if (r.password.toUtf8().size() > limits::kPasswordMaxBytes)
        return badRequest(longerThan(QLatin1String("password"), limits::kPasswordMaxBytes, "bytes"));
    return r;
}

QJsonObject LoginRequest::toPayload() const
{
    return {{QLatin1String("username"), username}, {QLatin1String("password"), password}};
}

Result<AuthRequest> AuthRequest::fromPayload(const QJsonObject& p)
{
    AuthRequest r;
    Error e;
    if (!readString(p, QLatin1String("token"), &r.token, &e))
        return e;
    if (r.token.isEmpty())
        return badRequest(QStringLiteral("token must not be empty"));
    if (r.token.size() > limits::kTokenMaxLength)
        return badRequest(longerThan(QLatin1String("token"), limits::kTokenMaxLength, "characters"));
    return r;
}

QJsonObject AuthRequest::toPayload() const
{
    return {{QLatin1String("token"), token}};
}

// --- rooms ----------------------------------------------------------------

Result<CreateRoomRequest> CreateRoomRequest::fromPayload(const QJsonObject& p)
{
    CreateRoomRequest r;
    Error e;
    std::optional<QString> topic;
    std::optional<RoomVisibility> visibility;
    if (!readTrimmed(p, QLatin1String("name"), 1, limits::kRoomNameMaxLength, &r.name, &e) ||
        !readIdList(p, QLatin1String("memberIds"), limits::kMaxRoomMembers, &r.memberIds, &e) ||
        !readTopic(p, &topic, &e) || !readVisibility(p, &visibility, &e))
        return e;
    r.topic = topic.value_or(QString());
    r.visibility = visibility.value_or(RoomVisibility::Private);
    return r;
}

QJsonObject CreateRoomRequest::toPayload() const
{
    QJsonArray ids;
    for (const Id id : memberIds)
        ids.append(idToJson(id));
    QJsonObject p{{QLatin1String("name"), name}, {QLatin1String("memberIds"), ids}};
    if (!topic.isEmpty())
        p.insert(QLatin1String("topic"), topic);
    if (visibility != RoomVisibility::Private)
        p.insert(QLatin1String("visibility"), roomVisibilityName(visibility));
    return p;
}

Result<OpenDmRequest> OpenDmRequest::fromPayload(const QJsonObject& p)
{
    OpenDmRequest r;
    Error e;
    if (!readId(p, QLatin1String("userId"), &r.userId, &e))
        return e;
    return r;
}

QJsonObject OpenDmRequest::toPayload() const
{
    return {{QLatin1String("userId"), idToJson(userId)}};
}

Result<RoomRefRequest> RoomRefRequest::fromPayload(const QJsonObject& p)
{
    RoomRefRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e))
        return e;
    return r;
}

QJsonObject RoomRefRequest::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}};
}

// --- messages -------------------------------------------------------------

Result<SendMessageRequest> SendMessageRequest::fromPayload(const QJsonObject& p, int contentMaxLength)
{
    SendMessageRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readAttachmentRefs(p, &r.attachments, &e))
        return e;
    // Files: a message that carries attachments may say nothing.
    const bool emptyWithFiles =
        !r.attachments.isEmpty() && p.value(QLatin1String("content")) == QJsonValue(QString());
    if (emptyWithFiles)
        r.content = QStringLiteral(""); // empty, not null: stored as ''
    else if (!readMessageContent(p, contentMaxLength, &r.content, &e))
        return e;
    if (!readString(p, QLatin1String("tempId"), &r.tempId, &e))
        return e;
    if (r.tempId.isEmpty())
        return badRequest(QStringLiteral("tempId must not be empty"));
    if (r.tempId.size() > limits::kTempIdMaxLength)
        return badRequest(longerThan(QLatin1String("tempId"), limits::kTempIdMaxLength, "characters"));

    if (!readMentionSpans(p, &r.mentions, &e))
        return e;
    if (!readOptionalId(p, QLatin1String("replyTo"), &r.replyTo, &e))
        return e;
    return r;
}

QJsonObject SendMessageRequest::toPayload() const
{
    QJsonObject p{
        {kRoomId, idToJson(roomId)},
        {QLatin1String("content"), content},
        {QLatin1String("tempId"), tempId},
    };
    if (!mentions.isEmpty())
        p.insert(QLatin1String("mentions"), toJsonArray(mentions));
    insertOptionalId(&p, QLatin1String("replyTo"), replyTo);
    if (!attachments.isEmpty())
        p.insert(QLatin1String("attachments"), toJsonArray(attachments));
    return p;
}

Result<FetchMessagesRequest> FetchMessagesRequest::fromPayload(const QJsonObject& p, int maxLimit)
{
    FetchMessagesRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readOptionalId(p, kBeforeId, &r.beforeId, &e) ||
        !readOptionalId(p, kAfterId, &r.afterId, &e))
        return e;
    if (r.beforeId && r.afterId)
        return badRequest(QStringLiteral("beforeId and afterId cannot be combined"));
    if (!readPageLimit(p, std::min(limits::kHistoryDefaultLimit, maxLimit), maxLimit, &r.limit, &e))
        return e;
    return r;
}

QJsonObject FetchMessagesRequest::toPayload() const
{
    QJsonObject p{{kRoomId, idToJson(roomId)}, {kLimit, limit}};
    insertOptionalId(&p, kBeforeId, beforeId);
    insertOptionalId(&p, kAfterId, afterId);
    return p;
}

Result<MarkReadRequest> MarkReadRequest::fromPayload(const QJsonObject& p)
{
    MarkReadRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readId(p, QLatin1String("messageId"), &r.messageId, &e))
        return e;
    return r;
}

QJsonObject MarkReadRequest::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {QLatin1String("messageId"), idToJson(messageId)}};
}

Result<ListMentionsRequest> ListMentionsRequest::fromPayload(const QJsonObject& p, int maxLimit)
{
    ListMentionsRequest r;
    Error e;
    if (!readOptionalId(p, kBeforeId, &r.beforeId, &e) ||
        !readPageLimit(p, std::min(limits::kHistoryDefaultLimit, maxLimit), maxLimit, &r.limit, &e))
        return e;
    return r;
}

QJsonObject ListMentionsRequest::toPayload() const
{
    QJsonObject p{{kLimit, limit}};
    insertOptionalId(&p, kBeforeId, beforeId);
    return p;
}

Result<TypingRequest> TypingRequest::fromPayload(const QJsonObject& p)
{
    TypingRequest r;
    Error e;
    if (!readId(p, kRoomId, &r.roomId, &e) || !readBool(p, QLatin1String("isTyping"), &r.isTyping, &e))
        return e;
    return r;
}

QJsonObject TypingRequest::toPayload() const
{
    return {{kRoomId, idToJson(roomId)}, {QLatin1String("isTyping"), isTyping}};
}

// --- search ---------------------------------------------------------------

Result<SearchUsersRequest> SearchUsersRequest::fromPayload(const QJsonObject& p)
{
    SearchUsersRequest r;
    Error e;
    if (!readTrimmed(p, kQuery, 0, limits::kQueryMaxLength, &r.query, &e) ||
        !readOptionalId(p, kRoomId, &r.roomId, &e) ||
        !readPageLimit(p, limits::kUsersDefaultLimit, limits::kUsersMaxLimit, &r.limit, &e))
        return e;
    return r;
}

QJsonObject SearchUsersRequest::toPayload() const
{
    QJsonObject p{{kQuery, query}, {kLimit, limit}};
    insertOptionalId(&p, kRoomId, roomId);
    return p;
}

Result<SearchMessagesRequest> SearchMessagesRequest::fromPayload(const QJsonObject& p, int maxLimit)
{
    SearchMessagesRequest r;
    Error e;
    if (!readTrimmed(p, kQuery, 1, limits::kQueryMaxLength, &r.query, &e) ||
        !readOptionalId(p, kRoomId, &r.roomId, &e) || !readOptionalId(p, kBeforeId, &r.beforeId, &e) ||
        !readPageLimit(p, std::min(limits::kSearchDefaultLimit, maxLimit), maxLimit, &r.limit, &e))
        return e;
    return r;
}

QJsonObject SearchMessagesRequest::toPayload() const
{
    QJsonObject p{{kQuery, query}, {kLimit, limit}};
    insertOptionalId(&p, kRoomId, roomId);
    insertOptionalId(&p, kBeforeId, beforeId);
    return p;
}

} // namespace confab
