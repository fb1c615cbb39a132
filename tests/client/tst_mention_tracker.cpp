// The composer's @mention spans through edit sequences. After every step each
// span is checked with validation::mentionSpanMatches, the server's own rule,
// so a passing row is a message the server would keep the mentions of.
#include "mention_tracker.h"
#include "protocol/validation.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;

namespace {

QString S(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

// "userId@start-end" for each span, in order.
QStringList describe(const QList<Mention>& mentions)
{
    QStringList out;
    for (const Mention& m : mentions)
        out.append(QStringLiteral("%1@%2-%3").arg(m.userId).arg(m.indexStart).arg(m.indexEnd));
    return out;
}

} // namespace

class TestMentionTracker : public QObject {
    Q_OBJECT

private slots:
    void editSequences_data();
    void editSequences();
    void queryAt_data();
    void queryAt();
    void queryInsideMentionIsInactive();
    void insertMentionReplacesQuery();
    void mentionsVariantIsSorted();
    void clear();
};

void TestMentionTracker::editSequences_data()
{
    // Steps: "text:<whole text>" (as the editor reports it) or
    // "mention:<start>:<cursor>:<userId>:<username>" (a pick from the popup).
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QStringList>("expected");

    const QString bob = QStringLiteral("mention:0:3:2:bob"); // replaces "@bo"
    QTest::newRow("server example") << QStringList{S("text:今天下午开会 @b"),
                                                   QStringLiteral("mention:7:9:2:bob")}
                                    << QStringList{QStringLiteral("2@7-11")};
    QTest::newRow("insert before shifts")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:hi @bob ")}
        << QStringList{QStringLiteral("2@3-7")};
    QTest::newRow("insert at start shifts")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:x@bob ")}
        << QStringList{QStringLiteral("2@1-5")};
    QTest::newRow("'@' typed before the '@'")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:@@bob ")}
        << QStringList{QStringLiteral("2@1-5")};
    QTest::newRow("delete inside drops")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:@bb ")} << QStringList{};
    QTest::newRow("insert inside drops")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:@bxob ")} << QStringList{};
    QTest::newRow("emoji inside drops")
        << QStringList{QStringLiteral("text:@bo"), bob, S("text:@b😀ob ")} << QStringList{};
    QTest::newRow("typing right after the span")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:@bob"),
                       QStringLiteral("text:@bobx"), QStringLiteral("text:@bobxy")}
        << QStringList{QStringLiteral("2@0-4")};
    QTest::newRow("delete the space after")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:@bob")}
        << QStringList{QStringLiteral("2@0-4")};
    QTest::newRow("delete before shifts back")
        << QStringList{QStringLiteral("text:a @b"), QStringLiteral("mention:2:4:2:bob"),
                       QStringLiteral("text:a@bob ")}
        << QStringList{QStringLiteral("2@1-5")};
    QTest::newRow("paste over the span")
        << QStringList{QStringLiteral("text:x @b"), QStringLiteral("mention:2:4:2:bob"),
                       QStringLiteral("text:x @bob y"), QStringLiteral("text:x pasted y")}
        << QStringList{};
    QTest::newRow("paste over the span's last letter")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:@boX ")} << QStringList{};
    QTest::newRow("select all, delete")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:")} << QStringList{};
    QTest::newRow("emoji and Chinese before")
        << QStringList{S("text:😀你好 @b"), QStringLiteral("mention:5:7:2:bob"), S("text:😀😀你好 @bob "),
                       S("text:你好 @bob ")}
        << QStringList{QStringLiteral("2@3-7")};
    QTest::newRow("emoji after") << QStringList{S("text:你好 @b"), QStringLiteral("mention:3:5:2:bob"),
                                                S("text:你好 @bob 😀"), S("text:你好 @bob 😀 好")}
                                 << QStringList{QStringLiteral("2@3-7")};
    QTest::newRow("Chinese username")
        << QStringList{S("text:你好 @张"), S("mention:3:5:3:张三"), S("text:大家你好 @张三 ")}
        << QStringList{QStringLiteral("3@5-8")};
    QTest::newRow("non-BMP username")
        << QStringList{S("text:@𠀀"), S("mention:0:3:4:𠀀𠀁"), S("text:😀 @𠀀𠀁 "), S("text:😀 @𠀀𠀁 ok")}
        << QStringList{QStringLiteral("4@3-8")};
    QTest::newRow("two mentions, first broken")
        << QStringList{QStringLiteral("text:@a"), QStringLiteral("mention:0:2:1:alice"),
                       QStringLiteral("text:@alice @b"), QStringLiteral("mention:7:9:2:bob"),
                       QStringLiteral("text:@alic @bob ")}
        << QStringList{QStringLiteral("2@6-10")};
    QTest::newRow("two mentions, text between")
        << QStringList{QStringLiteral("text:@a"), QStringLiteral("mention:0:2:1:alice"),
                       QStringLiteral("text:@alice @b"), QStringLiteral("mention:7:9:2:bob"),
                       S("text:@alice 和 @bob ")}
        << QStringList{QStringLiteral("1@0-6"), QStringLiteral("2@9-13")};
    QTest::newRow("undo does not bring a span back")
        << QStringList{QStringLiteral("text:@bo"), bob, QStringLiteral("text:@bb "),
                       QStringLiteral("text:@bob ")}
        << QStringList{};
}

