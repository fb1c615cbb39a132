// Issue 12, impersonation by display name: where two members of a room go by
// the same name (or names that only look the same), every place that shows
// the name for that room adds "@username": the timeline, the room list's
// preview and DM names, search results and the mentions inbox, the typing
// line. The models run under QAbstractItemModelTester.
#include "display_names.h"
#include "message_list_model.h"
#include "message_results_model.h"
#include "protocol/replies.h"
#include "room_list_model.h"
#include "session.h"
#include "typing_state.h"
#include "user_directory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;
using Tester = QAbstractItemModelTester;

namespace {

constexpr Id kMe = 1;
constexpr Id kAlice = 2;
constexpr Id kFake = 3; // calls herself "Alice" too
constexpr Id kBob = 4;
constexpr Id kRoom = 10;
constexpr Id kOther = 11;

User user(Id id, const QString& username, const QString& displayName)
{
    User u;
    u.id = id;
    u.username = username;
    u.displayName = displayName;
    return u;
}

Message message(Id id, Id roomId, Id senderId, const QString& content)
{
    Message m;
    m.id = id;
    m.roomId = roomId;
    m.senderId = senderId;
    m.content = content;
    m.createdAt = 1764100000000 + id * 1000;
    m.tempId = QStringLiteral("t-%1").arg(id);
    return m;
}

Room group(Id id, const QString& name, const QList<User>& members, std::optional<Message> last = {})
{
    Room r;
    r.id = id;
    r.type = RoomType::Group;
    r.name = name;
    r.members = members;
    r.createdAt = 1764000000000;
    r.lastMessage = std::move(last);
    return r;
}

Room dm(Id id, const User& me, const User& peer)
{
    Room r = group(id, peer.displayName, {me, peer});
    r.type = RoomType::Dm;
    return r;
}

const User kMeUser = user(kMe, QStringLiteral("mei"), QStringLiteral("Mei Lin"));
const User kAliceUser = user(kAlice, QStringLiteral("alice"), QStringLiteral("Alice Chen"));
const User kBobUser = user(kBob, QStringLiteral("bob"), QStringLiteral("Bob Wang"));

QVariant cell(const QAbstractItemModel& model, int row, int role)
{
    return model.index(row, 0).data(role);
}

} // namespace

class TestDisplayNames : public QObject {
    Q_OBJECT

private slots:
    void skeletonsOfLookAlikes_data();
    void skeletonsOfLookAlikes();
    void handlesOnlyWhereNamesAreShared();
    void lookAlikeUsernamesGetTheId();
    void renamesAndDeparturesUpdateTheTimeline();
    void roomListPreviewAndDmNames();
    void resultsAndTypingLineUseTheRoomsHandles();
    void typingExpiryIsInjectable();
};

void TestDisplayNames::skeletonsOfLookAlikes_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    const auto row = [](const char* tag, const QString& a, const QString& b, bool same) {
        QTest::newRow(tag) << a << b << same;
    };
    row("identical", QStringLiteral("Alice Chen"), QStringLiteral("Alice Chen"), true);
    row("case and outer spaces", QStringLiteral("Alice Chen"), QStringLiteral("  aLICE chen "), true);
    row("inner whitespace runs", QStringLiteral("Alice Chen"), QStringLiteral("Alice \u00A0\t Chen"), true);
    row("fullwidth", QStringLiteral("Alice"), QStringLiteral("\uFF21lice"), true);
    row("mathematical bold", QStringLiteral("Alice"), QString::fromUcs4(U"\U0001D400lice"), true);
    row("cyrillic A", QStringLiteral("Alice"), QStringLiteral("\u0410lice"), true);
    row("cyrillic lowercase", QStringLiteral("Bob"), QStringLiteral("B\u043E\u0432"), true);
    row("greek omicron", QStringLiteral("Bob"), QStringLiteral("B\u03BFb"), true);
    row("zero width space", QStringLiteral("Alice"), QStringLiteral("Ali\u200Bce"), true);
    row("bidi mark", QStringLiteral("Alice"), QStringLiteral("\u200EAlice\u200F"), true);
    row("combining accent", QStringLiteral("Alice"), QStringLiteral("Alic\u00E9"), true);
    row("variation selector", QStringLiteral("Bob\u2764"), QStringLiteral("Bob\u2764\uFE0F"), true);
    row("hangul filler", QStringLiteral("Bob"), QStringLiteral("Bob\u3164"), true);
    row("chinese", QStringLiteral("王小明"), QStringLiteral(" 王小明"), true);
    row("ideographic space", QStringLiteral("王 小明"), QStringLiteral("王\u3000小明"), true);
    row("different names", QStringLiteral("Alice"), QStringLiteral("Alicia"), false);
    row("different chinese", QStringLiteral("王小明"), QStringLiteral("王小红"), false);
    row("word break matters", QStringLiteral("Ann Lee"), QStringLiteral("AnnLee"), false);
}

