// The value objects (docs/protocol.md: user, room, message, mention): golden
// round trips, nullable and extension fields, rejected fields; and the rules
// behind them (usernames, case folding, mention spans, visible content).
#include "protocol_fixture.h"

class TestProtocolValues : public QObject {
    Q_OBJECT

private slots:
    void user();
    void mention();
    void message();
    void messageWithNulls();
    void room();
    void dmRoom();
    void usernames_data();
    void usernames();
    void foldCase();
    void mentionSpans_data();
    void mentionSpans();
    void visibleContent_data();
    void visibleContent();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
};

void TestProtocolValues::user()
{
    GOLDEN(User, fromJson, toJson, ALICE);
    QCOMPARE(r->id, Id(7));
    QCOMPARE(r->username, str("alice"));
    QCOMPARE(r->displayName, str("Alice A."));
    QCOMPARE(r->online, true);
    QCOMPARE(r->lastSeenAt, qint64(1700000000123));
}

void TestProtocolValues::mention()
{
    GOLDEN(Mention, fromJson, toJson, R"({"userId":8,"indexStart":3,"indexEnd":6})");
    QCOMPARE(r->userId, Id(8));
    QCOMPARE(r->indexStart, 3);
    QCOMPARE(r->indexEnd, 6);
}

void TestProtocolValues::message()
{
    GOLDEN(Message, fromJson, toJson, MSG_FULL);
    QCOMPARE(r->id, Id(101));
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->senderId, Id(7));
    QCOMPARE(r->content, str("😀 @张三 hi"));
    QCOMPARE(r->mentions.size(), 1);
    QVERIFY(r->mentions.first() == (Mention{8, 3, 6}));
    QVERIFY(validation::mentionSpanMatches(r->content, r->mentions.first(), str("张三")));
    QCOMPARE(r->createdAt, qint64(1700000000456));
    QCOMPARE(r->tempId, str("t-1"));
    QCOMPARE(r->replyTo.value_or(-1), Id(99));
    QCOMPARE(r->editedAt.value_or(-1), qint64(1700000000999));
    QCOMPARE(r->deleted, false);
    QCOMPARE(r->revision, qint64(12));
    QCOMPARE(r->reactions, (QList<Reaction>{{str("👍"), {7, 8}}, {str("🎉"), {8}}}));
    QCOMPARE(r->kind, MessageKind::Text);
    QVERIFY(r->replyPreview);
    QCOMPARE(r->replyPreview->id, Id(99));
    QCOMPARE(r->replyPreview->senderId, Id(8));
    QCOMPARE(r->replyPreview->content, str("earlier 早"));
    QCOMPARE(r->replyPreview->deleted, false);
}

void TestProtocolValues::messageWithNulls()
{
    GOLDEN(Message, fromJson, toJson, MSG_PLAIN);
    QCOMPARE(r->id, Id(102));
    QCOMPARE(r->senderId, Id(8));
    QCOMPARE(r->content, str("hello"));
    QVERIFY(r->mentions.isEmpty());
    QCOMPARE(r->tempId, str("t-2"));
    QVERIFY(!r->replyTo);
    QVERIFY(!r->editedAt);
    QCOMPARE(r->deleted, true);
    QCOMPARE(r->revision, qint64(13));
    QVERIFY(r->reactions.isEmpty());
    QVERIFY(!r->replyPreview);
}

void TestProtocolValues::room()
{
    GOLDEN(Room, fromJson, toJson, ROOM_GROUP);
    QCOMPARE(r->id, Id(5));
    QVERIFY(r->type == RoomType::Group);
    QCOMPARE(r->name, str("Team 团队"));
    QCOMPARE(r->members, (QList<User>{alice(), zhang()}));
    QCOMPARE(r->members.at(1).username, str("张三"));
    QCOMPARE(r->unreadCount, 3);
    QCOMPARE(r->mentionCount, 1);
    QVERIFY(r->lastMessage == goldenMessage());
    QCOMPARE(r->ownerId, Id(7));
    QCOMPARE(r->createdAt, qint64(1690000000000));
}

