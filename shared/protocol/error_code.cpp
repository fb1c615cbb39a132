#include "protocol/error_code.h"

#include <QLatin1String>
#include <array>
#include <utility>

namespace confab {

namespace {

// Index order follows the enum; a static_assert below keeps the two in step.
constexpr std::array<std::pair<ErrorCode, QLatin1String>, 10> kNames{{
    {ErrorCode::BadRequest, QLatin1String("bad_request")},
    {ErrorCode::Unauthenticated, QLatin1String("unauthenticated")},
    {ErrorCode::InvalidCredentials, QLatin1String("invalid_credentials")},
    {ErrorCode::Conflict, QLatin1String("conflict")},
    {ErrorCode::Forbidden, QLatin1String("forbidden")},
    {ErrorCode::NotFound, QLatin1String("not_found")},
    {ErrorCode::TooLarge, QLatin1String("too_large")},
    {ErrorCode::RateLimited, QLatin1String("rate_limited")},
    {ErrorCode::Internal, QLatin1String("internal")},
    {ErrorCode::Unavailable, QLatin1String("unavailable")},
}};

static_assert(static_cast<std::size_t>(ErrorCode::Unavailable) + 1 == kNames.size(),
              "every ErrorCode needs a wire name");

} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto& [value, name] : kNames) {
        if (value == code)
            return name;
    }
    return QStringLiteral("internal");
}

std::optional<ErrorCode> errorCodeFromName(const QString& name)
{
    for (const auto& [value, wireName] : kNames) {
        if (name == wireName)
            return value;
    }
    return std::nullopt;
}

} // namespace confab
