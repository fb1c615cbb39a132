// Message styling: which text is a link, and the character formats the
// highlighter puts on mentions and links, checked on the QTextLayout of each
// block, directly and through a real Qt Quick TextEdit in PlainText mode.
#include "message_formatter.h"
#include "message_highlighter.h"

#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickTextDocument>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

#include <memory>

using namespace confab;
using namespace confab::client;

namespace {

QString S(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

const MessageHighlighter::Style kStyle{QColor(0x11, 0x22, 0x33), QColor(0xaa, 0x00, 0x00),
                                       QColor(0xff, 0xee, 0x00), QColor(0x00, 0x00, 0xcc)};

// The formats of one block as "start+length:kind", kind one of mention, self, link.
QStringList formatsOf(const QTextBlock& block, const QColor& selfBackground = kStyle.selfMentionBackground)
{
    QStringList out;
    for (const QTextLayout::FormatRange& range : block.layout()->formats()) {
        const QTextCharFormat& f = range.format;
        QString kind = QStringLiteral("other");
        if (f.background().style() != Qt::NoBrush && f.background().color() == selfBackground &&
            f.fontWeight() == QFont::Bold)
            kind = QStringLiteral("self");
        else if (f.fontUnderline() && f.background().style() == Qt::NoBrush)
            kind = QStringLiteral("link");
        else if (f.fontWeight() == QFont::Bold && f.background().style() == Qt::NoBrush)
            kind = QStringLiteral("mention");
        else if (f.fontFamilies().toStringList().contains(QStringLiteral("Noto Color Emoji")))
            kind = QStringLiteral("emoji"); // drawn in colour, whatever font comes first
        out.append(QStringLiteral("%1+%2:%3").arg(range.start).arg(range.length).arg(kind));
    }
    out.sort();
    return out;
}

QString span(const QString& text, const QString& part, const char* kind, int base = 0)
{
    return QStringLiteral("%1+%2:%3")
        .arg(text.indexOf(part) - base)
        .arg(part.size())
        .arg(QLatin1String(kind));
}

} // namespace

class TestMessageFormatter : public QObject {
    Q_OBJECT

private slots:
    void findLinks_data();
    void findLinks();
    void highlighterFormatsExactRanges();
    void highlighterMapsMentionsIntoBlocks();
    void formatterOnQuickTextEdit();
};

void TestMessageFormatter::findLinks_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("links"); // "start-end url"

    QTest::newRow("http") << QStringLiteral("see http://example.com now")
                          << QStringList{QStringLiteral("4-22 http://example.com")};
    QTest::newRow("https, path, query, fragment")
        << QStringLiteral("https://example.com/a/b?x=1&y=2#top")
        << QStringList{QStringLiteral("0-35 https://example.com/a/b?x=1&y=2#top")};
    QTest::newRow("trailing period") << QStringLiteral("Go to https://example.com.")
                                     << QStringList{QStringLiteral("6-25 https://example.com")};
    QTest::newRow("trailing punctuation run") << QStringLiteral("(see https://example.com/x)!?")
                                              << QStringList{QStringLiteral("5-26 https://example.com/x")};
    QTest::newRow("balanced parentheses kept")
        << QStringLiteral("https://en.wikipedia.org/wiki/Qt_(software).")
        << QStringList{QStringLiteral("0-43 https://en.wikipedia.org/wiki/Qt_(software)")};
    QTest::newRow("quoted") << QStringLiteral("'https://example.com/q' and \"http://b.io\"")
                            << QStringList{QStringLiteral("1-22 https://example.com/q"),
                                           QStringLiteral("29-40 http://b.io")};
    QTest::newRow("javascript: is not a link") << QStringLiteral("javascript:alert(1)") << QStringList{};
    QTest::newRow("file: is not a link") << QStringLiteral("file:///etc/passwd") << QStringList{};
    QTest::newRow("ftp: is not a link") << QStringLiteral("ftp://example.com") << QStringList{};
    QTest::newRow("data: is not a link") << QStringLiteral("data:text/html,<b>x</b>") << QStringList{};
    QTest::newRow("scheme inside a word") << QStringLiteral("xhttp://example.com") << QStringList{};
    QTest::newRow("nothing after the scheme") << QStringLiteral("http:// and https://.") << QStringList{};
    QTest::newRow("upper case") << QStringLiteral("HTTPS://EXAMPLE.COM")
                                << QStringList{QStringLiteral("0-19 https://EXAMPLE.COM")};
    QTest::newRow("Chinese, no spaces")
        << S("请看https://example.com/路径，谢谢") << QStringList{S("2-24 https://example.com/路径")};
    QTest::newRow("Chinese with spaces and a full stop")
        << S("链接 https://confab.dev/房间 好的。http://a.io。")
        << QStringList{S("3-24 https://confab.dev/房间"), S("28-39 http://a.io")};
    QTest::newRow("emoji before") << S("😀https://a.io") << QStringList{QStringLiteral("2-14 https://a.io")};
    QTest::newRow("angle brackets") << QStringLiteral("<https://a.io>")
                                    << QStringList{QStringLiteral("1-13 https://a.io")};
    QTest::newRow("two lines") << QStringLiteral("http://a.io\nhttp://b.io")
                               << QStringList{QStringLiteral("0-11 http://a.io"),
                                              QStringLiteral("12-23 http://b.io")};
}

