#pragma once

#include "protocol/result.h"

#include <QString>

// The refusals SqlStore's rule checks share, so that every request answers a
// given case with the same code and words.
namespace confab::server::store_errors {

inline Error forbidden(const char* why)
{
    return makeError(ErrorCode::Forbidden, QString::fromLatin1(why));
}

inline Error notAMember()
{
    return makeError(ErrorCode::NotFound, QStringLiteral("no such member of this room"));
}

} // namespace confab::server::store_errors