void TestProtocolValues::dmRoom()
{
    GOLDEN(Room, fromJson, toJson, ROOM_DM);
    QCOMPARE(r->id, Id(6));
    QVERIFY(r->type == RoomType::Dm);
    QCOMPARE(roomTypeName(r->type), str("dm"));
    QCOMPARE(r->name, QString());
    QCOMPARE(r->members.size(), 2);
    QCOMPARE(r->unreadCount, 0);
    QCOMPARE(r->mentionCount, 0);
    QVERIFY(!r->lastMessage);
    QCOMPARE(r->ownerId, Id(0));
    QCOMPARE(r->createdAt, qint64(1690000000001));
}

void TestProtocolValues::usernames_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("valid");
    QTest::newRow("alice") << str("alice") << true;
    QTest::newRow("Bob_1") << str("Bob_1") << true;
    QTest::newRow("a.b-c") << str("a.b-c") << true;
    QTest::newRow("one char") << str("x") << true;
    QTest::newRow("digits") << str("2024") << true;
    QTest::newRow("Chinese") << str("张三") << true;
    QTest::newRow("Zoë precomposed") << str("Zo\u00EB") << true;
    QTest::newRow("Zoë combining") << str("Zoe\u0308") << true;
    QTest::newRow("Devanagari") << str("देवनागरी") << true;
    QTest::newRow("Thai") << str("สมชาย") << true;
    QTest::newRow("Cyrillic") << str("Жанна") << true;
    QTest::newRow("32 chars") << QString(32, QLatin1Char('a')) << true;
    QTest::newRow("32 non-BMP letters") << str("𠀀").repeated(32) << true; // 64 UTF-16 units
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("33 chars") << QString(33, QLatin1Char('a')) << false;
    QTest::newRow("33 non-BMP letters") << str("𠀀").repeated(33) << false;
    QTest::newRow("space") << str("a b") << false;
    QTest::newRow("ideographic space") << str("张\u3000三") << false;
    QTest::newRow("emoji") << str("bob😀") << false;
    QTest::newRow("@x") << str("@x") << false;
    QTest::newRow("leading mark") << str("\u0308a") << false;
    QTest::newRow("leading Devanagari sign") << str("\u093Fक") << false;
    QTest::newRow("enclosing mark") << str("a\u20DD") << false;
    QTest::newRow("zero width space") << str("a\u200Bb") << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xD83D)) + str("a") << false;
    QTest::newRow("slash") << str("a/b") << false;
    QTest::newRow("plus") << str("a+b") << false;
}

void TestProtocolValues::usernames()
{
    QFETCH(QString, username);
    QFETCH(bool, valid);
    QCOMPARE(validation::isValidUsername(username), valid);
}

void TestProtocolValues::foldCase()
{
    QCOMPARE(validation::foldCase(str("Alice")), str("alice"));
    QCOMPARE(validation::foldCase(str("ÀÉÎ Ж")), str("àéî ж"));
    QCOMPARE(validation::foldCase(str("ß")), str("ß")); // simple folding: lengths never change
    QCOMPARE(validation::foldCase(str("ΣΊΣΥΦΟΣ")), validation::foldCase(str("σίσυφος")));
    QCOMPARE(validation::foldCase(str("张三")), str("张三"));
}

