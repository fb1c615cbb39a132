#include "sample_text.h"

#include <QList>
#include <QRandomGenerator>
#include <QString>

#include <cmath>

namespace confab::bench {

namespace {

constexpr int kEnglishWords = 4'000;
constexpr int kChineseWords = 3'000;
constexpr quint32 kVocabularySeed = 20261208;

struct Vocabulary {
    QList<QByteArray> english, chinese;

    Vocabulary()
    {
        QRandomGenerator rng(kVocabularySeed);
        static const char* const syllables[] = {"ba",  "ce", "di",  "fo", "gu", "ha", "je", "ki",  "lo", "mu",
                                                "na",  "pe", "qui", "ro", "sa", "te", "vi", "wo",  "xa", "zu",
                                                "str", "th", "ing", "er", "on", "an", "ly", "ment"};
        constexpr int kSyllables = int(std::size(syllables));
        for (int i = 0; i < kEnglishWords; ++i) {
            QByteArray word;
            const int parts = 1 + int(rng.bounded(3));
            for (int p = 0; p < parts; ++p)
                word += syllables[rng.bounded(kSyllables)];
            english.append(word);
        }
        for (int i = 0; i < kChineseWords; ++i) {
            // Two or three characters from the 3,500 most common ideographs' block start.
            QString word;
            const int chars = 2 + int(rng.bounded(2));
            for (int c = 0; c < chars; ++c)
                word += QChar(char16_t(0x4E00 + rng.bounded(3'500)));
            chinese.append(word.toUtf8());
        }
    }
};

// Index 0 most often: a word of rank r comes up about as often as 1/(r+1).
int zipfIndex(QRandomGenerator& rng, int size)
{
    const double u = rng.generateDouble();
    return std::min(size - 1, int(std::exp(u * std::log(double(size) + 1.0)) - 1.0));
}

} // namespace

QByteArray sampleText(TextKind kind, quint32 seed, int bytes)
{
    bytes = std::max(bytes, 1);
    if (kind == TextKind::Filler)
        return bytes <= 6 ? QByteArray("bench ").left(bytes) : "bench " + QByteArray(bytes - 6, 'x');
    static const Vocabulary vocabulary;
    QRandomGenerator rng(seed);
    const bool chinese = rng.bounded(3) == 0;
    const QList<QByteArray>& words = chinese ? vocabulary.chinese : vocabulary.english;
    QByteArray text;
    while (true) {
        const QByteArray& word = words.at(zipfIndex(rng, int(words.size())));
        const int separator = text.isEmpty() || chinese ? 0 : 1;
        if (text.size() + separator + word.size() > bytes)
            break;
        if (separator)
            text += ' ';
        text += word;
    }
    if (text.isEmpty())
        text = QByteArray(bytes, 'a');
    return text;
}

} // namespace confab::bench