void TestDisplayNames::skeletonsOfLookAlikes()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(nameSkeleton(a) == nameSkeleton(b), same);
    QVERIFY(!nameSkeleton(a).isEmpty());
}

void TestDisplayNames::handlesOnlyWhereNamesAreShared()
{
    UserDirectory users;
    users.upsertAll({kMeUser, kAliceUser, kBobUser,
                     user(kFake, QStringLiteral("alice_chen"), QStringLiteral(" alice chen"))});
    users.setRoomMembers(kRoom, {kMe, kAlice, kFake});
    users.setRoomMembers(kOther, {kMe, kAlice, kBob});

    QCOMPARE(users.handleIn(kRoom, kAlice), QStringLiteral("@alice"));
    QCOMPARE(users.handleIn(kRoom, kFake), QStringLiteral("@alice_chen"));
    QCOMPARE(users.handleIn(kRoom, kMe), QString());
    QCOMPARE(users.labelIn(kRoom, kAlice), QStringLiteral("Alice Chen (@alice)"));
    QCOMPARE(users.labelIn(kRoom, kMe), QStringLiteral("Mei Lin"));
    // In the other room nobody shares Alice's name.
    QCOMPARE(users.handleIn(kOther, kAlice), QString());
    QCOMPARE(users.labelIn(kOther, kAlice), QStringLiteral("Alice Chen"));
    // Someone who takes *my* name is told apart from me, and I from them.
    users.upsert(user(kBob, QStringLiteral("bob"), QStringLiteral("MEI LIN")));
    QCOMPARE(users.handleIn(kOther, kBob), QStringLiteral("@bob"));
    QCOMPARE(users.handleIn(kOther, kMe), QStringLiteral("@mei"));
    // An unknown room, or no room at all, adds nothing.
    QCOMPARE(users.handleIn(99, kAlice), QString());
}

void TestDisplayNames::lookAlikeUsernamesGetTheId()
{
    // Usernames may use any script: "аlice" with a Cyrillic а looks like
    // "alice", so "@аlice" would not tell them apart; the id does.
    UserDirectory users;
    const QString cyrillic = QStringLiteral("\u0430lice");
    users.upsertAll({kAliceUser, user(kFake, cyrillic, QStringLiteral("Alice Chen"))});
    users.setRoomMembers(kRoom, {kAlice, kFake});
    QCOMPARE(users.handleIn(kRoom, kAlice), QStringLiteral("@alice #2"));
    QCOMPARE(users.handleIn(kRoom, kFake), QStringLiteral("@%1 #3").arg(cyrillic));
}

void TestDisplayNames::renamesAndDeparturesUpdateTheTimeline()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    users.upsertAll({kMeUser, kAliceUser, kBobUser});
    users.setRoomMembers(kRoom, {kMe, kAlice, kBob});
    messages.setSelfUserId(kMe);
    messages.reset(kRoom);
    messages.setNewestPage(
        {message(1, kRoom, kAlice, QStringLiteral("hi")), message(2, kRoom, kBob, QStringLiteral("hello"))},
        false);
    QCOMPARE(messages.roleNames().value(MessageListModel::SenderHandleRole), QByteArray("senderHandle"));
    QCOMPARE(cell(messages, 0, MessageListModel::SenderHandleRole).toString(), QString());
    QCOMPARE(cell(messages, 1, MessageListModel::SenderHandleRole).toString(), QString());

    // Bob renames himself to look like Alice: both of them get a handle,
    // and the views hear of it for Alice's rows too.
    QSignalSpy changed(&messages, &QAbstractItemModel::dataChanged);
    users.upsert(user(kBob, QStringLiteral("bob"), QStringLiteral("\u0410lice Chen")));
    QCOMPARE(cell(messages, 0, MessageListModel::SenderHandleRole).toString(), QStringLiteral("@alice"));
    QCOMPARE(cell(messages, 1, MessageListModel::SenderHandleRole).toString(), QStringLiteral("@bob"));
    QCOMPARE(cell(messages, 1, MessageListModel::SenderNameRole).toString(),
             QStringLiteral("\u0410lice Chen"));
    const bool aliceRowAnnounced =
        std::any_of(changed.cbegin(), changed.cend(), [](const QList<QVariant>& args) {
            return args.at(0).toModelIndex().row() == 0 &&
                   args.at(2).value<QList<int>>().contains(MessageListModel::SenderHandleRole);
        });
    QVERIFY(aliceRowAnnounced);

    // Bob leaves: his old message keeps its handle (a current member shares
    // the name); Alice, alone with the name among the members, needs none.
    users.removeRoomMember(kRoom, kBob);
    QCOMPARE(cell(messages, 0, MessageListModel::SenderHandleRole).toString(), QString());
    QCOMPARE(cell(messages, 1, MessageListModel::SenderHandleRole).toString(), QStringLiteral("@bob"));
}

