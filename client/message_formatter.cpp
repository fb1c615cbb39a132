#include "message_formatter.h"

#include "message_highlighter.h"

#include <QFont>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextDocument>

namespace confab::client {

namespace {

struct Link {
    int start;
    int end;
    QString url;
};

// Closing brackets are trimmed only when unbalanced, so
// "https://en.wikipedia.org/wiki/Qt_(software)" keeps its ')'.
bool isUnbalancedCloser(const QString& url, QChar closer)
{
    static const QString closers = QStringLiteral(")]}");
    static const QString openers = QStringLiteral("([{");
    const qsizetype which = closers.indexOf(closer);
    return which >= 0 && url.count(closer) > url.count(openers.at(which));
}

QList<Link> scanLinks(const QString& text)
{
    // The scheme must not continue a word ("xhttp://"); the URL runs to the
    // first whitespace, angle bracket, ASCII double quote, or CJK/full-width
    // punctuation (Chinese text often follows a link without a space).
    static const QRegularExpression pattern(
        QStringLiteral("(?<![A-Za-z0-9])https?://"
                       "[^\\s<>\"\\x{2018}-\\x{201F}\\x{2026}\\x{3000}-\\x{303F}"
                       "\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF20}\\x{FF3B}-\\x{FF40}\\x{FF5B}-\\x{FF65}]+"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    static const QString trailing = QStringLiteral(".,;:!?'\"*");

    QList<Link> links;
    QRegularExpressionMatchIterator it = pattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        QString url = match.captured(0);
        while (!url.isEmpty() && (trailing.contains(url.back()) || isUnbalancedCloser(url, url.back())))
            url.chop(1);
        const qsizetype schemeEnd = url.indexOf(QLatin1String("://")) + 3;
        if (url.size() <= schemeEnd)
            continue; // "http://" and nothing after it
        const int start = int(match.capturedStart(0));
        const int end = start + int(url.size());
        // Schemes are case-insensitive; the url is given with a lower-case
        // one so a caller's startsWith("https://") check holds.
        url.replace(0, schemeEnd, url.left(schemeEnd).toLower());
        links.append({start, end, url});
    }
    return links;
}

// Pictographs and the characters that join or modify them. Several (❤ ☕
// ✅ ⭐ ⚠) are also in DejaVu Sans, the usual first font here, which would
// draw them in black and white: runs of these get the colour emoji font.
bool isEmoji(char32_t c)
{
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2300 && c <= 0x23FF) ||
           (c >= 0x2B00 && c <= 0x2BFF) || c == 0x200D || c == 0x20E3 || (c >= 0xFE00 && c <= 0xFE0F) ||
           (c >= 0xE0020 && c <= 0xE007F) || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
}

} // namespace

QList<QPair<int, int>> MessageHighlighter::emojiRuns(const QString& text)
{
    QList<QPair<int, int>> runs;
    int start = -1;
    for (int i = 0; i < text.size();) {
        char32_t c = text.at(i).unicode();
        int width = 1;
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            width = 2;
        }
        if (isEmoji(c) && start < 0)
            start = i;
        else if (!isEmoji(c) && start >= 0) {
            runs.append({start, i - start});
            start = -1;
        }
        i += width;
    }
    if (start >= 0)
        runs.append({start, int(text.size()) - start});
    return runs;
}

// --- MessageHighlighter ------------------------------------------------------

MessageHighlighter::MessageHighlighter(QObject* parent)
    : QSyntaxHighlighter(parent)
{}

QTextCharFormat MessageHighlighter::mentionFormat() const
{
    QTextCharFormat format;
    format.setForeground(m_style.mentionColor);
    format.setFontWeight(QFont::Bold);
    return format;
}

QTextCharFormat MessageHighlighter::selfMentionFormat() const
{
    QTextCharFormat format;
    format.setForeground(m_style.selfMentionColor);
    format.setBackground(m_style.selfMentionBackground);
    format.setFontWeight(QFont::Bold);
    return format;
}

