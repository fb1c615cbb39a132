#include "file_names.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace confab::client::files {
namespace {

bool isWindowsForbidden(QChar c)
{
    return c == u':' || c == u'*' || c == u'?' || c == u'"' || c == u'<' || c == u'>' || c == u'|';
}

// Control characters (C0, DEL, C1), invisible format characters (bidi
// overrides that make "exe.txt" look like "txt.exe", zero-width joiners),
// lone surrogates and non-characters: none belongs in a file name.
bool isDropped(char32_t c)
{
    const QChar::Category category = QChar::category(c);
    return category == QChar::Other_Control || category == QChar::Other_Format ||
           category == QChar::Other_Surrogate || category == QChar::Other_NotAssigned ||
           category == QChar::Other_PrivateUse;
}

QString cleanComponent(const QString& part)
{
    QString out;
    out.reserve(part.size());
    // By hand rather than toUcs4(), which turns a lone surrogate into U+FFFD.
    for (qsizetype i = 0; i < part.size(); ++i) {
        char32_t c = part.at(i).unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < part.size() && part.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(part.at(i), part.at(i + 1));
            ++i;
        }
        if (isDropped(c))
            continue;
        if (c < 0x10000 && isWindowsForbidden(QChar(char16_t(c))))
            out += u'_';
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out;
}

QString trimDotsAndSpaces(QString s)
{
    qsizetype begin = 0;
    while (begin < s.size() && (s[begin] == u'.' || s[begin].isSpace()))
        ++begin;
    qsizetype end = s.size();
    while (end > begin && (s[end - 1] == u'.' || s[end - 1].isSpace()))
        --end;
    return s.mid(begin, end - begin);
}

bool isWindowsDevice(const QString& name)
{
    static const QRegularExpression device(QStringLiteral("^(con|prn|aux|nul|com[0-9]|lpt[0-9])$"),
                                           QRegularExpression::CaseInsensitiveOption);
    const QString stem = name.section(u'.', 0, 0).trimmed();
    return device.match(stem).hasMatch();
}

// Where the extension starts (the dot), or -1: ".tar.gz"-style double
// extensions count whole, and an "extension" longer than 16 characters is
// part of the name.
qsizetype extensionStart(const QString& name)
{
    const qsizetype dot = name.lastIndexOf(u'.');
    if (dot <= 0 || name.size() - dot > 17)
        return -1;
    const qsizetype before = name.lastIndexOf(u'.', dot - 1);
    if (before > 0 &&
        name.mid(before, dot - before).compare(QStringLiteral(".tar"), Qt::CaseInsensitive) == 0)
        return before;
    return dot;
}

// The longest prefix of `s` of at most `bytes` UTF-8 bytes, whole code points.
QString cutToBytes(const QString& s, int bytes)
{
    QString out;
    int used = 0;
    for (char32_t c : s.toUcs4()) {
        const int size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (used + size > bytes)
            break;
        used += size;
        out += QString::fromUcs4(&c, 1);
    }
    return out;
}

} // namespace

QString safeFileName(const QString& name)
{
    QStringList kept;
    for (const QString& part : name.split(QRegularExpression(QStringLiteral("[/\\\\]")))) {
        const QString trimmed = part.trimmed();
        if (trimmed.isEmpty() || trimmed == u'.' || trimmed == QStringLiteral(".."))
            continue;
        kept << cleanComponent(part);
    }
    QString out = trimDotsAndSpaces(kept.join(u'_'));
    if (out.isEmpty())
        return QStringLiteral("file");
    if (isWindowsDevice(out))
        out.prepend(u'_');
    if (out.toUtf8().size() > kMaxNameBytes) {
        const qsizetype ext = extensionStart(out);
        const QString suffix = ext < 0 ? QString() : out.mid(ext);
        const QString stem = ext < 0 ? out : out.left(ext);
        out = trimDotsAndSpaces(cutToBytes(stem, kMaxNameBytes - int(suffix.toUtf8().size()))) + suffix;
        if (out.isEmpty() || out.startsWith(u'.'))
            out.prepend(QStringLiteral("file"));
    }
    return out;
}