void TestDisplayNames::roomListPreviewAndDmNames()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    Tester tester(&rooms, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kMe);
    const User fake = user(kFake, QStringLiteral("alice2"), QStringLiteral("Alice Chen"));
    rooms.setRooms({group(kRoom, QStringLiteral("team"), {kMeUser, kAliceUser, fake},
                          message(5, kRoom, kFake, QStringLiteral("send me the password"))),
                    dm(20, kMeUser, kAliceUser)});
    const int team = rooms.rowOf(kRoom);
    const int aliceDm = rooms.rowOf(20);
    QCOMPARE(cell(rooms, team, RoomListModel::LastSenderNameRole).toString(),
             QStringLiteral("Alice Chen (@alice2)"));
    QCOMPARE(cell(rooms, aliceDm, RoomListModel::NameRole).toString(), QStringLiteral("Alice Chen"));

    // A second DM partner by the same name: both DMs say who is who, and the
    // header's name (displayName) is the same text.
    QSignalSpy changed(&rooms, &QAbstractItemModel::dataChanged);
    rooms.upsert(dm(21, kMeUser, fake));
    QCOMPARE(cell(rooms, rooms.rowOf(20), RoomListModel::NameRole).toString(),
             QStringLiteral("Alice Chen (@alice)"));
    QCOMPARE(cell(rooms, rooms.rowOf(21), RoomListModel::NameRole).toString(),
             QStringLiteral("Alice Chen (@alice2)"));
    QCOMPARE(rooms.displayName(20), QStringLiteral("Alice Chen (@alice)"));
    QVERIFY(!changed.isEmpty());
    // The impostor leaves the group: the preview no longer needs the handle
    // for the room's members... but the sender of the last message left, and
    // still shares the name of a member, so the handle stays.
    rooms.removeMember(kRoom, kFake);
    QCOMPARE(cell(rooms, rooms.rowOf(kRoom), RoomListModel::LastSenderNameRole).toString(),
             QStringLiteral("Alice Chen (@alice2)"));
    rooms.remove(21);
    QCOMPARE(cell(rooms, rooms.rowOf(20), RoomListModel::NameRole).toString(), QStringLiteral("Alice Chen"));
}

void TestDisplayNames::resultsAndTypingLineUseTheRoomsHandles()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    MessageResultsModel results(&users, &rooms);
    Tester roomTester(&rooms, Tester::FailureReportingMode::QtTest);
    Tester resultTester(&results, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kMe);
    const User fake = user(kFake, QStringLiteral("alice2"), QStringLiteral("alice chen"));
    rooms.setRooms({group(kRoom, QStringLiteral("team"), {kMeUser, kAliceUser, fake}),
                    group(kOther, QStringLiteral("other"), {kMeUser, kAliceUser})});
    results.setResults({message(7, kRoom, kAlice, QStringLiteral("in team")),
                        message(8, kOther, kAlice, QStringLiteral("in other"))},
                       false);
    QCOMPARE(cell(results, 0, MessageResultsModel::SenderNameRole).toString(),
             QStringLiteral("Alice Chen (@alice)"));
    QCOMPARE(cell(results, 1, MessageResultsModel::SenderNameRole).toString(), QStringLiteral("Alice Chen"));

    // The typing line of the open room.
    Session session; // not connected: nothing is sent
    TypingState typing(&session, &users);
    typing.setRoom(kRoom);
    TypingEvent event;
    event.roomId = kRoom;
    event.userId = kAlice;
    event.isTyping = true;
    typing.apply(event);
    event.userId = kFake;
    typing.apply(event);
    QCOMPARE(typing.text(), QStringLiteral("Alice Chen (@alice) and alice chen (@alice2) are typing…"));
    // The impostor renames: the line follows at once.
    QSignalSpy textChanged(&typing, &TypingState::textChanged);
    users.upsert(user(kFake, QStringLiteral("alice2"), QStringLiteral("Eve")));
    QCOMPARE(typing.text(), QStringLiteral("Alice Chen and Eve are typing…"));
    QVERIFY(!textChanged.isEmpty());
}

void TestDisplayNames::typingExpiryIsInjectable()
{
    UserDirectory users;
    users.upsert(kAliceUser);
    Session session;
    TypingState typing(&session, &users);
    typing.setExpiryMs(300);
    typing.setRoom(kRoom);
    TypingEvent event;
    event.roomId = kRoom;
    event.userId = kAlice;
    event.isTyping = true;
    typing.apply(event);
    QCOMPARE(typing.text(), QStringLiteral("Alice Chen is typing…"));
    QTRY_COMPARE_WITH_TIMEOUT(typing.text(), QString(), 5000);
}

QTEST_GUILESS_MAIN(TestDisplayNames)
#include "tst_display_names.moc"
