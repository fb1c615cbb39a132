#pragma once

#include "protocol/types.h"

#include <QColor>
#include <QList>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace confab::client {

// Private to MessageFormatter (exposed for its tests): character formats for
// mentions and http(s) links in a plain-text QTextDocument. Mentions are in
// whole-text UTF-16 indices, as in a message's `mentions`; each block maps
// them through its position, so multi-line messages highlight correctly.
class MessageHighlighter : public QSyntaxHighlighter {
public:
    struct Style {
        QColor mentionColor;
        QColor selfMentionColor;
        QColor selfMentionBackground;
        QColor linkColor;
    };

    explicit MessageHighlighter(QObject* parent = nullptr);

    // Setters take effect at the next rehighlight().
    void setMentions(const QList<Mention>& mentions) { m_mentions = mentions; }
    void setSelfUserId(Id userId) { m_self = userId; }
    void setStyle(const Style& style) { m_style = style; }

    QTextCharFormat mentionFormat() const;
    QTextCharFormat selfMentionFormat() const;
    QTextCharFormat linkFormat() const;
    // Runs of emoji characters as (start, length) in UTF-16 units: drawn
    // with the colour emoji font.
    static QList<QPair<int, int>> emojiRuns(const QString& text);

protected:
    void highlightBlock(const QString& text) override;

private:
    QList<Mention> m_mentions;
    Id m_self = 0;
    Style m_style;
};

} // namespace confab::client