void TestMessageFormatter::findLinks()
{
    QFETCH(QString, text);
    QFETCH(QStringList, links);
    QStringList found;
    for (const QVariantMap& link : MessageFormatter::findLinks(text)) {
        const int start = link.value(QStringLiteral("start")).toInt();
        const int end = link.value(QStringLiteral("end")).toInt();
        const QString url = link.value(QStringLiteral("url")).toString();
        QCOMPARE(text.mid(start, end - start).compare(url, Qt::CaseInsensitive), 0);
        QVERIFY(url.startsWith(QLatin1String("http://")) || url.startsWith(QLatin1String("https://")));
        found.append(QStringLiteral("%1-%2 %3").arg(start).arg(end).arg(url));
    }
    QCOMPARE(found, links);
}

void TestMessageFormatter::highlighterFormatsExactRanges()
{
    const QString text = S("今天下午开会 @bob @alice 看 https://example.com/会议。");
    QTextDocument doc;
    doc.setPlainText(text);
    MessageHighlighter highlighter;
    highlighter.setStyle(kStyle);
    highlighter.setSelfUserId(1);
    highlighter.setMentions({{2, 7, 11}, {1, 12, 18}});
    highlighter.setDocument(&doc);
    highlighter.rehighlight();

    QStringList expected{span(text, QStringLiteral("@bob"), "mention"),
                         span(text, QStringLiteral("@alice"), "self"),
                         span(text, S("https://example.com/会议"), "link")};
    expected.sort();
    QCOMPARE(formatsOf(doc.firstBlock()), expected);
    QCOMPARE(expected.at(0), QStringLiteral("12+6:self")); // the indices the server uses
    QCOMPARE(expected.at(2), QStringLiteral("7+4:mention"));

    // The formats carry the style's colours; mine is distinct from the others.
    QCOMPARE(highlighter.mentionFormat().foreground().color(), kStyle.mentionColor);
    QCOMPARE(highlighter.selfMentionFormat().foreground().color(), kStyle.selfMentionColor);
    QCOMPARE(highlighter.selfMentionFormat().background().color(), kStyle.selfMentionBackground);
    QCOMPARE(highlighter.linkFormat().foreground().color(), kStyle.linkColor);
    QVERIFY(highlighter.selfMentionFormat() != highlighter.mentionFormat());

    // Without a signed-in user every mention looks the same; spans out of range are ignored.
    highlighter.setSelfUserId(0);
    highlighter.setMentions({{1, 12, 18}, {2, 40, 99}, {3, -5, -1}});
    highlighter.rehighlight();
    QCOMPARE(formatsOf(doc.firstBlock()), (QStringList{QStringLiteral("12+6:mention"),
                                                       span(text, S("https://example.com/会议"), "link")}));
}