QTextCharFormat MessageHighlighter::linkFormat() const
{
    QTextCharFormat format;
    format.setForeground(m_style.linkColor);
    format.setFontUnderline(true);
    return format;
}

void MessageHighlighter::highlightBlock(const QString& text)
{
    for (const Link& link : scanLinks(text))
        setFormat(link.start, link.end - link.start, linkFormat());

    // Spans outside the text (mentions of a different message) are ignored;
    // a span across a line break is cut at the block's ends.
    const int total = document()->characterCount() - 1; // without the final paragraph separator
    const int base = currentBlock().position();
    const int size = int(text.size());
    for (const Mention& m : std::as_const(m_mentions)) {
        if (m.indexStart < 0 || m.indexStart >= m.indexEnd || m.indexEnd > total)
            continue;
        const int start = qMax(m.indexStart - base, 0);
        const int end = qMin(m.indexEnd - base, size);
        if (start < end)
            setFormat(start, end - start,
                      m_self != 0 && m.userId == m_self ? selfMentionFormat() : mentionFormat());
    }

    // Last, so that an emoji in a link or a mention keeps that format too.
    static const QStringList emojiFamily{QStringLiteral("Noto Color Emoji")};
    for (const auto& [start, length] : emojiRuns(text)) {
        for (int i = start; i < start + length; ++i) {
            QTextCharFormat f = format(i);
            f.setFontFamilies(emojiFamily);
            setFormat(i, 1, f);
        }
    }
}

// --- MessageFormatter --------------------------------------------------------

MessageFormatter::MessageFormatter(QObject* parent)
    : QObject(parent)
{
    connect(this, &MessageFormatter::stylesChanged, this, &MessageFormatter::rehighlight);
}

MessageFormatter::~MessageFormatter() = default;

void MessageFormatter::setTextDocument(QQuickTextDocument* document)
{
    if (m_document == document)
        return;
    m_document = document;
    if (!m_highlighter)
        m_highlighter = new MessageHighlighter(this); // ours, not the document's: no dangling pointer
    m_highlighter->setDocument(document ? document->textDocument() : nullptr);
    rehighlight();
    emit textDocumentChanged();
}

void MessageFormatter::setMentions(const QVariantList& mentions)
{
    if (m_mentions == mentions)
        return;
    m_mentions = mentions;
    rehighlight();
    emit mentionsChanged();
}

void MessageFormatter::setSelfUserId(double id)
{
    if (m_selfUserId == id)
        return;
    m_selfUserId = id;
    rehighlight();
    emit selfUserIdChanged();
}

QString MessageFormatter::linkAt(int position) const
{
    if (!m_document || !m_document->textDocument())
        return {};
    const QTextBlock block = m_document->textDocument()->findBlock(position);
    if (!block.isValid())
        return {};
    const int offset = position - block.position();
    for (const Link& link : scanLinks(block.text())) {
        if (offset >= link.start && offset < link.end)
            return link.url;
    }
    return {};
}

QList<QVariantMap> MessageFormatter::findLinks(const QString& text)
{
    QList<QVariantMap> result;
    for (const Link& link : scanLinks(text)) {
        result.append({{QStringLiteral("start"), link.start},
                       {QStringLiteral("end"), link.end},
                       {QStringLiteral("url"), link.url}});
    }
    return result;
}

void MessageFormatter::rehighlight()
{
    if (!m_highlighter)
        return;
    QList<Mention> mentions;
    for (const QVariant& value : std::as_const(m_mentions)) {
        const QVariantMap map = value.toMap();
        mentions.append({Id(map.value(QStringLiteral("userId")).toLongLong()),
                         map.value(QStringLiteral("indexStart")).toInt(),
                         map.value(QStringLiteral("indexEnd")).toInt()});
    }
    auto* highlighter = static_cast<MessageHighlighter*>(m_highlighter);
    highlighter->setMentions(mentions);
    highlighter->setSelfUserId(Id(m_selfUserId));
    highlighter->setStyle({m_mentionColor, m_selfMentionColor, m_selfMentionBackground, m_linkColor});
    if (highlighter->document())
        highlighter->rehighlight();
}

} // namespace confab::client