void TestMentionTracker::editSequences()
{
    QFETCH(QStringList, steps);
    QFETCH(QStringList, expected);
    MentionTracker tracker;
    QHash<Id, QString> usernames;
    for (const QString& step : std::as_const(steps)) {
        if (step.startsWith(QLatin1String("text:"))) {
            tracker.setText(step.mid(5));
            QCOMPARE(tracker.text(), step.mid(5));
        } else {
            const QStringList parts = step.split(QLatin1Char(':'));
            QCOMPARE(parts.size(), 5);
            usernames.insert(parts.at(3).toLongLong(), parts.at(4));
            tracker.insertMention(parts.at(1).toInt(), parts.at(2).toInt(), parts.at(3).toDouble(),
                                  parts.at(4));
        }
        for (const Mention& m : tracker.mentions())
            QVERIFY2(validation::mentionSpanMatches(tracker.text(), m, usernames.value(m.userId)),
                     qPrintable(step));
    }
    QCOMPARE(describe(tracker.mentions()), expected);
}

void TestMentionTracker::queryAt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cursor");
    QTest::addColumn<bool>("active");
    QTest::addColumn<int>("start");
    QTest::addColumn<QString>("query");

    QTest::newRow("a@b: an address") << QStringLiteral("a@b") << 3 << false << -1 << QString();
    QTest::newRow("@ at start") << QStringLiteral("@") << 1 << true << 0 << QString();
    QTest::newRow("Chinese") << S("你好 @张") << 5 << true << 3 << S("张");
    QTest::newRow("after a space") << QStringLiteral("hi @bo") << 6 << true << 3 << QStringLiteral("bo");
    QTest::newRow("cursor mid-word") << QStringLiteral("hi @bo") << 5 << true << 3 << QStringLiteral("b");
    QTest::newRow("space in between") << QStringLiteral("hi @b o") << 7 << false << -1 << QString();
    QTest::newRow("after a bracket") << QStringLiteral("(@bob") << 5 << true << 1 << QStringLiteral("bob");
    QTest::newRow("after an emoji") << S("😀@bob") << 6 << true << 2 << QStringLiteral("bob");
    QTest::newRow("after Chinese punctuation") << S("好，@王") << 4 << true << 2 << S("王");
    QTest::newRow("emoji is no name") << S("@😀") << 3 << false << -1 << QString();
    QTest::newRow("no @") << QStringLiteral("bob") << 3 << false << -1 << QString();
    QTest::newRow("e-mail") << QStringLiteral("mail a.b@c.d") << 12 << false << -1 << QString();
    QTest::newRow("dots and dashes") << QStringLiteral("@bob.w-_1") << 9 << true << 0
                                     << QStringLiteral("bob.w-_1");
    QTest::newRow("non-BMP letters") << S("@𠀀𠀁") << 5 << true << 0 << S("𠀀𠀁");
    QTest::newRow("cursor 0") << QStringLiteral("@bob") << 0 << false << -1 << QString();
    QTest::newRow("cursor past end") << QStringLiteral("@bob") << 9 << false << -1 << QString();
    QTest::newRow("mark first") << S("@\u0301a") << 3 << false << -1 << QString();
    QTest::newRow("longest name") << QStringLiteral("@") + QString(32, QLatin1Char('x')) << 33 << true << 0
                                  << QString(32, QLatin1Char('x'));
    QTest::newRow("too long") << QStringLiteral("@") + QString(33, QLatin1Char('x')) << 34 << false << -1
                              << QString();
    QTest::newRow("second line") << QStringLiteral("hi\n@al") << 6 << true << 3 << QStringLiteral("al");
}

void TestMentionTracker::queryAt()
{
    QFETCH(QString, text);
    QFETCH(int, cursor);
    QFETCH(bool, active);
    QFETCH(int, start);
    QFETCH(QString, query);
    MentionTracker tracker;
    tracker.setText(text);
    const QVariantMap result = tracker.queryAt(cursor);
    QCOMPARE(result.value(QStringLiteral("active")).toBool(), active);
    QCOMPARE(result.value(QStringLiteral("start")).toInt(), start);
    QCOMPARE(result.value(QStringLiteral("query")).toString(), query);
}