void TestProtocolValues::mentionSpans_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("end");
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("matches");
    const QString emoji = str("😀 @bob hi");
    QTest::newRow("emoji before") << emoji << 3 << 7 << str("bob") << true;
    QTest::newRow("emoji before, code point index") << emoji << 2 << 6 << str("bob") << false;
    QTest::newRow("at start") << str("@bob") << 0 << 4 << str("bob") << true;
    QTest::newRow("Chinese around") << str("你好@张三，早") << 2 << 5 << str("张三") << true;
    QTest::newRow("Chinese off by one right") << str("你好@张三，早") << 2 << 6 << str("张三") << false;
    QTest::newRow("Chinese off by one left") << str("你好@张三，早") << 1 << 5 << str("张三") << false;
    QTest::newRow("one short") << emoji << 3 << 6 << str("bob") << false;
    QTest::newRow("one long") << emoji << 3 << 8 << str("bob") << false;
    QTest::newRow("shifted") << emoji << 4 << 8 << str("bob") << false;
    QTest::newRow("reversed") << emoji << 7 << 3 << str("bob") << false;
    QTest::newRow("empty span") << emoji << 3 << 3 << str("bob") << false;
    QTest::newRow("negative start") << str("@bob") << -1 << 3 << str("bob") << false;
    QTest::newRow("past the end") << str("x @bo") << 2 << 6 << str("bob") << false;
    QTest::newRow("case mismatch") << str("@Bob") << 0 << 4 << str("bob") << false;
    QTest::newRow("no @") << str("#bob") << 0 << 4 << str("bob") << false;
    QTest::newRow("prefix of longer name") << str("@bobby") << 0 << 4 << str("bob") << true;
    QTest::newRow("non-BMP username") << str("hi @𠀀x") << 3 << 7 << str("𠀀x") << true;
    // A name that ends in a high surrogate can only match by cutting the pair.
    QTest::newRow("cuts surrogate pair") << str("@bob😀") << 0 << 5 << str("bob") + QChar(0xD83D) << false;
    QTest::newRow("empty username") << str("@") << 0 << 1 << QString() << false;
}

void TestProtocolValues::mentionSpans()
{
    QFETCH(QString, content);
    QFETCH(int, start);
    QFETCH(int, end);
    QFETCH(QString, username);
    QFETCH(bool, matches);
    QCOMPARE(validation::mentionSpanMatches(content, Mention{8, start, end}, username), matches);
}

void TestProtocolValues::visibleContent_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<bool>("visible");
    QTest::newRow("text") << str("hi") << true;
    QTest::newRow("padded") << str("  hi \n") << true;
    QTest::newRow("emoji") << str("😀") << true;
    QTest::newRow("Chinese") << str("早") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("whitespace") << str(" \t\r\n") << false;
    QTest::newRow("ideographic space") << str("\u3000") << false;
    QTest::newRow("nbsp") << str("\u00A0") << false;
    QTest::newRow("zero width") << str("\u200B\u200C\u200D\u2060\uFEFF") << false;
    QTest::newRow("zero width and text") << str("\u200Bx") << true;
}

void TestProtocolValues::visibleContent()
{
    QFETCH(QString, content);
    QFETCH(bool, visible);
    QCOMPARE(validation::hasVisibleContent(content), visible);
}

// Accepted input, normalized.
void TestProtocolValues::normalized_data()
{
    normalizedColumns();
    row("room: extensions absent", "type:room",
        R"({"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0})",
        R"({"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0,)"
        R"("lastMessage":null,"ownerId":null,"createdAt":0,"topic":"","visibility":"private","notify":"all"})");
    row("message: nullable fields absent", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t","deleted":false})",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("replyTo":null,"editedAt":null,"deleted":false,"revision":0,"reactions":[],"attachments":[],)"
        R"("kind":"text","replyPreview":null})");
}

// Rejected input: the code, and the field the message names.
void TestProtocolValues::badInput_data()
{
    badInputColumns();
    bad("user: online missing", "type:user", R"({"id":1,"username":"a","displayName":"a","lastSeenAt":0})",
        "online");
    bad("user: lastSeenAt fraction", "type:user",
        R"({"id":1,"username":"a","displayName":"a","online":true,"lastSeenAt":0.5})", "lastSeenAt");
    bad("message: deleted missing", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t"})",
        "deleted");
    bad("message: editedAt string", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("editedAt":"now","deleted":false})",
        "editedAt");
    bad("room: type channel", "type:room",
        R"({"id":6,"type":"channel","name":"","members":[],"unreadCount":0,"mentionCount":0})", "type");
    bad("room: ownerId bool", "type:room",
        R"({"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0,"ownerId":true})",
        "ownerId");
    bad("room: member id", "type:room",
        R"({"id":6,"type":"dm","name":"","members":[{"id":true}],"unreadCount":0,"mentionCount":0})",
        "members[0].id");
}

QTEST_APPLESS_MAIN(TestProtocolValues)
#include "tst_protocol_values.moc"
