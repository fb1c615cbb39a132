#pragma once

#include <QColor>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

// Search terms marked in a result's text, for a QML Text with
// textFormat: Text.StyledText. The text is someone else's input, so it is
// escaped (&, <, >, ") piece by piece and only the marks this adds are
// markup: a message "<b>x</b> & y" shows exactly those characters.
//
// Matching is on the unescaped text (so "amp" never matches inside "&amp;"),
// case-insensitive by Unicode case folding like the server's search, with
// the whole trimmed query as one substring (the server's semantics), in any
// script: "设计" in "新设计评审", "ÉTÉ" in "été".
class SearchMarks : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    explicit SearchMarks(QObject* parent = nullptr)
        : QObject(parent)
    {}

    // Escaped `text` with each match of `query` in <b><font color=…>…</font></b>;
    // line breaks become <br>. No query: the text escaped, nothing marked.
    static QString markup(const QString& text, const QString& query, const QColor& markColor);
    // The (start, length) of each match in `text`, in UTF-16 units, not overlapping.
    static QList<QPair<qsizetype, qsizetype>> matches(const QString& text, const QString& query);

    Q_INVOKABLE QString mark(const QString& text, const QString& query, const QColor& markColor) const
    {
        return markup(text, query, markColor);
    }
};

} // namespace confab::client
