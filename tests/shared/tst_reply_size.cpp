// What a reply weighs (protocol/reply_size.h) and the content rule that bounds
// it (validation::forbiddenContentIndex): measured against Qt's own JSON
// writer, which is what the server sends.
#include "protocol/replies.h"
#include "protocol/reply_size.h"
#include "protocol/validation.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace confab;

namespace {

qsizetype compactSize(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).size();
}

// Characters of every escaping class: ASCII, quote and backslash, C0
// controls, DEL, C1, two- and three-byte UTF-8, pairs and lone surrogates.
QString randomText(QRandomGenerator& rng, int length)
{
    static const char16_t kAlphabet[] = {
        u'a',  u' ',   u'"',   u'\\',  u'\n',  u'\t',           0x01,        0x1f, 0x7f, 0x85, 0xe9, 0x7ff,
        0x800, 0x4e2d, 0x2028, 0xffff, 0xd83d, /*high*/ 0xde00, /*low*/ u'/'};
    QString text;
    for (int i = 0; i < length; ++i)
        text.append(QChar(kAlphabet[rng.bounded(int(std::size(kAlphabet)))]));
    return text;
}

User bigUser(Id id, QRandomGenerator& rng)
{
    return User{id,
                randomText(rng, 32),
                randomText(rng, 64),
                rng.bounded(2) == 1,
                std::numeric_limits<qint64>::max() - rng.bounded(1000),
                MemberRole::Member,
                randomText(rng, 100),
                UserStatus::Available,
                false};
}

Message bigMessage(QRandomGenerator& rng, int length)
{
    Message m;
    m.id = std::numeric_limits<qint64>::max() - 7;
    m.roomId = -123456789012345;
    m.senderId = 9007199254740993; // not exact in a double: printed with an exponent or 17 digits
    m.content = randomText(rng, length);
    for (int i = 0; i < 100; ++i)
        m.mentions.append(Mention{std::numeric_limits<qint64>::min() + i, -2147483647 - 1, 2147483647});
    m.createdAt = std::numeric_limits<qint64>::min();
    m.tempId = randomText(rng, 128);
    m.replyTo = 1234567890123456789;
    m.editedAt = -1;
    m.truncated = rng.bounded(2) == 1;
    m.revision = std::numeric_limits<qint64>::max();
    m.kind = MessageKind::System;
    for (int r = 0; r < 20; ++r) {
        Reaction reaction{randomText(rng, 1 + rng.bounded(32)), {}};
        for (int i = 0; i < rng.bounded(40); ++i) // small ids and ids at every width
            reaction.userIds.append(
                i % 3 == 0 ? i : (i % 3 == 1 ? -(qint64(1) << 53) : qint64(rng.generate64() >> 1)));
        m.reactions.append(reaction);
    }
    m.replyPreview = ReplyPreview{std::numeric_limits<qint64>::min(), -1, randomText(rng, 200), true};
    m.system =
        SystemInfo{SystemAction::MemberRemoved, std::numeric_limits<qint64>::min(), {}, randomText(rng, 100),
                   randomText(rng, 500),        std::numeric_limits<qint64>::max()};
    for (int i = 0; i < 50; ++i)
        m.system->userIds.append(i % 2 ? i : std::numeric_limits<qint64>::max() - i);
    return m;
}

Room groupWith(Id id, int members, const QString& name = QStringLiteral("team"))
{
    Room room;
    room.id = id;
    room.type = RoomType::Group;
    room.name = name;
    for (int i = 1; i <= members; ++i) {
        User user;
        user.id = i;
        user.username = QStringLiteral("user%1").arg(i);
        user.displayName = QStringLiteral("用户 %1").arg(i);
        room.members.append(user);
    }
    return room;
}

qsizetype roomsPayloadSize(const QList<Room>& rooms, bool hasMore = false)
{
    RoomsReply reply;
    reply.rooms = rooms;
    reply.hasMore = hasMore;
    return compactSize(reply.toPayload());
}

} // namespace

class TestReplySize : public QObject {
    Q_OBJECT

private slots:
    void stringBytesAreExactlyWhatQtWrites();
    void boundsAreNeverBelowTheRealSize();
    void contentRuleRefusesControlsAndLoneSurrogates_data();
    void contentRuleRefusesControlsAndLoneSurrogates();
    void acceptedContentCostsAtMostThreeBytesAUnit();
    void sanitizedContentPassesTheRuleAndKeepsIndices();
    void pageBudgetAlwaysTakesTheFirstMessage();
    void reactionsCountInThePageBudget();
    void previewCutsContentAndMentions();
    void extensionFieldsRoundTrip();
    void roomsThatFitAreUntouched();
    void longMemberListsAreCutFirst();
    void roomsAreLeftOutLast();
};

