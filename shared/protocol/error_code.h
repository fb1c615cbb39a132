#pragma once

#include <QString>

#include <optional>

namespace confab {

// The contract's error codes (docs/protocol.md, "Errors"). Append only: never
// rename or reuse a code, clients switch on the names.
enum class ErrorCode {
    BadRequest,
    Unauthenticated,
    InvalidCredentials,
    Conflict,
    Forbidden,
    NotFound,
    TooLarge,
    RateLimited,
    Internal,
    // Extension: the server's database is unreachable; nothing was stored, retry later.
    Unavailable,
};

// Wire name of a code, e.g. "bad_request".
QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(const QString& name);

} // namespace confab
