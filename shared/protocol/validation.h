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

// --- names and identity (issue 12: impersonation) --------------------------
namespace confab::validation {

// The form a username is stored and shown in: Unicode NFC, so that "é" typed
// as one code point or as "e" + U+0301 is the same name.
QString normalizeUsername(const QString& username);

// The key that makes usernames unique and finds them at login: compatibility
// normalisation (NFKC, so fullwidth "ａｌｉｃｅ" is "alice"), Unicode case
// folding, then NFC. Idempotent; equal keys mean "the same name" to everyone.
QString usernameKey(const QString& username);

// Empty when `displayName` may be shown to others; otherwise why not (for a
// bad_request). Refused: control characters (C0, DEL, C1, line and paragraph
// separators), bidirectional formatting (embeddings, overrides, isolates and
// the marks LRM, RLM, ALM), invisible characters that make two names look
// alike (zero width space, word joiner, invisible operators, BOM, Hangul
// fillers) and broken UTF-16. ZWNJ and ZWJ stay: Persian, Indic scripts and
// emoji sequences need them.
QString displayNameProblem(const QString& displayName);

} // namespace confab::validation