void TestReplySize::stringBytesAreExactlyWhatQtWrites()
{
    QRandomGenerator rng(12);
    for (int round = 0; round < 500; ++round) {
        const QString text = randomText(rng, rng.bounded(60));
        const qsizetype written = compactSize(QJsonObject{{QStringLiteral("k"), text}}) - 8; // {"k":""}
        QCOMPARE(replysize::jsonStringBytes(text), written);
    }
}

void TestReplySize::boundsAreNeverBelowTheRealSize()
{
    QRandomGenerator rng(34);
    for (int round = 0; round < 50; ++round) {
        const User user = bigUser(round, rng);
        QVERIFY(replysize::jsonBytesBound(user) >= compactSize(user.toJson()));
        const Message message = bigMessage(rng, rng.bounded(2000));
        const qsizetype real = compactSize(message.toJson());
        QVERIFY2(replysize::jsonBytesBound(message) >= real, qPrintable(QString::number(real)));
        // Tight enough to be useful: the slack is the numbers' widest form.
        QVERIFY(replysize::jsonBytesBound(message) < real + 100 * 80 + 600);
        Room room = groupWith(std::numeric_limits<qint64>::max(), 0, randomText(rng, 100));
        room.topic = randomText(rng, 500);
        room.visibility = RoomVisibility::Public;
        for (int i = 0; i < 20; ++i)
            room.members.append(bigUser(i, rng));
        room.lastMessage = message;
        room.ownerId = -1;
        room.createdAt = std::numeric_limits<qint64>::min();
        room.memberCount = 5001;
        QVERIFY(replysize::jsonBytesBound(room) >= compactSize(room.toJson()));
    }
}

void TestReplySize::contentRuleRefusesControlsAndLoneSurrogates_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<int>("at");
    const auto s = [](std::u16string_view text) { return QString::fromUtf16(text.data(), text.size()); };
    QTest::newRow("plain") << s(u"今天下午开会 @bob") << -1;
    QTest::newRow("tab and newlines") << s(u"a\tb\nc\r\nd") << -1;
    QTest::newRow("emoji pair") << s(u"ok \U0001F600") << -1;
    QTest::newRow("NUL") << s(std::u16string_view(u"a\0b", 3)) << 1;
    QTest::newRow("bell") << s(u"ab\u0007") << 2;
    QTest::newRow("escape") << s(u"\u001b[2J") << 0;
    QTest::newRow("bare CR") << s(u"over\rwrite") << 4;
    QTest::newRow("CR at the end") << s(u"end\r") << 3;
    QTest::newRow("CR CR LF") << s(u"a\r\r\n") << 1;
    QTest::newRow("DEL") << s(u"a\u007f") << 1;
    QTest::newRow("C1 NEL") << s(u"a\u0085b") << 1;
    QTest::newRow("C1 CSI") << s(u"\u009b") << 0;
    QTest::newRow("lone high") << QString(QChar(0xd83d)) + QStringLiteral("x") << 0;
    QTest::newRow("lone low") << QStringLiteral("x") + QChar(0xde00) << 1;
    QTest::newRow("high at the end") << QStringLiteral("xy") + QChar(0xd83d) << 2;
    QTest::newRow("reversed pair") << QString(QChar(0xde00)) + QChar(0xd83d) << 0;
    QTest::newRow("nbsp and line separator") << s(u"a\u00a0b\u2028c") << -1;
}

void TestReplySize::contentRuleRefusesControlsAndLoneSurrogates()
{
    QFETCH(QString, content);
    QFETCH(int, at);
    QCOMPARE(int(validation::forbiddenContentIndex(content)), at);
}

void TestReplySize::acceptedContentCostsAtMostThreeBytesAUnit()
{
    // Why the rule bounds replies: whatever content passes it, JSON spends at
    // most 3 bytes per UTF-16 unit on it (6 for a control before the rule).
    QRandomGenerator rng(56);
    int passed = 0;
    for (int round = 0; round < 2000; ++round) {
        const QString text = randomText(rng, 1 + rng.bounded(8));
        if (validation::forbiddenContentIndex(text) >= 0)
            continue;
        ++passed;
        QVERIFY(replysize::jsonStringBytes(text) <= 3 * text.size());
    }
    QVERIFY(passed > 100);
}