void TestMentionTracker::queryInsideMentionIsInactive()
{
    MentionTracker tracker;
    tracker.setText(QStringLiteral("@bo"));
    tracker.insertMention(0, 3, 2, QStringLiteral("bob"));
    QCOMPARE(tracker.text(), QStringLiteral("@bob "));
    QVERIFY(!tracker.queryAt(4).value(QStringLiteral("active")).toBool()); // the mention made
    QVERIFY(!tracker.queryAt(2).value(QStringLiteral("active")).toBool());
    QVERIFY(!tracker.queryAt(5).value(QStringLiteral("active")).toBool());
    tracker.setText(QStringLiteral("@bob @"));
    QCOMPARE(tracker.queryAt(6).value(QStringLiteral("start")).toInt(), 5);
    QVERIFY(tracker.queryAt(6).value(QStringLiteral("active")).toBool());
    tracker.setText(QStringLiteral("@bob"));
    tracker.setText(QStringLiteral("@bobx")); // text typed onto the mention does not reopen it
    QVERIFY(!tracker.queryAt(5).value(QStringLiteral("active")).toBool());
}

void TestMentionTracker::insertMentionReplacesQuery()
{
    MentionTracker tracker;
    QSignalSpy text(&tracker, &MentionTracker::textChanged);
    QSignalSpy mentions(&tracker, &MentionTracker::mentionsChanged);
    tracker.setText(QStringLiteral("hey @bo, @alice later"));
    QCOMPARE(text.size(), 1);
    tracker.insertMention(9, 15, 1, QStringLiteral("alice"));
    QCOMPARE(tracker.text(), QStringLiteral("hey @bo, @alice  later"));
    const QVariantMap query = tracker.queryAt(7);
    QVERIFY(query.value(QStringLiteral("active")).toBool());
    QCOMPARE(query.value(QStringLiteral("query")).toString(), QStringLiteral("bo"));
    const QString result =
        tracker.insertMention(query.value(QStringLiteral("start")).toInt(), 7, 2, QStringLiteral("bob"));
    QCOMPARE(result, QStringLiteral("hey @bob , @alice  later"));
    QCOMPARE(tracker.text(), result);
    QCOMPARE(tracker.cursorAfterInsert(), 9);
    QCOMPARE(describe(tracker.mentions()), (QStringList{QStringLiteral("2@4-8"), QStringLiteral("1@11-17")}));
    QVERIFY(validation::mentionSpanMatches(result, tracker.mentions().at(0), QStringLiteral("bob")));
    QVERIFY(validation::mentionSpanMatches(result, tracker.mentions().at(1), QStringLiteral("alice")));
    QCOMPARE(text.size(), 3);
    QCOMPARE(mentions.size(), 2);
    // The editor echoes the text back: nothing changes.
    tracker.setText(result);
    QCOMPARE(text.size(), 3);
    // Bad arguments leave everything as it was.
    QCOMPARE(tracker.insertMention(5, 2, 3, QStringLiteral("x")), result);
    QCOMPARE(tracker.insertMention(0, 99, 3, QStringLiteral("x")), result);
    QCOMPARE(tracker.insertMention(0, 0, 3, QStringLiteral("not valid")), result);
    QCOMPARE(tracker.mentions().size(), 2);
}

void TestMentionTracker::mentionsVariantIsSorted()
{
    MentionTracker tracker;
    tracker.setText(S("😀 @王 and @a"));
    tracker.insertMention(10, 12, 1, QStringLiteral("alice"));
    tracker.insertMention(3, 5, 3, S("王小明"));
    QCOMPARE(tracker.text(), S("😀 @王小明  and @alice "));
    const QVariantList list = tracker.mentionsVariant();
    QCOMPARE(list.size(), 2);
    const QVariantMap first = list.at(0).toMap();
    const QVariantMap second = list.at(1).toMap();
    QCOMPARE(first.value(QStringLiteral("userId")).typeId(), QMetaType::Double);
    QCOMPARE(first.value(QStringLiteral("userId")).toDouble(), 3.0);
    QCOMPARE(first.value(QStringLiteral("indexStart")).toInt(), 3);
    QCOMPARE(first.value(QStringLiteral("indexEnd")).toInt(), 7);
    QCOMPARE(second.value(QStringLiteral("userId")).toDouble(), 1.0);
    QCOMPARE(second.value(QStringLiteral("indexStart")).toInt(), 13);
    QCOMPARE(second.value(QStringLiteral("indexEnd")).toInt(), 19);
    for (const Mention& m : tracker.mentions())
        QVERIFY(validation::mentionSpanMatches(tracker.text(), m,
                                               m.userId == 1 ? QStringLiteral("alice") : S("王小明")));
}

void TestMentionTracker::clear()
{
    MentionTracker tracker;
    tracker.setText(QStringLiteral("@b"));
    tracker.insertMention(0, 2, 2, QStringLiteral("bob"));
    QSignalSpy mentions(&tracker, &MentionTracker::mentionsChanged);
    tracker.clear();
    QCOMPARE(tracker.text(), QString());
    QVERIFY(tracker.mentions().isEmpty());
    QCOMPARE(tracker.cursorAfterInsert(), 0);
    QCOMPARE(mentions.size(), 1);
}

QTEST_GUILESS_MAIN(TestMentionTracker)
#include "tst_mention_tracker.moc"
