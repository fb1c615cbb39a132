#pragma once

#include <QColor>
#include <QFont>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QQuickTextDocument>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

// One line of people's text (room names, last-message previews, user
// names) with its emoji in colour, elided at the right. Qt 6.4 picks a font
// per character by the family list alone, and DejaVu Sans, the usual first
// font, has black-and-white glyphs for ❤ ☕ ☺ and more; putting the emoji
// font first instead draws digits and spaces with it. So emoji runs (the
// same ranges as message bodies, MessageHighlighter::emojiRuns()) get the
// emoji font and the rest the item's font. Always plain text: nothing in
// `text` is interpreted.
class EmojiText : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(QFont font READ font WRITE setFont NOTIFY fontChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)
    // True when the text did not fit and ends with "…".
    Q_PROPERTY(bool truncated READ truncated NOTIFY truncatedChanged)
    // Always Text.PlainText (0), as views and tests of Text items check.
    Q_PROPERTY(int textFormat READ textFormat CONSTANT)

public:
    explicit EmojiText(QQuickItem* parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString& text);
    QFont font() const { return m_font; }
    void setFont(const QFont& font);
    QColor color() const { return m_color; }
    void setColor(const QColor& color);
    bool truncated() const { return m_truncated; }
    int textFormat() const { return 0; }

    void paint(QPainter* painter) override;

    // The family emoji runs are drawn with.
    static QString emojiFamily();

signals:
    void textChanged();
    void fontChanged();
    void colorChanged();
    void truncatedChanged();

protected:
    void componentComplete() override;
    void geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry) override;

private:
    qreal naturalWidth(const QString& text) const;
    QString fitted(qreal width) const; // the text, or its longest prefix + "…" that fits
    void relayout();

    QString m_text;
    QFont m_font;
    QColor m_color = Qt::black;
    bool m_truncated = false;
};

// Colour emoji in a TextEdit/TextArea (the composer): set `document` to the
// item's textDocument and emoji runs get the emoji font as they are typed.
class EmojiHighlighter : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickTextDocument* document READ document WRITE setDocument NOTIFY documentChanged)

public:
    explicit EmojiHighlighter(QObject* parent = nullptr);
    QQuickTextDocument* document() const { return m_document; }
    void setDocument(QQuickTextDocument* document);

signals:
    void documentChanged();

private:
    QPointer<QQuickTextDocument> m_document;
    QPointer<QObject> m_highlighter; // a QSyntaxHighlighter, owned by the document
};

} // namespace confab::client
