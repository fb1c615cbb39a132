#pragma once

#include "protocol/types.h"

#include <QObject>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

// The composer's @mention bookkeeping. Keeps the spans of inserted mentions
// (UTF-16 indices, end exclusive) correct while the user edits around them:
// an edit before a span shifts it, an edit inside a span drops it (the text
// is no longer "@username"). Also finds the "@query" being typed at the
// cursor, for the autocomplete popup.
class MentionTracker : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text NOTIFY textChanged)
    Q_PROPERTY(QVariantList mentions READ mentionsVariant NOTIFY mentionsChanged)
public:
    explicit MentionTracker(QObject* parent = nullptr);

    QString text() const { return m_text; }
    QList<Mention> mentions() const { return m_mentions; }
    QVariantList mentionsVariant() const; // [{userId, indexStart, indexEnd}]

    // Call with the editor's whole text after every change (typing, paste,
    // delete, undo); the difference to the previous text moves the spans.
    Q_INVOKABLE void setText(const QString& text);
    // The "@query" ending at `cursor`: {active: bool, start: int, query: string}.
    // Active when '@' starts the text or follows whitespace/punctuation and
    // only username characters lie between it and the cursor.
    Q_INVOKABLE QVariantMap queryAt(int cursor) const;
    // Replaces text[start, cursor) (the "@query") with "@username " and
    // records the span. Returns the new text; the new cursor is after the space.
    Q_INVOKABLE QString insertMention(int start, int cursor, double userId, const QString& username);
    Q_INVOKABLE int cursorAfterInsert() const { return m_cursorAfterInsert; }
    Q_INVOKABLE void clear();
    // Starts over with a stored message's text and its spans (editing it):
    // spans that do not read "@name" in `text` are left out.
    Q_INVOKABLE void load(const QString& text, const QVariantList& mentions);

signals:
    void textChanged();
    void mentionsChanged();

private:
    // Moves, keeps or drops the spans after m_text became `previous` with
    // [editStart, editEnd) replaced; true when any span changed.
    bool applyEdit(const QString& previous, int editStart, int editEnd, int delta);

    QString m_text;
    QList<Mention> m_mentions; // sorted by indexStart
    QStringList m_usernames;   // m_usernames[i] is the username m_mentions[i] reads
    int m_cursorAfterInsert = 0;
};

} // namespace confab::client