void TestMessageFormatter::highlighterMapsMentionsIntoBlocks()
{
    const QString text = S("第一行 @bob\n第二行 @alice https://x.io\n😀 @bob");
    QTextDocument doc;
    doc.setPlainText(text);
    QCOMPARE(doc.blockCount(), 3);
    const int second = int(text.indexOf(QLatin1Char('\n'))) + 1;
    const int third = int(text.lastIndexOf(QLatin1Char('\n'))) + 1;
    const int bob2 = int(text.lastIndexOf(QStringLiteral("@bob")));
    MessageHighlighter highlighter;
    highlighter.setStyle(kStyle);
    highlighter.setSelfUserId(1);
    highlighter.setMentions({{2, 4, 8}, {1, second + 4, second + 10}, {2, bob2, bob2 + 4}});
    highlighter.setDocument(&doc);
    highlighter.rehighlight();

    const QTextBlock b1 = doc.firstBlock();
    const QTextBlock b2 = b1.next();
    const QTextBlock b3 = b2.next();
    QCOMPARE(b2.position(), second);
    QCOMPARE(b3.position(), third);
    QCOMPARE(formatsOf(b1), QStringList{QStringLiteral("4+4:mention")});
    QCOMPARE(formatsOf(b2), (QStringList{QStringLiteral("11+12:link"), QStringLiteral("4+6:self")}));
    // After a surrogate pair, which itself gets the colour emoji font.
    QCOMPARE(formatsOf(b3), (QStringList{QStringLiteral("0+2:emoji"), QStringLiteral("3+4:mention")}));
    // A span across a line break is cut at the block ends.
    highlighter.setMentions({{2, 6, second + 2}});
    highlighter.rehighlight();
    QCOMPARE(formatsOf(b1), QStringList{QStringLiteral("6+2:mention")});
    QCOMPARE(formatsOf(b2), (QStringList{QStringLiteral("0+2:mention"), QStringLiteral("11+12:link")}));
}

void TestMessageFormatter::formatterOnQuickTextEdit()
{
    QQmlEngine engine;
    QQmlComponent component(&engine);
    component.setData("import QtQuick\nTextEdit { textFormat: TextEdit.PlainText; readOnly: true }", QUrl());
    std::unique_ptr<QObject> edit(component.create());
    QVERIFY2(edit, qPrintable(component.errorString()));
    auto* document = edit->property("textDocument").value<QQuickTextDocument*>();
    QVERIFY(document);

    MessageFormatter formatter;
    formatter.setSelfUserId(1);
    formatter.setMentions({QVariantMap{{QStringLiteral("userId"), 2.0},
                                       {QStringLiteral("indexStart"), 0},
                                       {QStringLiteral("indexEnd"), 4}},
                           QVariantMap{{QStringLiteral("userId"), 1.0},
                                       {QStringLiteral("indexStart"), 5},
                                       {QStringLiteral("indexEnd"), 11}}});
    formatter.setTextDocument(document);
    QCOMPARE(formatter.textDocument(), document);
    // Markup in a message stays text.
    const QString text =
        S("@bob @alice <b>看</b> <img src=http://evil.example/x.png> https://confab.dev/房间");
    edit->setProperty("text", text);
    QTextDocument* doc = document->textDocument();
    QCOMPARE(doc->toPlainText(), text);
    const QColor background = formatter.property("selfMentionBackground").value<QColor>();
    QStringList expected{QStringLiteral("0+4:mention"), QStringLiteral("5+6:self"),
                         span(text, QStringLiteral("http://evil.example/x.png"), "link"),
                         span(text, S("https://confab.dev/房间"), "link")};
    expected.sort();
    QCOMPARE(formatsOf(doc->firstBlock(), background), expected);

    const int link = int(text.indexOf(QStringLiteral("https://")));
    QCOMPARE(formatter.linkAt(link), S("https://confab.dev/房间"));
    QCOMPARE(formatter.linkAt(int(text.size()) - 1), S("https://confab.dev/房间"));
    QCOMPARE(formatter.linkAt(link - 1), QString());
    QCOMPARE(formatter.linkAt(2), QString());

    // New mentions, a new colour and a new user id re-highlight at once.
    formatter.setMentions({});
    QCOMPARE(formatsOf(doc->firstBlock(), background).size(), 2);
    formatter.setProperty("linkColor", QColor(Qt::green));
    QCOMPARE(doc->firstBlock().layout()->formats().constFirst().format.foreground().color(),
             QColor(Qt::green));
    // Detached: the document loses the formats.
    formatter.setTextDocument(nullptr);
    QCOMPARE(formatsOf(doc->firstBlock(), background), QStringList{});
    QCOMPARE(formatter.linkAt(link), QString());
}

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    TestMessageFormatter test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_message_formatter.moc"
