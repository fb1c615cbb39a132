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

// --- message content: characters (issue 12) ---
// The first UTF-16 index of `content` that message content may not hold, or
// -1: a C0 control (U+0000-U+001F) other than tab and line feed, DEL, a C1
// control (U+0080-U+009F), or a lone surrogate (ill-formed UTF-16). A
// carriage return is allowed only as the first half of a CRLF line break.
// Why: such characters print nothing a reader needs, a bare CR or C1 code
// can rewrite what a terminal or log shows, and each C0 control or lone
// surrogate costs 6 bytes in JSON (\u0001), which let one message weigh six
// times its length in every reply that carries it.
qsizetype forbiddenContentIndex(QStringView content);

// What a client sends instead of text that forbiddenContentIndex() refuses
// (a paste from a terminal or a Windows file): each refused UTF-16 unit
// replaced in place, a bare CR by a line feed, any other control by a space,
// a lone surrogate by U+FFFD. The length and every index stay as they were,
// so @mention spans computed on the typed text still hold.
QString sanitizedContent(QString content);

// Empty when `emoji` may be a reaction (react.emoji); otherwise why not:
// 1..limits::kEmojiMaxLength UTF-16 units, no whitespace, no control
// characters, no lone surrogates. Any other text is allowed (":+1:", a flag,
// a skin-tone or ZWJ sequence): the contract names the characters refused.
QString emojiProblem(const QString& emoji);

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
