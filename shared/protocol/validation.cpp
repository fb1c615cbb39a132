#include "protocol/validation.h"

#include "protocol/limits.h"

namespace confab::validation {

namespace {

bool isCombiningMark(char32_t cp)
{
    const QChar::Category category = QChar::category(cp);
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining;
}

bool isUsernameChar(char32_t cp, bool first)
{
    if (QChar::isLetter(cp) || QChar::category(cp) == QChar::Number_DecimalDigit)
        return true;
    if (cp == U'_' || cp == U'.' || cp == U'-')
        return true;
    // Marks complete the previous letter (Devanagari, Thai vowel signs), so
    // they may not start a name.
    return !first && isCombiningMark(cp);
}

bool isZeroWidth(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x200B && u <= 0x200D) || u == 0x2060 || u == 0xFEFF;
}

} // namespace

bool isValidUsername(const QString& username)
{
    // Counted in code points, so a name in a non-BMP script is not penalised
    // for needing two UTF-16 units per letter. (QStringIterator would do this
    // walk, but it is private API in Qt 6.4.) A lone surrogate becomes U+FFFD,
    // which is no letter, so broken UTF-16 is rejected.
    int count = 0;
    for (qsizetype i = 0; i < username.size(); ++i) {
        const QChar c = username.at(i);
        char32_t cp = c.isSurrogate() ? char32_t(QChar::ReplacementCharacter) : char32_t(c.unicode());
        if (c.isHighSurrogate() && i + 1 < username.size() && username.at(i + 1).isLowSurrogate())
            cp = QChar::surrogateToUcs4(c, username.at(++i));
        if (!isUsernameChar(cp, count == 0) || ++count > limits::kUsernameMaxLength)
            return false;
    }
    return count >= 1;
}

QString foldCase(const QString& text)
{
    return text.toCaseFolded();
}

bool mentionSpanMatches(const QString& content, const Mention& mention, const QString& username)
{
    const qsizetype start = mention.indexStart;
    const qsizetype end = mention.indexEnd;
    if (username.isEmpty() || start < 0 || start >= end || end > content.size())
        return false;
    if (end - start != username.size() + 1 || content.at(start) != QLatin1Char('@'))
        return false;
    if (QStringView(content).mid(start + 1, username.size()) != username)
        return false;
    const auto cutsPair = [&content](qsizetype at) {
        return at > 0 && at < content.size() && content.at(at - 1).isHighSurrogate() &&
               content.at(at).isLowSurrogate();
    };
    return !cutsPair(start) && !cutsPair(end);
}

bool hasVisibleContent(const QString& content)
{
    for (const QChar c : content) {
        if (!c.isSpace() && !isZeroWidth(c))
            return true;
    }
    return false;
}

qsizetype forbiddenContentIndex(QStringView content)
{
    const qsizetype size = content.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t u = content.at(i).unicode();
        if (u < 0x20) {
            if (u == u'\t' || u == u'\n')
                continue;
            if (u == u'\r' && i + 1 < size && content.at(i + 1) == QLatin1Char('\n'))
                continue;
            return i;
        }
        if (u >= 0x7F && u <= 0x9F)
            return i;
        if (QChar::isHighSurrogate(u)) {
            if (i + 1 < size && content.at(i + 1).isLowSurrogate()) {
                ++i;
                continue;
            }
            return i;
        }
        if (QChar::isLowSurrogate(u))
            return i;
    }
    return -1;
}

QString sanitizedContent(QString content)
{
    for (qsizetype i = forbiddenContentIndex(content); i >= 0;) {
        const char16_t u = content.at(i).unicode();
        content[i] = u == u'\r'                               ? QChar(u'\n')
                     : (u < 0x20 || (u >= 0x7F && u <= 0x9F)) ? QChar(u' ')
                                                              : QChar(QChar::ReplacementCharacter);
        const qsizetype next = forbiddenContentIndex(QStringView(content).mid(i + 1));
        i = next < 0 ? -1 : i + 1 + next;
    }
    return content;
}

QString emojiProblem(const QString& emoji)
{
    if (emoji.isEmpty())
        return QStringLiteral("emoji must not be empty");
    if (emoji.size() > limits::kEmojiMaxLength)
        return QStringLiteral("emoji is longer than %1 characters").arg(limits::kEmojiMaxLength);
    if (forbiddenContentIndex(emoji) >= 0)
        return QStringLiteral("emoji must not contain control characters or lone surrogates");
    for (const char32_t cp : emoji.toUcs4()) {
        // QChar::isSpace: Unicode White_Space (space, tab, line breaks, NBSP, ideographic space).
        if (QChar::isSpace(cp) || cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F))
            return QStringLiteral("emoji must not contain whitespace or control characters");
    }
    return {};
}

} // namespace confab::validation

// --- names and identity (issue 12: impersonation) --------------------------
namespace confab::validation {

namespace {

bool isControl(char32_t cp)
{
    return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

// Embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), and
// the implicit marks: a mark reorders the neutral characters around it just
// as well, and a name has no use for it that is worth the spoofing.
bool isBidiFormatting(char32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
           cp == 0x061C;
}

// Characters that render as nothing (or as blank space that is no space), so
// that "bob" and "bob" + one of them look the same.
bool isInvisible(char32_t cp)
{
    return cp == 0x200B || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF || cp == 0x115F || cp == 0x1160 ||
           cp == 0x3164 || cp == 0xFFA0;
}

} // namespace

QString normalizeUsername(const QString& username)
{
    return username.normalized(QString::NormalizationForm_C);
}

QString usernameKey(const QString& username)
{
    return username.normalized(QString::NormalizationForm_KC)
        .toCaseFolded()
        .normalized(QString::NormalizationForm_C);
}

QString displayNameProblem(const QString& displayName)
{
    for (qsizetype i = 0; i < displayName.size(); ++i) {
        const QChar c = displayName.at(i);
        char32_t cp = c.unicode();
        if (c.isSurrogate()) {
            if (!c.isHighSurrogate() || i + 1 >= displayName.size() ||
                !displayName.at(i + 1).isLowSurrogate())
                return QStringLiteral("displayName is not valid text (a lone surrogate)");
            cp = QChar::surrogateToUcs4(c, displayName.at(++i));
        }
        if (isControl(cp))
            return QStringLiteral("displayName must not contain control characters");
        if (isBidiFormatting(cp))
            return QStringLiteral("displayName must not contain bidirectional formatting characters");
        if (isInvisible(cp))
            return QStringLiteral("displayName must not contain invisible characters");
    }
    return {};
}

} // namespace confab::validation
