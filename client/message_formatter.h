#pragma once

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QQuickTextDocument>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class QSyntaxHighlighter;

namespace confab::client {

// Styles a message shown in a read-only TextEdit with textFormat PlainText:
// mentions (and mentions of me, more strongly) and http/https links get
// character formats; the text itself is never interpreted as HTML or
// Markdown, so untrusted content cannot inject markup or load images.
class MessageFormatter : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickTextDocument* textDocument READ textDocument WRITE setTextDocument NOTIFY textDocumentChanged)
    Q_PROPERTY(QVariantList mentions READ mentions WRITE setMentions NOTIFY mentionsChanged)
    Q_PROPERTY(double selfUserId READ selfUserId WRITE setSelfUserId NOTIFY selfUserIdChanged)
    Q_PROPERTY(QColor mentionColor MEMBER m_mentionColor NOTIFY stylesChanged)
    Q_PROPERTY(QColor selfMentionColor MEMBER m_selfMentionColor NOTIFY stylesChanged)
    Q_PROPERTY(QColor selfMentionBackground MEMBER m_selfMentionBackground NOTIFY stylesChanged)
    Q_PROPERTY(QColor linkColor MEMBER m_linkColor NOTIFY stylesChanged)
public:
    explicit MessageFormatter(QObject* parent = nullptr);
    ~MessageFormatter() override;

    QQuickTextDocument* textDocument() const { return m_document; }
    void setTextDocument(QQuickTextDocument* document);
    QVariantList mentions() const { return m_mentions; }
    void setMentions(const QVariantList& mentions);
    double selfUserId() const { return m_selfUserId; }
    void setSelfUserId(double id);

    // The http(s) URL covering `position` (a TextEdit character position), or "".
    Q_INVOKABLE QString linkAt(int position) const;
    // http/https links in plain text as {start, end, url} (UTF-16, end exclusive).
    static QList<QVariantMap> findLinks(const QString& text);

signals:
    void textDocumentChanged();
    void mentionsChanged();
    void selfUserIdChanged();
    void stylesChanged();

private:
    void rehighlight();

    QPointer<QQuickTextDocument> m_document;
    QSyntaxHighlighter* m_highlighter = nullptr;
    QVariantList m_mentions;
    double m_selfUserId = 0;
    QColor m_mentionColor{0x1d, 0x6f, 0xd8};
    QColor m_selfMentionColor{0xb0, 0x3a, 0x00};
    QColor m_selfMentionBackground{0xff, 0xe8, 0xb0};
    QColor m_linkColor{0x1d, 0x6f, 0xd8};
};

} // namespace confab::client
