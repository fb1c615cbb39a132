#pragma once

#include "protocol/types.h"

#include <QString>

// Field rules that both ends apply. Pure functions over UTF-16 QStrings.
namespace confab::validation {

// 1-32 characters of letters (any script), digits, '_', '.', '-'.
bool isValidUsername(const QString& username);

// The form used for case-insensitive uniqueness, prefix search and mention
// matching of usernames/display names (Unicode case folding).
QString foldCase(const QString& text);

// True when content[indexStart, indexEnd) is exactly '@' + username, with the
// indices in UTF-16 code units (so an emoji before the mention counts as 2).
// Rejects negative, reversed and out-of-range spans, and spans that would cut
// a surrogate pair.
bool mentionSpanMatches(const QString& content, const Mention& mention, const QString& username);

// Content is non-empty and not only whitespace.
bool hasVisibleContent(const QString& content);

} // namespace confab::validation