void TestReplySize::sanitizedContentPassesTheRuleAndKeepsIndices()
{
    // What the desktop client sends for pasted text: always accepted by the
    // server's rule, same length (mention spans stay valid), and text the
    // rule accepts is left alone.
    QCOMPARE(validation::sanitizedContent(QStringLiteral("a\rb\r\nc\u0007d\u0085e")),
             QStringLiteral("a\nb\r\nc d e"));
    QCOMPARE(validation::sanitizedContent(QStringLiteral("x") + QChar(0xde00)), QStringLiteral("x\ufffd"));
    QRandomGenerator rng(91);
    int changed = 0;
    for (int round = 0; round < 2000; ++round) {
        const QString text = randomText(rng, 1 + rng.bounded(8));
        const QString clean = validation::sanitizedContent(text);
        QCOMPARE(clean.size(), text.size());
        QCOMPARE(int(validation::forbiddenContentIndex(clean)), -1);
        if (validation::forbiddenContentIndex(text) < 0)
            QCOMPARE(clean, text);
        else
            ++changed;
    }
    QVERIFY(changed > 100);
}

void TestReplySize::pageBudgetAlwaysTakesTheFirstMessage()
{
    QRandomGenerator rng(78);
    const Message big = bigMessage(rng, 4000);
    replysize::PageBudget tiny(10);
    QVERIFY(tiny.take(big));
    QVERIFY(!tiny.take(big));

    replysize::PageBudget page;
    Message cjk;
    cjk.content = QString(16000, QChar(0x4e2d));
    int taken = 0;
    while (page.take(cjk))
        ++taken;
    // 48 KB each: ten fit in 512 KiB, the eleventh does not.
    QCOMPARE(taken, 10);
}

// Reactions and reply previews are attached after a page's rows are read: the
// second look keeps the page under budget from the end the client holds.
void TestReplySize::reactionsCountInThePageBudget()
{
    QList<Message> page;
    for (Id id = 1; id <= 10; ++id) {
        Message m;
        m.id = id;
        m.content = QStringLiteral("hi");
        Reaction popular{QStringLiteral("👍"), {}};
        for (Id user = 100000; user < 105000; ++user) // 5,000 six-digit ids: ~35 KB
            popular.userIds.append(user);
        m.reactions = {popular};
        page.append(m);
    }
    qsizetype real = 0;
    for (const Message& m : std::as_const(page))
        real += compactSize(m.toJson()) + 1;
    QVERIFY(real > 100 * 1024); // the page as it would be sent

    QList<Message> newestKept = page;
    QVERIFY(replysize::keepWithinBudget(newestKept, replysize::PageEnd::Back, 100 * 1024));
    QVERIFY(newestKept.size() < page.size());
    QCOMPARE(newestKept.constLast().id, page.constLast().id);
    qsizetype sent = 0;
    for (const Message& m : std::as_const(newestKept))
        sent += compactSize(m.toJson()) + 1;
    QVERIFY2(sent <= 100 * 1024, qPrintable(QString::number(sent)));

    QList<Message> oldestKept = page;
    QVERIFY(replysize::keepWithinBudget(oldestKept, replysize::PageEnd::Front, 100 * 1024));
    QCOMPARE(oldestKept.constFirst().id, 1);
    QCOMPARE(oldestKept.size(), newestKept.size());

    QList<Message> one{page.constFirst()}; // the first message always stays
    QVERIFY(!replysize::keepWithinBudget(one, replysize::PageEnd::Front, 10));
    QCOMPARE(one.size(), 1);
    QList<Message> fits = page;
    QVERIFY(!replysize::keepWithinBudget(fits, replysize::PageEnd::Front));
    QCOMPARE(fits.size(), page.size());
}

void TestReplySize::previewCutsContentAndMentions()
{
    Message m;
    m.content = QString(150, QLatin1Char('a')) + QStringLiteral(" @bob ") + QString(300, QLatin1Char('b'));
    m.mentions = {Mention{2, 151, 155}, Mention{3, 199, 201}, Mention{4, 300, 304}};
    Message preview = m;
    replysize::cutToPreview(preview);
    QCOMPARE(preview.content, m.content.left(200));
    QVERIFY(preview.truncated);
    QCOMPARE(preview.mentions, (QList<Mention>{Mention{2, 151, 155}}));

    Message exact;
    exact.content = QString(200, QChar(0x4e2d));
    replysize::cutToPreview(exact);
    QCOMPARE(exact.content.size(), 200);
    QVERIFY(!exact.truncated);

    // Never half a surrogate pair: 199 units and an emoji that would end at 201.
    Message emoji;
    emoji.content =
        QString(199, QLatin1Char('x')) + QString::fromUcs4(U"\U0001F600") + QStringLiteral("tail");
    replysize::cutToPreview(emoji);
    QCOMPARE(emoji.content, QString(199, QLatin1Char('x')));
    QVERIFY(emoji.truncated);
}

