#pragma once

#include <QString>

namespace confab::client {

// How well a quick-switcher query matches a name, best last. Case-insensitive
// through Unicode case folding (what the server's search folds with), so
// "ÉQUIPE" finds "équipe"; scripts without case (Chinese) match as typed.
enum class NameMatch {
    None,
    Fuzzy,     // the query's characters appear in order ("dsgn" in "design")
    Inner,     // a substring inside a word ("sign" in "design")
    WordStart, // a substring at the start of a later word ("rev" in "design review")
    Prefix,    // the name starts with it
    Exact,     // the whole name
};

// `foldedQuery` must already be folded (foldForMatch) and not empty.
NameMatch matchName(const QString& name, const QString& foldedQuery);
QString foldForMatch(const QString& text);

} // namespace confab::client
