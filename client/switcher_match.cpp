#include "switcher_match.h"

#include <QList>

namespace confab::client {

namespace {

// A word starts after anything that is not a letter or digit: "design-review",
// "design review" and "design_review" all have a word "review".
bool startsWord(const QString& text, qsizetype at)
{
    return at == 0 || !text.at(at - 1).isLetterOrNumber();
}

// The query's non-space characters, in order, anywhere in `name` (both folded).
// Code points, so an emoji or a CJK Extension B character counts once.
bool isSubsequence(const QString& name, const QString& query)
{
    const QList<uint> haystack = name.toUcs4();
    qsizetype at = 0;
    for (const uint wanted : query.toUcs4()) {
        if (QChar::isSpace(wanted))
            continue;
        while (at < haystack.size() && haystack.at(at) != wanted)
            ++at;
        if (at == haystack.size())
            return false;
        ++at;
    }
    return true;
}

} // namespace

QString foldForMatch(const QString& text)
{
    return text.trimmed().toCaseFolded();
}

NameMatch matchName(const QString& name, const QString& foldedQuery)
{
    if (foldedQuery.isEmpty())
        return NameMatch::None;
    const QString folded = name.toCaseFolded();
    if (folded == foldedQuery)
        return NameMatch::Exact;
    NameMatch best = NameMatch::None;
    for (qsizetype at = folded.indexOf(foldedQuery); at >= 0; at = folded.indexOf(foldedQuery, at + 1)) {
        if (at == 0)
            return NameMatch::Prefix;
        best = qMax(best, startsWord(folded, at) ? NameMatch::WordStart : NameMatch::Inner);
    }
    if (best != NameMatch::None)
        return best;
    // A single character is a substring or nothing; fuzzy from two on.
    if (foldedQuery.toUcs4().size() >= 2 && isSubsequence(folded, foldedQuery))
        return NameMatch::Fuzzy;
    return NameMatch::None;
}

} // namespace confab::client