QString uniqueIn(const QString& folder, const QString& name)
{
    const QDir dir(folder);
    const auto taken = [&dir](const QString& candidate) {
        const QFileInfo info(dir.filePath(candidate));
        return info.exists() || info.isSymLink(); // a dangling link exists() not
    };
    if (!taken(name))
        return name;
    const qsizetype ext = extensionStart(name);
    const QString stem = ext < 0 ? name : name.left(ext);
    const QString suffix = ext < 0 ? QString() : name.mid(ext);
    for (int n = 2; n <= 9999; ++n) {
        const QString candidate = QStringLiteral("%1 (%2)%3").arg(stem).arg(n).arg(suffix);
        if (!taken(candidate))
            return candidate;
    }
    return {};
}

QString savePathIn(const QString& folder, const QString& name)
{
    const QDir dir(folder);
    if (folder.isEmpty() || !dir.exists())
        return {};
    const QString unique = uniqueIn(dir.absolutePath(), safeFileName(name));
    if (unique.isEmpty())
        return {};
    const QString path = dir.absoluteFilePath(unique);
    // Belt and braces: whatever the name was, the file is directly in folder.
    if (QFileInfo(path).absolutePath() != dir.absolutePath())
        return {};
    return path;
}

QString typeBadge(const QString& mime, const QString& name)
{
    const auto fits = [](const QString& s) {
        if (s.isEmpty() || s.size() > 4)
            return false;
        return std::all_of(s.cbegin(), s.cend(),
                           [](QChar c) { return c.isLetterOrNumber() && c.unicode() < 128; });
    };
    const QString safe = safeFileName(name);
    const qsizetype dot = safe.lastIndexOf(u'.');
    if (dot > 0 && fits(safe.mid(dot + 1)))
        return safe.mid(dot + 1).toUpper();
    QString subtype = mime.section(u'/', 1).section(u'+', 0, 0).section(u';', 0, 0);
    if (subtype.startsWith(QLatin1String("x-")))
        subtype = subtype.mid(2);
    return fits(subtype) ? subtype.toUpper() : QStringLiteral("FILE");
}

bool isSafeToOpen(const QString& name, const QString& mime)
{
    static const QStringList extensions = {
        QStringLiteral("exe"),     QStringLiteral("msi"),        QStringLiteral("bat"),
        QStringLiteral("cmd"),     QStringLiteral("com"),        QStringLiteral("scr"),
        QStringLiteral("ps1"),     QStringLiteral("vbs"),        QStringLiteral("js"),
        QStringLiteral("jar"),     QStringLiteral("sh"),         QStringLiteral("bash"),
        QStringLiteral("zsh"),     QStringLiteral("py"),         QStringLiteral("pl"),
        QStringLiteral("rb"),      QStringLiteral("desktop"),    QStringLiteral("appimage"),
        QStringLiteral("run"),     QStringLiteral("bin"),        QStringLiteral("deb"),
        QStringLiteral("rpm"),     QStringLiteral("flatpakref"), QStringLiteral("lnk"),
        QStringLiteral("app"),     QStringLiteral("dmg"),        QStringLiteral("pkg"),
        QStringLiteral("command"), QStringLiteral("html"),       QStringLiteral("htm"),
        QStringLiteral("svg"),     QStringLiteral("xhtml")};
    const QString safe = safeFileName(name);
    const qsizetype dot = safe.lastIndexOf(u'.');
    if (dot < 0 || extensions.contains(safe.mid(dot + 1).toLower()))
        return false; // no extension: the opener would guess from the bytes
    static const QRegularExpression running(
        QStringLiteral("executable|script|desktop|installer|x-msdownload|x-msi|java-archive|html|svg|"
                       "octet-stream|x-sh$|x-deb|x-rpm|appimage"));
    return !mime.isEmpty() && !running.match(mime.toLower()).hasMatch();
}

QString humanSize(qint64 bytes)
{
    if (bytes < 1000)
        return bytes == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(bytes);
    static const char* const units[] = {"KB", "MB", "GB", "TB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1000 && unit < 3) {
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', value < 10 ? 1 : 0).arg(QLatin1String(units[unit]));
}

} // namespace confab::client::files
