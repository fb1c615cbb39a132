// Search terms marked in results: the untrusted text is escaped, only the
// marks are markup, matching is case-insensitive in any script. The markup
// is also laid out by a QML Text (StyledText) in
// tests/qml/tst_search_highlight.qml; here the strings themselves.
#include "search_marks.h"

#include <QTest>

using namespace confab::client;

namespace {

const QColor kMark(0xaa, 0x33, 0x00);

QString S(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

QString marked(const char* utf8)
{
    return QStringLiteral("<b><font color=\"#aa3300\">") + S(utf8) + QStringLiteral("</font></b>");
}

} // namespace

class TestSearchMarks : public QObject {
    Q_OBJECT

private slots:
    void markup_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");
        QTest::newRow("markup in the message stays text")
            << S("<b>bold</b> & <img src=x>") << S("bold")
            << S("&lt;b&gt;") + marked("bold") + S("&lt;/b&gt; &amp; &lt;img src=x&gt;");
        QTest::newRow("no match inside an entity") << S("fish & chips") << S("amp") << S("fish &amp; chips");
        QTest::newRow("the query itself is markup")
            << S("say <b> & mean it") << S("<b> &") << S("say ") + marked("&lt;b&gt; &amp;") + S(" mean it");
        QTest::newRow("case-insensitive, every match, original case kept")
            << S("Hello hello HELLO") << S("hello")
            << marked("Hello") + S(" ") + marked("hello") + S(" ") + marked("HELLO");
        QTest::newRow("chinese") << S("新设计评审：设计稿") << S("设计")
                                 << S("新") + marked("设计") + S("评审：") + marked("设计") + S("稿");
        QTest::newRow("folded accents") << S("Été à Paris") << S("ÉTÉ") << marked("Été") + S(" à Paris");
        QTest::newRow("emoji around")
            << S("🎉 launch 🎉") << S("launch") << S("🎉 ") + marked("launch") + S(" 🎉");
        QTest::newRow("query trimmed") << S("a cat") << S("  cat ") << S("a ") + marked("cat");
        QTest::newRow("line breaks kept")
            << S("one\ntwo <3") << S("two") << S("one<br>") + marked("two") + S(" &lt;3");
        QTest::newRow("quotes escaped") << S("\"x\"") << S("") << S("&quot;x&quot;");
        QTest::newRow("no overlap") << S("aaaa") << S("aa") << marked("aa") + marked("aa");
    }
    void markup()
    {
        QFETCH(QString, text);
        QFETCH(QString, query);
        QFETCH(QString, expected);
        QCOMPARE(SearchMarks::markup(text, query, kMark), expected);
    }
};

QTEST_GUILESS_MAIN(TestSearchMarks)
#include "tst_search_marks.moc"
