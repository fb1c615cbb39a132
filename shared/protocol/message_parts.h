#pragma once

#include "protocol/types.h"

// The message fields of the contract's second part (message changes):
// revision, reactions, kind and replyPreview. Kept apart from types.cpp.
namespace confab::json {

// Reads them into *message. A peer that speaks only the core contract sends
// none of them: each may be absent (revision 0, no reactions, "text", no
// preview), but a present one must be well-typed.
bool readMessageChangeFields(const QJsonObject& json, Message* message, Error* error);

} // namespace confab::json

namespace confab {
std::optional<MessageKind> messageKindFromName(const QString& name);
} // namespace confab
