// The bench's message text (bench/sample_text.h): its size bound, that it is
// deterministic and JSON-safe, and that "words" gives a search index the many
// distinct terms of chat where "filler" gives it seven.
#include "sample_text.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace confab::bench;

namespace {

// The distinct trigrams (of code points) of `texts`, as FTS5's trigram tokenizer sees them.
QSet<QString> trigrams(const QList<QByteArray>& texts)
{
    QSet<QString> terms;
    for (const QByteArray& text : texts) {
        const QList<uint> points = QString::fromUtf8(text).toUcs4();
        for (qsizetype i = 0; i + 3 <= points.size(); ++i)
            terms.insert(QString::fromUcs4(reinterpret_cast<const char32_t*>(points.constData() + i), 3));
    }
    return terms;
}

} // namespace

class TestSampleText : public QObject {
    Q_OBJECT
private slots:
    void fillerIsTheOldText()
    {
        QCOMPARE(sampleText(TextKind::Filler, 7, 12), QByteArray("bench xxxxxx"));
        QCOMPARE(sampleText(TextKind::Filler, 7, 3), QByteArray("ben"));
    }

    void wordsStayWithinTheSizeAndAreJsonSafe()
    {
        int chinese = 0;
        for (quint32 seed = 0; seed < 300; ++seed) {
            const QByteArray text = sampleText(TextKind::Words, seed, 120);
            QVERIFY2(!text.isEmpty() && text.size() <= 120, text.constData());
            QVERIFY(text.size() >= 60); // filled, not one word
            QCOMPARE(sampleText(TextKind::Words, seed, 120), text);
            // Pasted into a JSON string as is, it must parse back unchanged.
            const QByteArray json = "{\"c\":\"" + text + "\"}";
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            QCOMPARE(doc.object().value(QLatin1String("c")).toString().toUtf8(), text);
            if (QString::fromUtf8(text).at(0).unicode() >= 0x4E00)
                ++chinese;
        }
        QVERIFY2(chinese > 50 && chinese < 150, qPrintable(QString::number(chinese)));
    }

    void wordsHaveManySearchTerms()
    {
        QList<QByteArray> filler, words;
        for (quint32 seed = 0; seed < 1000; ++seed) {
            filler.append(sampleText(TextKind::Filler, seed, 120));
            words.append(sampleText(TextKind::Words, seed, 120));
        }
        QCOMPARE(trigrams(filler).size(), 7);
        QVERIFY2(trigrams(words).size() > 5000, qPrintable(QString::number(trigrams(words).size())));
    }
};

QTEST_APPLESS_MAIN(TestSampleText)
#include "tst_sample_text.moc"
