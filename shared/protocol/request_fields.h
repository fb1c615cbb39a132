#pragma once

#include "protocol/types.h"

// Field rules shared by several requests (requests.cpp, lifecycle.cpp), so
// that send_message and edit_message refuse the same content with the same
// error, and every paged request clamps its limit alike.
namespace confab::json {

// `limit`: absent or null -> fallback; a number is truncated and clamped into
// [1, max]; any other type is bad_request.
bool readPageLimit(const QJsonObject& p, int fallback, int max, int* out, Error* error);
// `content` of a message: visible text (bad_request when blank), at most
// contentMaxLength UTF-16 units (too_large), no control characters or lone
// surrogates (bad_request naming the first).
bool readMessageContent(const QJsonObject& p, int contentMaxLength, QString* out, Error* error);
// `mentions`, optional: an array of at most limits::kMaxMentions spans, only
// type-checked (the server verifies each span against the room).
bool readMentionSpans(const QJsonObject& p, QList<Mention>* out, Error* error);

} // namespace confab::json
