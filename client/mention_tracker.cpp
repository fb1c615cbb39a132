#include "mention_tracker.h"

#include "protocol/limits.h"
#include "protocol/validation.h"

#include <QVariantMap>

namespace confab::client {

namespace {

// The code point that ends at `end` (exclusive) and how many UTF-16 units it takes.
char32_t codePointBefore(const QString& text, int end, int* width)
{
    const QChar low = text.at(end - 1);
    if (low.isLowSurrogate() && end >= 2 && text.at(end - 2).isHighSurrogate()) {
        *width = 2;
        return QChar::surrogateToUcs4(text.at(end - 2), low);
    }
    *width = 1;
    return low.isSurrogate() ? char32_t(QChar::ReplacementCharacter) : char32_t(low.unicode());
}

// The characters validation::isValidUsername() accepts anywhere in a name.
bool isUsernameChar(char32_t cp)
{
    const QChar::Category category = QChar::category(cp);
    return QChar::isLetter(cp) || category == QChar::Number_DecimalDigit || cp == U'_' || cp == U'.' ||
           cp == U'-' || category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining;
}

// What may stand right before the '@' of a mention: whitespace, punctuation
// and symbols (brackets, quotes, emoji), but not a username character.
bool isMentionBoundary(char32_t cp)
{
    return !isUsernameChar(cp) && (QChar::isSpace(cp) || QChar::isPunct(cp) || QChar::isSymbol(cp));
}

} // namespace

MentionTracker::MentionTracker(QObject* parent)
    : QObject(parent)
{}

QVariantList MentionTracker::mentionsVariant() const
{
    QVariantList list;
    list.reserve(m_mentions.size());
    for (const Mention& m : m_mentions) {
        list.append(QVariantMap{{QStringLiteral("userId"), double(m.userId)},
                                {QStringLiteral("indexStart"), m.indexStart},
                                {QStringLiteral("indexEnd"), m.indexEnd}});
    }
    return list;
}

void MentionTracker::setText(const QString& text)
{
    if (text == m_text)
        return;
    // The edit: the longest common prefix, then the longest common suffix of
    // what is left, so that the two never overlap.
    const int oldSize = int(m_text.size());
    const int newSize = int(text.size());
    int prefix = 0;
    while (prefix < oldSize && prefix < newSize && m_text.at(prefix) == text.at(prefix))
        ++prefix;
    int suffix = 0;
    while (suffix < oldSize - prefix && suffix < newSize - prefix &&
           m_text.at(oldSize - 1 - suffix) == text.at(newSize - 1 - suffix))
        ++suffix;
    const QString previous = m_text;
    m_text = text;
    const bool spansChanged = applyEdit(previous, prefix, oldSize - suffix, newSize - oldSize);
    emit textChanged();
    if (spansChanged)
        emit mentionsChanged();
}

QVariantMap MentionTracker::queryAt(int cursor) const
{
    const QVariantMap inactive{{QStringLiteral("active"), false},
                               {QStringLiteral("start"), -1},
                               {QStringLiteral("query"), QString()}};
    if (cursor < 1 || cursor > m_text.size())
        return inactive;
    // Back over at most one username's worth of characters: a longer run is no query.
    int at = cursor;
    int width = 1;
    for (int n = 0; at > 0 && isUsernameChar(codePointBefore(m_text, at, &width)); ++n) {
        if (n == limits::kUsernameMaxLength)
            return inactive;
        at -= width;
    }
    if (at == 0 || m_text.at(at - 1) != QLatin1Char('@'))
        return inactive;
    const int start = at - 1;
    if (start > 0 && !isMentionBoundary(codePointBefore(m_text, start, &width)))
        return inactive; // "a@b" is an address, not a mention
    for (const Mention& m : m_mentions) {
        if (start >= m.indexStart && start < m.indexEnd)
            return inactive; // the '@' of a mention already made
    }
    const QString query = m_text.mid(start + 1, cursor - start - 1);
    if (!query.isEmpty() && !validation::isValidUsername(query))
        return inactive;
    return {
        {QStringLiteral("active"), true}, {QStringLiteral("start"), start}, {QStringLiteral("query"), query}};
}

QString MentionTracker::insertMention(int start, int cursor, double userId, const QString& username)
{
    if (start < 0 || start > cursor || cursor > m_text.size() || !validation::isValidUsername(username))
        return m_text;
    const QString inserted = QLatin1Char('@') + username + QLatin1Char(' ');
    const QString previous = m_text;
    m_text.replace(start, cursor - start, inserted);
    applyEdit(previous, start, cursor, int(inserted.size()) - (cursor - start));

    const Mention mention{Id(userId), start, start + 1 + int(username.size())};
    int at = 0;
    while (at < m_mentions.size() && m_mentions.at(at).indexStart < start)
        ++at;
    m_mentions.insert(at, mention);
    m_usernames.insert(at, username);
    m_cursorAfterInsert = start + int(inserted.size());
    emit textChanged();
    emit mentionsChanged();
    return m_text;
}

void MentionTracker::load(const QString& text, const QVariantList& mentions)
{
    clear();
    m_text = text;
    for (const QVariant& v : mentions) {
        const QVariantMap map = v.toMap();
        const Mention mention{Id(map.value(QStringLiteral("userId")).toDouble()),
                              map.value(QStringLiteral("indexStart")).toInt(),
                              map.value(QStringLiteral("indexEnd")).toInt()};
        if (mention.userId == 0 || mention.indexStart < 0 || mention.indexEnd > text.size() ||
            mention.indexEnd - mention.indexStart < 2 || text.at(mention.indexStart) != QLatin1Char('@'))
            continue;
        int at = 0;
        while (at < m_mentions.size() && m_mentions.at(at).indexStart < mention.indexStart)
            ++at;
        if ((at > 0 && m_mentions.at(at - 1).indexEnd > mention.indexStart) ||
            (at < m_mentions.size() && m_mentions.at(at).indexStart < mention.indexEnd))
            continue; // overlaps another span
        m_mentions.insert(at, mention);
        m_usernames.insert(at, text.mid(mention.indexStart + 1, mention.indexEnd - mention.indexStart - 1));
    }
    emit textChanged();
    emit mentionsChanged();
}

void MentionTracker::clear()
{
    const bool hadText = !m_text.isEmpty();
    const bool hadMentions = !m_mentions.isEmpty();
    m_text.clear();
    m_mentions.clear();
    m_usernames.clear();
    m_cursorAfterInsert = 0;
    if (hadText)
        emit textChanged();
    if (hadMentions)
        emit mentionsChanged();
}

bool MentionTracker::applyEdit(const QString& previous, int editStart, int editEnd, int delta)
{
    // m_text is previous with [editStart, editEnd) replaced (size change `delta`).
    const bool insertion = editStart == editEnd;
    bool changed = false;
    for (int i = int(m_mentions.size()) - 1; i >= 0; --i) {
        Mention& m = m_mentions[i];
        bool keep = true;
        if (editStart >= m.indexEnd) {
            // after the span, or an insertion right at its end: unchanged
        } else if (editEnd <= m.indexStart) {
            m.indexStart += delta; // before the span, or an insertion at its start
            m.indexEnd += delta;
            changed = changed || delta != 0;
        } else if (insertion && m_text.mid(m.indexStart + delta) == previous.mid(m.indexStart)) {
            // Inside by the prefix rule, yet the same text results from inserting
            // at the span's start ("@" typed before "@bob"): shift it instead.
            m.indexStart += delta;
            m.indexEnd += delta;
            changed = true;
        } else {
            keep = false;
        }
        // Whatever the arithmetic says, a span must still read "@username".
        if (keep && !validation::mentionSpanMatches(m_text, m, m_usernames.at(i)))
            keep = false;
        if (!keep) {
            m_mentions.removeAt(i);
            m_usernames.removeAt(i);
            changed = true;
        }
    }
    return changed;
}

} // namespace confab::client
