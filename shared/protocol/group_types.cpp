#include "protocol/group_types.h"

#include "protocol/types.h"

#include <array>
#include <utility>

namespace confab {

using namespace json;

namespace {

Error badRequest(QString message)
{
    return makeError(ErrorCode::BadRequest, std::move(message));
}

constexpr std::array<std::pair<SystemAction, const char*>, 10> kActions{{
    {SystemAction::Created, "created"},
    {SystemAction::MemberAdded, "member_added"},
    {SystemAction::MemberRemoved, "member_removed"},
    {SystemAction::MemberLeft, "member_left"},
    {SystemAction::RoleChanged, "role_changed"},
    {SystemAction::OwnerChanged, "owner_changed"},
    {SystemAction::Renamed, "renamed"},
    {SystemAction::TopicChanged, "topic_changed"},
    {SystemAction::Pinned, "pinned"},
    {SystemAction::Unpinned, "unpinned"},
}};

// Reads `key` as an optional string: absent or null -> nullopt.
bool readOptionalString(const QJsonObject& json, QLatin1String key, std::optional<QString>* out, Error* error)
{
    const QJsonValue value = json.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    QString text;
    if (!readString(json, key, &text, error))
        return false;
    *out = std::move(text);
    return true;
}

} // namespace

QString memberRoleName(MemberRole role)
{
    switch (role) {
    case MemberRole::Owner:
        return QStringLiteral("owner");
    case MemberRole::Admin:
        return QStringLiteral("admin");
    case MemberRole::Member:
        break;
    }
    return QStringLiteral("member");
}

std::optional<MemberRole> memberRoleFromName(const QString& name)
{
    for (MemberRole role : {MemberRole::Owner, MemberRole::Admin, MemberRole::Member}) {
        if (name == memberRoleName(role))
            return role;
    }
    return std::nullopt;
}

QString roomVisibilityName(RoomVisibility visibility)
{
    return visibility == RoomVisibility::Public ? QStringLiteral("public") : QStringLiteral("private");
}

std::optional<RoomVisibility> roomVisibilityFromName(const QString& name)
{
    if (name == QLatin1String("private"))
        return RoomVisibility::Private;
    if (name == QLatin1String("public"))
        return RoomVisibility::Public;
    return std::nullopt;
}

QString systemActionName(SystemAction action)
{
    for (const auto& [value, name] : kActions) {
        if (value == action)
            return QString::fromLatin1(name);
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<SystemAction> systemActionFromName(const QString& name)
{
    for (const auto& [value, text] : kActions) {
        if (name == QLatin1String(text))
            return value;
    }
    return std::nullopt;
}

// --- SystemInfo ----------------------------------------------------------

QJsonObject SystemInfo::toJson() const
{
    QJsonObject json{{QLatin1String("action"), systemActionName(action)},
                     {QLatin1String("actorId"), idToJson(actorId)}};
    if (!userIds.isEmpty()) {
        QJsonArray ids;
        for (Id id : userIds)
            ids.append(idToJson(id));
        json.insert(QLatin1String("userIds"), ids);
    }
    if (name)
        json.insert(QLatin1String("name"), *name);
    if (topic)
        json.insert(QLatin1String("topic"), *topic);
    if (messageId)
        json.insert(QLatin1String("messageId"), idToJson(*messageId));
    if (role)
        json.insert(QLatin1String("role"), memberRoleName(*role));
    return json;
}

Result<SystemInfo> SystemInfo::fromJson(const QJsonObject& json)
{
    SystemInfo s;
    Error e;
    QString action;
    if (!readString(json, QLatin1String("action"), &action, &e) ||
        !readId(json, QLatin1String("actorId"), &s.actorId, &e))
        return e;
    const std::optional<SystemAction> known = systemActionFromName(action);
    if (!known)
        return badRequest(QStringLiteral("action must be one of the system actions"));
    s.action = *known;
    const QJsonValue ids = json.value(QLatin1String("userIds"));
    if (!ids.isUndefined() && !ids.isNull()) {
        if (!ids.isArray())
            return badRequest(QStringLiteral("userIds must be an array of ids"));
        for (const QJsonValue& value : ids.toArray()) {
            Id id = 0;
            if (!parseId(value, &id))
                return badRequest(QStringLiteral("userIds must hold ids"));
            s.userIds.append(id);
        }
    }
    if (!readOptionalString(json, QLatin1String("name"), &s.name, &e) ||
        !readOptionalString(json, QLatin1String("topic"), &s.topic, &e) ||
        !readOptionalId(json, QLatin1String("messageId"), &s.messageId, &e))
        return e;
    std::optional<QString> role;
    if (!readOptionalString(json, QLatin1String("role"), &role, &e))
        return e;
    if (role) {
        s.role = memberRoleFromName(*role);
        if (!s.role)
            return badRequest(QStringLiteral("role must be \"owner\", \"admin\" or \"member\""));
    }
    return s;
}

bool operator==(const SystemInfo& a, const SystemInfo& b)
{
    return a.action == b.action && a.actorId == b.actorId && a.userIds == b.userIds && a.name == b.name &&
           a.topic == b.topic && a.messageId == b.messageId && a.role == b.role;
}

// --- PublicRoom ----------------------------------------------------------

QJsonObject PublicRoom::toJson() const
{
    return {{QLatin1String("id"), idToJson(id)},
            {QLatin1String("name"), name},
            {QLatin1String("topic"), topic},
            {QLatin1String("memberCount"), memberCount}};
}

Result<PublicRoom> PublicRoom::fromJson(const QJsonObject& json)
{
    PublicRoom r;
    Error e;
    if (!readId(json, QLatin1String("id"), &r.id, &e) ||
        !readString(json, QLatin1String("name"), &r.name, &e) ||
        !readString(json, QLatin1String("topic"), &r.topic, &e) ||
        !readInt(json, QLatin1String("memberCount"), &r.memberCount, &e))
        return e;
    return r;
}

bool operator==(const PublicRoom& a, const PublicRoom& b)
{
    return a.id == b.id && a.name == b.name && a.topic == b.topic && a.memberCount == b.memberCount;
}

} // namespace confab

namespace confab::json {

bool readMemberRole(const QJsonObject& json, User* user, Error* error)
{
    std::optional<QString> name;
    if (!readOptionalString(json, QLatin1String("role"), &name, error))
        return false;
    if (!name)
        return true;
    user->role = memberRoleFromName(*name);
    if (!user->role) {
        *error = badRequest(QStringLiteral("role must be \"owner\", \"admin\" or \"member\""));
        return false;
    }
    return true;
}

void writeMemberRole(QJsonObject& json, const User& user)
{
    if (user.role)
        json.insert(QLatin1String("role"), memberRoleName(*user.role));
}

bool readRoomGroupFields(const QJsonObject& json, Room* room, Error* error)
{
    std::optional<QString> topic;
    std::optional<QString> visibility;
    if (!readOptionalString(json, QLatin1String("topic"), &topic, error) ||
        !readOptionalString(json, QLatin1String("visibility"), &visibility, error))
        return false;
    room->topic = topic.value_or(QString());
    if (visibility) {
        const std::optional<RoomVisibility> known = roomVisibilityFromName(*visibility);
        if (!known) {
            *error = badRequest(QStringLiteral("visibility must be \"private\" or \"public\""));
            return false;
        }
        room->visibility = *known;
    }
    return true;
}

void writeRoomGroupFields(QJsonObject& json, const Room& room)
{
    json.insert(QLatin1String("topic"), room.topic);
    json.insert(QLatin1String("visibility"), roomVisibilityName(room.visibility));
}

bool readMessageSystem(const QJsonObject& json, Message* message, Error* error)
{
    const QJsonValue value = json.value(QLatin1String("system"));
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isObject()) {
        *error = badRequest(QStringLiteral("system must be an object or null"));
        return false;
    }
    Result<SystemInfo> system = SystemInfo::fromJson(value.toObject());
    if (!system) {
        *error = system.error();
        error->message.prepend(QStringLiteral("system."));
        return false;
    }
    message->system = std::move(system).value();
    return true;
}

void writeMessageSystem(QJsonObject& json, const Message& message)
{
    if (message.system)
        json.insert(QLatin1String("system"), message.system->toJson());
}

} // namespace confab::json