void TestReplySize::extensionFieldsRoundTrip()
{
    Message m;
    m.id = 5;
    m.content = QStringLiteral("cut");
    QVERIFY(!m.toJson().contains(QLatin1String("truncated"))); // the contract's shape when nothing is cut
    m.truncated = true;
    QCOMPARE(m.toJson().value(QLatin1String("truncated")), QJsonValue(true));
    QCOMPARE(Message::fromJson(m.toJson()).value(), m);

    Room room = groupWith(7, 3);
    QVERIFY(!room.toJson().contains(QLatin1String("memberCount")));
    room.memberCount = 5001;
    QCOMPARE(room.toJson().value(QLatin1String("memberCount")).toInt(), 5001);
    QCOMPARE(Room::fromJson(room.toJson()).value(), room);

    RoomsReply reply;
    reply.rooms = {room};
    QVERIFY(!reply.toPayload().contains(QLatin1String("hasMore")));
    reply.hasMore = true;
    const auto parsed = RoomsReply::fromPayload(reply.toPayload());
    QVERIFY(parsed);
    QVERIFY(parsed->hasMore);
    QVERIFY(!RoomsReply::fromPayload(
        QJsonObject{{QStringLiteral("rooms"), QJsonArray()}, {QStringLiteral("hasMore"), 1}}));
}

void TestReplySize::roomsThatFitAreUntouched()
{
    QList<Room> rooms{groupWith(1, 300), groupWith(2, 2)};
    const QList<Room> before = rooms;
    const replysize::RoomsFit fit = replysize::fitRooms(rooms);
    QCOMPARE(fit.cutMemberLists, 0);
    QCOMPARE(fit.leftOut, 0);
    QCOMPARE(rooms, before);
}

void TestReplySize::longMemberListsAreCutFirst()
{
    // Six groups of 2,000 members (~80 KB each) and a small one: 480 KB, over
    // a 300 KB budget. The big lists are cut, longest first, until it fits.
    QList<Room> rooms;
    for (int i = 1; i <= 6; ++i)
        rooms.append(groupWith(i, 2000 - i));
    rooms.append(groupWith(7, 3));
    const qint64 budget = 600 * 1024;
    QVERIFY(roomsPayloadSize(rooms) > budget);
    const replysize::RoomsFit fit = replysize::fitRooms(rooms, budget);
    QCOMPARE(fit.leftOut, 0);
    QVERIFY2(fit.cutMemberLists >= 1 && fit.cutMemberLists < 6,
             qPrintable(QString::number(fit.cutMemberLists)));
    QVERIFY(roomsPayloadSize(rooms) <= budget);
    QCOMPARE(rooms.size(), 7);
    for (int i = 0; i < 6; ++i) { // the longest lists (the first rooms) are cut, the others whole
        const int members = 2000 - (i + 1);
        if (i < fit.cutMemberLists) {
            QCOMPARE(rooms[i].members.size(), limits::kCutMemberListLength);
            QCOMPARE(rooms[i].memberCount, members);
            QCOMPARE(rooms[i].members.first().id, Id(1)); // the first to join stay
        } else {
            QCOMPARE(rooms[i].members.size(), members);
            QCOMPARE(rooms[i].memberCount, 0);
        }
    }
    // Cutting one list fewer would not have fit.
    qint64 uncut = 0;
    for (const Room& room : std::as_const(rooms))
        uncut += replysize::jsonBytesBound(room);
    uncut += replysize::jsonBytesBound(groupWith(1, 2000 - fit.cutMemberLists)) -
             replysize::jsonBytesBound(rooms[fit.cutMemberLists - 1]);
    QVERIFY(uncut > budget);
    QCOMPARE(rooms.last().members.size(), 3);
}

void TestReplySize::roomsAreLeftOutLast()
{
    // 400 rooms with a 4 KB preview each: no member list to cut, so the
    // least recently active (the end of the list) are left out.
    QList<Room> rooms;
    for (int i = 1; i <= 400; ++i) {
        Room room = groupWith(i, 2);
        Message last;
        last.id = 1000 + i;
        last.content = QString(1300, QChar(0x4e2d));
        room.lastMessage = last;
        rooms.append(room);
    }
    const replysize::RoomsFit fit = replysize::fitRooms(rooms);
    QCOMPARE(fit.cutMemberLists, 0);
    QVERIFY(fit.leftOut > 0);
    QCOMPARE(rooms.size(), 400 - fit.leftOut);
    QCOMPARE(rooms.first().id, Id(1));
    QCOMPARE(rooms.last().id, Id(400 - fit.leftOut));
    QVERIFY(roomsPayloadSize(rooms, true) <= limits::kRoomsBudgetBytes);
    // One room always stays, whatever it weighs.
    QList<Room> one{rooms.first()};
    QCOMPARE(replysize::fitRooms(one, 10).leftOut, 0);
    QCOMPARE(one.size(), 1);
}

QTEST_MAIN(TestReplySize)
#include "tst_reply_size.moc"
