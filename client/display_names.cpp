#include "display_names.h"

#include <QHash>

namespace confab::client {

namespace {

// Cyrillic and Greek letters that are drawn like a Latin letter in common
// fonts (after Unicode's confusables list, TR39), both cases mapped to the
// same lowercase Latin letter so that case folding stays consistent.
const QHash<char32_t, char16_t>& lookalikes()
{
    static const QHash<char32_t, char16_t> table = {
        // Cyrillic
        {0x0410, u'a'},
        {0x0430, u'a'},
        {0x0412, u'b'},
        {0x0432, u'b'},
        {0x0415, u'e'},
        {0x0435, u'e'},
        {0x041A, u'k'},
        {0x043A, u'k'},
        {0x041C, u'm'},
        {0x043C, u'm'},
        {0x041D, u'h'},
        {0x043D, u'h'},
        {0x041E, u'o'},
        {0x043E, u'o'},
        {0x0420, u'p'},
        {0x0440, u'p'},
        {0x0421, u'c'},
        {0x0441, u'c'},
        {0x0422, u't'},
        {0x0442, u't'},
        {0x0423, u'y'},
        {0x0443, u'y'},
        {0x0425, u'x'},
        {0x0445, u'x'},
        {0x0405, u's'},
        {0x0455, u's'},
        {0x0406, u'i'},
        {0x0456, u'i'},
        {0x0408, u'j'},
        {0x0458, u'j'},
        {0x0500, u'd'},
        {0x0501, u'd'},
        {0x04BA, u'h'},
        {0x04BB, u'h'},
        {0x04C0, u'l'},
        {0x04CF, u'l'},
        {0x051A, u'q'},
        {0x051B, u'q'},
        {0x051C, u'w'},
        {0x051D, u'w'},
        // Greek
        {0x0391, u'a'},
        {0x03B1, u'a'},
        {0x0392, u'b'},
        {0x03B2, u'b'},
        {0x0395, u'e'},
        {0x03B5, u'e'},
        {0x0396, u'z'},
        {0x03B6, u'z'},
        {0x0397, u'h'},
        {0x03B7, u'h'},
        {0x0399, u'i'},
        {0x03B9, u'i'},
        {0x039A, u'k'},
        {0x03BA, u'k'},
        {0x039C, u'm'},
        {0x03BC, u'm'},
        {0x039D, u'n'},
        {0x03BD, u'n'},
        {0x039F, u'o'},
        {0x03BF, u'o'},
        {0x03A1, u'p'},
        {0x03C1, u'p'},
        {0x03A4, u't'},
        {0x03C4, u't'},
        {0x03A5, u'y'},
        {0x03C5, u'y'},
        {0x03A7, u'x'},
        {0x03C7, u'x'},
        {0x03F2, u'c'},
        {0x03F9, u'c'},
        {0x03F3, u'j'},
        {0x037F, u'j'},
        // Latin letters that pass for others
        {0x0131, u'i'},
        {0x0251, u'a'},
        {0x0261, u'g'},
        {0x01C0, u'l'},
        {0x0269, u'i'},
    };
    return table;
}

// Drawn as nothing (or as a blank) although they are letters or symbols.
bool isInvisible(char32_t c)
{
    return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800;
}

} // namespace

QString nameSkeleton(const QString& name)
{
    const QList<uint> decomposed = name.normalized(QString::NormalizationForm_KD).toUcs4();
    QString out;
    out.reserve(decomposed.size());
    bool pendingSpace = false;
    for (const uint code : decomposed) {
        const auto c = char32_t(code);
        switch (QChar::category(c)) {
        case QChar::Mark_NonSpacing: // accents, variation selectors, the grapheme joiner
        case QChar::Mark_Enclosing:
        case QChar::Other_Format: // zero-width characters, bidi marks, soft hyphen
        case QChar::Other_Control:
            continue;
        default:
            break;
        }
        if (isInvisible(c))
            continue;
        if (QChar::isSpace(c)) {
            pendingSpace = !out.isEmpty();
            continue;
        }
        if (pendingSpace) {
            out.append(QLatin1Char(' '));
            pendingSpace = false;
        }
        const auto lookalike = lookalikes().constFind(c);
        if (lookalike != lookalikes().cend())
            out.append(QChar(*lookalike));
        else
            out.append(QString::fromUcs4(&c, 1));
    }
    return out.toCaseFolded();
}

} // namespace confab::client
