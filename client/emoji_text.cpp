#include "emoji_text.h"

#include "message_highlighter.h"

#include <QFontInfo>
#include <QGuiApplication>
#include <QPainter>
#include <QSyntaxHighlighter>
#include <QTextDocument>
#include <QTextLayout>

#include <cmath>

namespace confab::client {

namespace {

QList<QTextLayout::FormatRange> emojiFormats(const QString& text)
{
    QList<QTextLayout::FormatRange> formats;
    QTextCharFormat emoji;
    emoji.setFontFamilies({EmojiText::emojiFamily()});
    for (const auto& [start, length] : MessageHighlighter::emojiRuns(text))
        formats.append({start, length, emoji});
    return formats;
}

// One unwrapped line of `text`, laid out (the caller draws or measures it).
struct OneLine {
    QTextLayout layout;
    QTextLine line;
    OneLine(const QString& text, const QFont& font)
        : layout(text, font)
    {
        layout.setFormats(emojiFormats(text));
        QTextOption option;
        option.setWrapMode(QTextOption::NoWrap);
        layout.setTextOption(option);
        layout.beginLayout();
        line = layout.createLine();
        if (line.isValid())
            line.setLineWidth(1e6);
        layout.endLayout();
    }
};

class EmojiSyntaxHighlighter : public QSyntaxHighlighter {
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString& text) override
    {
        for (const QTextLayout::FormatRange& range : emojiFormats(text))
            setFormat(range.start, range.length, range.format);
    }
};

} // namespace

EmojiText::EmojiText(QQuickItem* parent)
    : QQuickPaintedItem(parent)
    , m_font(QGuiApplication::font())
{
    setAntialiasing(true);
    // Sizes in pixels, as the QML sets them: a font that still carries a
    // point size makes every `font.pixelSize:` warn "Both point size and
    // pixel size set".
    if (m_font.pixelSize() <= 0)
        m_font.setPixelSize(QFontInfo(m_font).pixelSize());
}

QString EmojiText::emojiFamily()
{
    return QStringLiteral("Noto Color Emoji");
}

void EmojiText::setText(const QString& text)
{
    if (m_text == text)
        return;
    m_text = text;
    emit textChanged();
    relayout();
}

void EmojiText::setFont(const QFont& font)
{
    if (m_font == font)
        return;
    m_font = font;
    emit fontChanged();
    relayout();
}

void EmojiText::setColor(const QColor& color)
{
    if (m_color == color)
        return;
    m_color = color;
    emit colorChanged();
    update();
}

void EmojiText::geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.width() != oldGeometry.width())
        relayout();
}

qreal EmojiText::naturalWidth(const QString& text) const
{
    OneLine one(text, m_font);
    return one.line.isValid() ? one.line.naturalTextWidth() : 0;
}

QString EmojiText::fitted(qreal width) const
{
    if (naturalWidth(m_text) <= width)
        return m_text;
    const QString ellipsis(QChar(0x2026));
    int low = 0; // fits
    int high = int(m_text.size());
    while (high - low > 1) {
        const int mid = (low + high) / 2;
        if (naturalWidth(m_text.left(mid) + ellipsis) <= width)
            low = mid;
        else
            high = mid;
    }
    if (low > 0 && m_text.at(low - 1).isHighSurrogate())
        --low; // never half a character
    return m_text.left(low).trimmed() + ellipsis;
}

void EmojiText::componentComplete()
{
    QQuickPaintedItem::componentComplete();
    relayout();
}

void EmojiText::relayout()
{
    // Sized once all its properties are set: a view lays out a delegate
    // once, and a size that changes after would move the rows around it.
    if (!isComponentComplete())
        return;
    setImplicitWidth(std::ceil(naturalWidth(m_text)));
    setImplicitHeight(std::ceil(QFontMetricsF(m_font).height()));
    const bool cut = width() > 0 && naturalWidth(m_text) > width();
    if (cut != m_truncated) {
        m_truncated = cut;
        emit truncatedChanged();
    }
    update();
}

void EmojiText::paint(QPainter* painter)
{
    const QString shown = fitted(width());
    OneLine one(shown, m_font);
    if (!one.line.isValid())
        return;
    painter->setPen(m_color);
    one.layout.draw(painter, QPointF(0, (height() - one.line.height()) / 2));
}

EmojiHighlighter::EmojiHighlighter(QObject* parent)
    : QObject(parent)
{}

void EmojiHighlighter::setDocument(QQuickTextDocument* document)
{
    if (m_document == document)
        return;
    delete m_highlighter;
    m_highlighter = nullptr;
    m_document = document;
    if (document && document->textDocument())
        m_highlighter = new EmojiSyntaxHighlighter(document->textDocument());
    emit documentChanged();
}

} // namespace confab::client
