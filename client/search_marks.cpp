#include "search_marks.h"

namespace confab::client {

namespace {

// Escaped for StyledText; a line break is a <br> (StyledText, like HTML,
// would otherwise fold it into a space).
QString escaped(QStringView text)
{
    QString out = text.toString().toHtmlEscaped();
    out.replace(QLatin1Char('\n'), QLatin1String("<br>"));
    return out;
}

} // namespace

QList<QPair<qsizetype, qsizetype>> SearchMarks::matches(const QString& text, const QString& query)
{
    QList<QPair<qsizetype, qsizetype>> found;
    const QString needle = query.trimmed();
    if (needle.isEmpty())
        return found;
    // Qt's case-insensitive search compares case-folded code points, and
    // simple folding keeps every code point's length, so a match in `text`
    // is as long as the query.
    for (qsizetype at = text.indexOf(needle, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(needle, at + needle.size(), Qt::CaseInsensitive))
        found.append({at, needle.size()});
    return found;
}

QString SearchMarks::markup(const QString& text, const QString& query, const QColor& markColor)
{
    const QString open = QStringLiteral("<b><font color=\"%1\">").arg(markColor.name());
    const QLatin1String close("</font></b>");
    QString out;
    qsizetype done = 0;
    for (const auto& [start, length] : matches(text, query)) {
        out += escaped(QStringView(text).mid(done, start - done));
        out += open + escaped(QStringView(text).mid(start, length)) + close;
        done = start + length;
    }
    out += escaped(QStringView(text).mid(done));
    return out;
}

} // namespace confab::client
