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
// A string that is trimmed and must then be [minLength, maxLength] UTF-16 units.
bool readTrimmed(const QJsonObject& p, QLatin1String key, int minLength, int maxLength, QString* out,
                 Error* error);
// An optional array of ids (absent or null: empty), at most maxCount entries,
// duplicates dropped in order.
bool readIdList(const QJsonObject& p, QLatin1String key, int maxCount, QList<Id>* out, Error* error);
// Group fields (contract, second part, "Groups"), each optional (absent or
// null: nullopt). `topic`: trimmed, at most kTopicMaxLength UTF-16 units,
// message content's rule for characters (line breaks allowed), "" clears it.
// `visibility`: "private" or "public".
bool readTopic(const QJsonObject& p, std::optional<QString>* out, Error* error);
bool readVisibility(const QJsonObject& p, std::optional<RoomVisibility>* out, Error* error);

} // namespace confab::json
