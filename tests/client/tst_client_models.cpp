// The client's list models driven through realistic sequences (sign-in,
// paging, optimistic sends, live events, presence), each model watched by
// QAbstractItemModelTester so every signal sequence is checked as it happens.
#include "message_list_model.h"
#include "message_results_model.h"
#include "protocol/validation.h"
#include "room_list_model.h"
#include "user_directory.h"
#include "user_list_model.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QLocale>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;
using Tester = QAbstractItemModelTester;

namespace {

constexpr Id kAlice = 1; // the signed-in user
constexpr Id kBob = 2;
constexpr Id kWang = 3;
constexpr qint64 kMinute = 60 * 1000;

QString S(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

User user(Id id, const char* username, const char* displayName, bool online = false)
{
    User u;
    u.id = id;
    u.username = S(username);
    u.displayName = S(displayName);
    u.online = online;
    return u;
}

Message message(Id id, Id roomId, Id senderId, const QString& content, qint64 createdAt,
                const QString& tempId = {})
{
    Message m;
    m.id = id;
    m.roomId = roomId;
    m.senderId = senderId;
    m.content = content;
    m.createdAt = createdAt;
    m.tempId = tempId.isEmpty() ? QStringLiteral("t-%1").arg(id) : tempId;
    return m;
}

Room room(Id id, RoomType type, const char* name, QList<User> members, qint64 createdAt,
          std::optional<Message> last = std::nullopt)
{
    Room r;
    r.id = id;
    r.type = type;
    r.name = S(name);
    r.members = std::move(members);
    r.createdAt = createdAt;
    r.lastMessage = std::move(last);
    return r;
}

qint64 at(int daysAgo, int hour, int minute)
{
    return QDateTime(QDate::currentDate().addDays(-daysAgo), QTime(hour, minute)).toMSecsSinceEpoch();
}

QList<Id> column(const QAbstractItemModel& model, int role)
{
    QList<Id> values;
    for (int row = 0; row < model.rowCount(); ++row)
        values.append(Id(model.index(row, 0).data(role).toDouble()));
    return values;
}

QVariant value(const QAbstractItemModel& model, int row, int role)
{
    return model.index(row, 0).data(role);
}

// The rows a dataChanged spy reported for `role`.
QList<int> changedRows(const QSignalSpy& spy, int role)
{
    QList<int> rows;
    for (const QList<QVariant>& args : spy) {
        if (args.at(2).value<QList<int>>().contains(role)) {
            for (int row = args.at(0).toModelIndex().row(); row <= args.at(1).toModelIndex().row(); ++row)
                rows.append(row);
        }
    }
    return rows;
}

QList<Message> range(Id from, Id to, Id roomId, qint64 start)
{
    QList<Message> list;
    for (Id id = from; id <= to; ++id)
        list.append(
            message(id, roomId, id % 2 ? kAlice : kBob, S("消息 %1 😀").arg(id), start + id * kMinute));
    return list;
}

} // namespace

class TestClientModels : public QObject {
    Q_OBJECT

private slots:
    void roomsSortByActivity();
    void messageMovesRoomAndCountsUnread();
    void mentionsAndMarkRead();
    void removeRoomAndMember();
    void dmNameAndPresence();
    void pagingKeepsOrderWithoutDuplicates();
    void ackThenMessageIsOneRow();
    void messageThenAckIsOneRow();
    void failureRetryAck();
    void acksOutOfOrderKeepIdOrder();
    void appendNewerSkipsKnown();
    void groupingAndDayLabels();
    void mentionsMe();
    void randomSendSequences();
    void userListMinimalChanges();
    void messageResults();
};

void TestClientModels::roomsSortByActivity()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    Tester tester(&rooms, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kAlice);
    const QList<User> members{user(kAlice, "alice", "Alice"), user(kBob, "bob", "Bob Wang")};
    rooms.setRooms({
        room(10, RoomType::Group, "old", members, 100),
        room(11, RoomType::Group, "设计评审", members, 50, message(5, 11, kBob, S("今天下午开会"), 300)),
        room(12, RoomType::Group, "tie-small", members, 200),
        room(13, RoomType::Group, "tie-large", members, 200),
    });
    QCOMPARE(rooms.roomIds(), (QList<Id>{11, 13, 12, 10}));
    QCOMPARE(value(rooms, 0, RoomListModel::LastActivityRole).toDouble(), 300.0);
    QCOMPARE(value(rooms, 0, RoomListModel::NameRole).toString(), S("设计评审"));
    QCOMPARE(value(rooms, 0, RoomListModel::LastSenderNameRole).toString(), S("Bob Wang"));
    QCOMPARE(value(rooms, 3, RoomListModel::LastSenderNameRole).toString(), QString());
    QCOMPARE(rooms.rowOf(12), 2);
    QCOMPARE(rooms.rowOf(99), -1);
    QVERIFY(users.contains(kBob)); // setRooms fills the directory
    QCOMPARE(rooms.roleNames().value(RoomListModel::UnreadCountRole), QByteArray("unreadCount"));
    QCOMPARE(int(RoomListModel::RoomIdRole), Qt::UserRole + 1);
}

void TestClientModels::messageMovesRoomAndCountsUnread()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    Tester tester(&rooms, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kAlice);
    const QList<User> members{user(kAlice, "alice", "Alice"), user(kBob, "bob", "Bob")};
    rooms.setRooms({room(1, RoomType::Group, "A", members, 300), room(2, RoomType::Group, "B", members, 200),
                    room(3, RoomType::Group, "C", members, 100)});
    QSignalSpy moved(&rooms, &QAbstractItemModel::rowsMoved);
    QSignalSpy changed(&rooms, &QAbstractItemModel::dataChanged);
    QSignalSpy total(&rooms, &RoomListModel::totalUnreadChanged);

    rooms.applyMessage(message(50, 3, kBob, S("第一行\n第二行  😀"), 1000), false);
    QCOMPARE(rooms.roomIds(), (QList<Id>{3, 1, 2}));
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved.at(0).at(1).toInt(), 2); // source row
    QCOMPARE(moved.at(0).at(4).toInt(), 0); // destination
    QCOMPARE(value(rooms, 0, RoomListModel::UnreadCountRole).toInt(), 1);
    QCOMPARE(value(rooms, 0, RoomListModel::LastMessageTextRole).toString(), S("第一行 第二行 😀"));
    QCOMPARE(changedRows(changed, RoomListModel::UnreadCountRole), QList<int>{0});
    QCOMPARE(rooms.totalUnread(), 1);
    QCOMPARE(total.size(), 1);

    // Mine: moves to the top, not unread.
    rooms.applyMessage(message(51, 2, kAlice, S("mine"), 1100), false);
    QCOMPARE(rooms.roomIds(), (QList<Id>{2, 3, 1}));
    QCOMPARE(moved.at(1).at(1).toInt(), 2);
    QCOMPARE(moved.at(1).at(4).toInt(), 0);
    QCOMPARE(rooms.room(2).unreadCount, 0);
    // The open room: not unread either. Already on top: no move.
    rooms.applyMessage(message(52, 2, kBob, S("seen"), 1200), true);
    QCOMPARE(moved.size(), 2);
    QCOMPARE(rooms.room(2).unreadCount, 0);
    // A middle row to the top, then a stale or repeated id changes nothing.
    rooms.applyMessage(message(53, 3, kBob, S("again"), 1300), false);
    QCOMPARE(rooms.roomIds(), (QList<Id>{3, 2, 1}));
    QCOMPARE(moved.at(2).at(1).toInt(), 1);
    QCOMPARE(moved.at(2).at(4).toInt(), 0);
    rooms.applyMessage(message(53, 3, kBob, S("again"), 1300), false);
    rooms.applyMessage(message(40, 1, kBob, S("old"), 1400), false); // room 1 has no lastMessage: new
    QCOMPARE(rooms.room(3).unreadCount, 2);
    QCOMPARE(rooms.totalUnread(), 3);
    QCOMPARE(total.size(), 3);

    // A room event with older activity moves the row down (destination after it).
    Room r = rooms.room(1);
    r.lastMessage.reset();
    r.createdAt = 10;
    r.unreadCount = 0;
    moved.clear();
    rooms.upsert(r);
    QCOMPARE(rooms.roomIds(), (QList<Id>{1, 3, 2}));
    QCOMPARE(moved.size(), 0); // it keeps the newer message it already had
    QCOMPARE(rooms.totalUnread(), 2);
    rooms.upsert(room(4, RoomType::Group, "new", {}, 5000));
    QCOMPARE(rooms.roomIds(), (QList<Id>{4, 1, 3, 2}));
    rooms.upsert(room(4, RoomType::Group, "renamed", {}, 1));
    QCOMPARE(rooms.roomIds(), (QList<Id>{1, 3, 2, 4}));
    QCOMPARE(moved.last().at(1).toInt(), 0);
    QCOMPARE(moved.last().at(4).toInt(), 4);
    QCOMPARE(value(rooms, 3, RoomListModel::NameRole).toString(), S("renamed"));
}

void TestClientModels::mentionsAndMarkRead()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    Tester tester(&rooms, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kAlice);
    Room r = room(7, RoomType::Group, "设计评审", {user(kAlice, "alice", "A"), user(kBob, "bob", "B")}, 1);
    r.unreadCount = 4;
    r.mentionCount = 1;
    rooms.setRooms({r});
    QCOMPARE(rooms.totalUnread(), 4);
    QSignalSpy changed(&rooms, &QAbstractItemModel::dataChanged);
    QSignalSpy total(&rooms, &RoomListModel::totalUnreadChanged);
    rooms.applyMention(7, false);
    rooms.applyMention(7, true); // open: the user sees it
    QCOMPARE(value(rooms, 0, RoomListModel::MentionCountRole).toInt(), 2);
    QCOMPARE(changedRows(changed, RoomListModel::MentionCountRole), QList<int>{0});
    rooms.markRead(7);
    QCOMPARE(value(rooms, 0, RoomListModel::UnreadCountRole).toInt(), 0);
    QCOMPARE(value(rooms, 0, RoomListModel::MentionCountRole).toInt(), 0);
    QCOMPARE(rooms.totalUnread(), 0);
    QCOMPARE(total.size(), 1);
    changed.clear();
    rooms.markRead(7); // nothing to clear: no signal
    rooms.applyMention(99, false);
    QCOMPARE(changed.size(), 0);
}

void TestClientModels::removeRoomAndMember()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    Tester tester(&rooms, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kAlice);
    const QList<User> members{user(kAlice, "alice", "A"), user(kBob, "bob", "B"),
                              user(kWang, "王小明", "小明")};
    Room two = room(2, RoomType::Group, "two", members, 200);
    two.unreadCount = 2;
    rooms.setRooms({room(1, RoomType::Group, "one", members, 100), two});
    QSignalSpy removed(&rooms, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&rooms, &QAbstractItemModel::dataChanged);
    rooms.removeMember(1, kWang);
    QCOMPARE(value(rooms, 1, RoomListModel::MemberCountRole).toInt(), 2);
    QCOMPARE(changedRows(changed, RoomListModel::MemberCountRole), QList<int>{1});
    rooms.removeMember(1, kWang); // not a member any more
    QCOMPARE(changed.size(), 1);
    rooms.remove(2);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(rooms.roomIds(), QList<Id>{1});
    QCOMPARE(rooms.totalUnread(), 0);
    QVERIFY(!rooms.contains(2));
    QCOMPARE(rooms.room(2).id, Id(0));

    // A big group whose member list came cut: the count is the real size,
    // and it follows a leaver who was not among those listed.
    Room big = room(3, RoomType::Group, "big", members, 300);
    big.memberCount = 500;
    rooms.upsert(big);
    const int row = rooms.rowOf(3);
    QCOMPARE(value(rooms, row, RoomListModel::MemberCountRole).toInt(), 500);
    rooms.removeMember(3, 4242);
    QCOMPARE(value(rooms, row, RoomListModel::MemberCountRole).toInt(), 499);
    rooms.removeMember(3, kWang);
    QCOMPARE(value(rooms, row, RoomListModel::MemberCountRole).toInt(), 498);
}

void TestClientModels::dmNameAndPresence()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    Tester tester(&rooms, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kAlice);
    const User alice = user(kAlice, "alice", "Alice Chen", true);
    const User bob = user(kBob, "bob", "Bob Wang");
    const User wang = user(kWang, "王小明", "");
    rooms.setRooms({room(1, RoomType::Dm, "Bob Wang", {alice, bob}, 300),
                    room(2, RoomType::Dm, "王小明", {wang, alice}, 200),
                    room(3, RoomType::Group, "group", {alice, bob, wang}, 100),
                    room(4, RoomType::Dm, "Alice Chen", {alice}, 50)});
    QCOMPARE(value(rooms, 0, RoomListModel::NameRole).toString(), S("Bob Wang"));
    QCOMPARE(value(rooms, 1, RoomListModel::NameRole).toString(), S("王小明")); // no display name: username
    QCOMPARE(value(rooms, 3, RoomListModel::NameRole).toString(), S("Alice Chen")); // note to self
    QCOMPARE(value(rooms, 0, RoomListModel::PeerUserIdRole).toDouble(), double(kBob));
    QCOMPARE(value(rooms, 1, RoomListModel::PeerUserIdRole).toDouble(), double(kWang));
    QCOMPARE(value(rooms, 2, RoomListModel::PeerUserIdRole).toDouble(), 0.0);
    QCOMPARE(value(rooms, 0, RoomListModel::IsDmRole).toBool(), true);
    QCOMPARE(value(rooms, 0, RoomListModel::OnlineRole).toBool(), false);

    QSignalSpy changed(&rooms, &QAbstractItemModel::dataChanged);
    users.setPresence(kBob, true, 999);
    QCOMPARE(value(rooms, 0, RoomListModel::OnlineRole).toBool(), true);
    QCOMPARE(changedRows(changed, RoomListModel::OnlineRole), QList<int>{0}); // the group row is untouched
    QCOMPARE(value(rooms, 2, RoomListModel::OnlineRole).toBool(), false);
    users.setPresence(kBob, true, 999); // no change, no signal
    QCOMPARE(changed.size(), 1);
    users.upsert(user(kBob, "bob", "Bobby", true));
    QCOMPARE(value(rooms, 0, RoomListModel::NameRole).toString(), S("Bobby"));
    QCOMPARE(changedRows(changed, RoomListModel::NameRole), (QList<int>{0, 0}));
}

void TestClientModels::pagingKeepsOrderWithoutDuplicates()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    const qint64 start = at(3, 9, 0);
    QSignalSpy more(&messages, &MessageListModel::hasMoreOlderChanged);
    QSignalSpy inserted(&messages, &QAbstractItemModel::rowsInserted);
    messages.setNewestPage(range(201, 250, 7, start), true);
    QVERIFY(messages.hasMoreOlder());
    messages.prependOlder(range(151, 200, 7, start), true);
    messages.prependOlder(range(101, 151, 7, start), true); // overlaps the previous page by one
    messages.prependOlder(range(51, 100, 7, start) + range(120, 121, 7, start), false);
    QVERIFY(!messages.hasMoreOlder());
    QCOMPARE(more.size(), 2);
    QCOMPARE(inserted.size(), 4);
    for (const QList<QVariant>& args : inserted)
        QCOMPARE(args.at(1).toInt(), 0); // every page went in at the top, in one block
    QList<Id> expected;
    for (Id id = 51; id <= 250; ++id)
        expected.append(id);
    QCOMPARE(column(messages, MessageListModel::MessageIdRole), expected);
    QCOMPARE(messages.oldestId(), Id(51));
    QCOMPARE(messages.newestId(), Id(250));
    QCOMPARE(messages.rowOfMessage(120), 69);
    QCOMPARE(value(messages, 0, MessageListModel::ContentRole).toString(), S("消息 51 😀"));
    // Messages of another room are not this model's.
    messages.appendNewer({message(900, 8, kBob, S("elsewhere"), start)});
    QCOMPARE(messages.rowCount(), 200);
}

void TestClientModels::ackThenMessageIsOneRow()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    const qint64 now = at(0, 12, 0);
    messages.setNewestPage({message(10, 7, kBob, S("hi"), now)}, false);
    messages.addPending(QStringLiteral("c-1"), S("今天下午开会 @bob"), {{kBob, 7, 11}}, now + 1000);
    QCOMPARE(messages.rowCount(), 2);
    QCOMPARE(value(messages, 1, MessageListModel::StatusRole).toInt(),
             int(MessageListModel::Status::Pending));
    QCOMPARE(value(messages, 1, MessageListModel::MessageIdRole).toDouble(), 0.0);
    QCOMPARE(value(messages, 1, MessageListModel::FromMeRole).toBool(), true);
    QCOMPARE(messages.newestId(), Id(10));

    QSignalSpy changed(&messages, &QAbstractItemModel::dataChanged);
    messages.acknowledge(QStringLiteral("c-1"), 11, now + 1500);
    QCOMPARE(messages.rowCount(), 2);
    QCOMPARE(changedRows(changed, MessageListModel::StatusRole), QList<int>{1});
    QCOMPARE(value(messages, 1, MessageListModel::StatusRole).toInt(), int(MessageListModel::Status::Sent));
    QCOMPARE(value(messages, 1, MessageListModel::MessageIdRole).toDouble(), 11.0);
    QCOMPARE(value(messages, 1, MessageListModel::CreatedAtRole).toDouble(), double(now + 1500));
    QCOMPARE(messages.newestId(), Id(11));

    Message stored = message(11, 7, kAlice, S("今天下午开会 @bob"), now + 1500, QStringLiteral("c-1"));
    stored.mentions = {{kBob, 7, 11}};
    messages.upsert(stored);
    messages.appendNewer({stored});
    QCOMPARE(messages.rowCount(), 2);
    QCOMPARE(messages.rowOfTempId(QStringLiteral("c-1")), 1);
    QCOMPARE(messages.rowOfMessage(11), 1);
}

void TestClientModels::messageThenAckIsOneRow()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    const qint64 now = at(0, 12, 0);
    messages.addPending(QStringLiteral("c-2"), S("@bob 你看 https://example.com"), {{kBob, 0, 4}}, now);
    Message stored =
        message(20, 7, kAlice, S("@bob 你看 https://example.com"), now + 30, QStringLiteral("c-2"));
    stored.mentions = {}; // the server dropped the span: the row shows what was stored
    messages.upsert(stored);
    QCOMPARE(messages.rowCount(), 1);
    QCOMPARE(value(messages, 0, MessageListModel::StatusRole).toInt(), int(MessageListModel::Status::Sent));
    QCOMPARE(value(messages, 0, MessageListModel::MentionsRole).toList().size(), 0);

    QSignalSpy changed(&messages, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&messages, &QAbstractItemModel::rowsInserted);
    messages.acknowledge(QStringLiteral("c-2"), 20, now + 30); // a no-op now
    QCOMPARE(changed.size(), 0);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(messages.rowCount(), 1);
    // Another user's message with the same tempId is a different message.
    messages.upsert(message(21, 7, kBob, S("same tempId, other sender"), now + 60, QStringLiteral("c-2")));
    QCOMPARE(messages.rowCount(), 2);
    QCOMPARE(messages.rowOfTempId(QStringLiteral("c-2")), 0);
}

void TestClientModels::failureRetryAck()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    const qint64 now = at(0, 12, 0);
    messages.addPending(QStringLiteral("c-3"), S("retry me"), {}, now);
    QSignalSpy changed(&messages, &QAbstractItemModel::dataChanged);
    messages.setFailed(QStringLiteral("c-3"));
    QCOMPARE(value(messages, 0, MessageListModel::StatusRole).toInt(), int(MessageListModel::Status::Failed));
    messages.setPending(QStringLiteral("c-3"));
    QCOMPARE(value(messages, 0, MessageListModel::StatusRole).toInt(),
             int(MessageListModel::Status::Pending));
    QCOMPARE(changedRows(changed, MessageListModel::StatusRole), (QList<int>{0, 0}));
    messages.acknowledge(QStringLiteral("c-3"), 30, now + 5);
    QCOMPARE(value(messages, 0, MessageListModel::StatusRole).toInt(), int(MessageListModel::Status::Sent));
    messages.setFailed(QStringLiteral("c-3")); // stored messages do not fail
    QCOMPARE(value(messages, 0, MessageListModel::StatusRole).toInt(), int(MessageListModel::Status::Sent));
}

void TestClientModels::acksOutOfOrderKeepIdOrder()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    const qint64 now = at(0, 12, 0);
    messages.setNewestPage({message(100, 7, kBob, S("a"), now)}, false);
    messages.addPending(QStringLiteral("p-1"), S("first"), {}, now + 1);
    messages.addPending(QStringLiteral("p-2"), S("second"), {}, now + 2);
    // Someone else's message lands before my pending rows.
    messages.appendNewer({message(101, 7, kBob, S("b"), now + 3)});
    QCOMPARE(messages.rowOfMessage(101), 1);
    QCOMPARE(messages.rowOfTempId(QStringLiteral("p-1")), 2);

    QSignalSpy moved(&messages, &QAbstractItemModel::rowsMoved);
    messages.acknowledge(QStringLiteral("p-2"), 102, now + 4);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved.at(0).at(1).toInt(), 3);
    QCOMPARE(moved.at(0).at(4).toInt(), 2);
    messages.acknowledge(QStringLiteral("p-1"), 103, now + 5);
    QCOMPARE(moved.size(), 1); // already in place
    QCOMPARE(column(messages, MessageListModel::MessageIdRole), (QList<Id>{100, 101, 102, 103}));
    QCOMPARE(value(messages, 3, MessageListModel::ContentRole).toString(), S("first"));
}

void TestClientModels::appendNewerSkipsKnown()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    const qint64 now = at(1, 8, 0);
    messages.setNewestPage(range(1, 5, 7, now), false);
    messages.addPending(QStringLiteral("mine"), S("pending"), {}, now + 100 * kMinute);
    QSignalSpy inserted(&messages, &QAbstractItemModel::rowsInserted);
    messages.appendNewer(range(4, 8, 7, now));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 5);
    QCOMPARE(inserted.at(0).at(2).toInt(), 7);
    QCOMPARE(column(messages, MessageListModel::MessageIdRole), (QList<Id>{1, 2, 3, 4, 5, 6, 7, 8, 0}));
    // Catch-up that contains my unacknowledged send turns the pending row into it.
    messages.appendNewer({message(9, 7, kAlice, S("pending"), now + 9 * kMinute, QStringLiteral("mine"))});
    QCOMPARE(column(messages, MessageListModel::MessageIdRole), (QList<Id>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    QCOMPARE(messages.rowCount(), 9);
}

void TestClientModels::groupingAndDayLabels()
{
    UserDirectory users;
    users.upsertAll({user(kAlice, "alice", "Alice"), user(kBob, "bob", "Bob 王")});
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    messages.setNewestPage(
        {message(1, 7, kBob, S("long ago"), at(9, 10, 0)), message(2, 7, kBob, S("昨晚"), at(1, 23, 56)),
         message(3, 7, kBob, S("still yesterday"), at(1, 23, 58)),
         message(4, 7, kBob, S("after midnight"), at(0, 0, 1)), message(5, 7, kAlice, S("me"), at(0, 0, 2)),
         message(6, 7, kAlice, S("me again"), at(0, 0, 6)),
         message(8, 7, kAlice, S("after a gap"), at(0, 0, 12))},
        true);
    const auto first = [&](int row) {
        return value(messages, row, MessageListModel::FirstInGroupRole).toBool();
    };
    const auto day = [&](int row) { return value(messages, row, MessageListModel::DayLabelRole).toString(); };
    QCOMPARE((QList<bool>{first(0), first(1), first(2), first(3), first(4), first(5), first(6)}),
             (QList<bool>{true, true, false, true, true, false, true}));
    QCOMPARE(day(0), QLocale().toString(QDate::currentDate().addDays(-9), QStringLiteral("d MMMM yyyy")));
    QCOMPARE(day(1), S("Yesterday"));
    QCOMPARE(day(2), QString());
    QCOMPARE(day(3), S("Today"));
    QCOMPARE(day(4), QString());
    QCOMPARE(value(messages, 3, MessageListModel::TimeTextRole).toString(), S("00:01"));
    QCOMPARE(value(messages, 3, MessageListModel::SenderNameRole).toString(), S("Bob 王"));

    // Bob's message 7 lands between two of mine; the row after it was first already (the gap).
    QSignalSpy changed(&messages, &QAbstractItemModel::dataChanged);
    messages.upsert(message(7, 7, kBob, S("interrupt"), at(0, 0, 7)));
    QCOMPARE(messages.rowOfMessage(7), 6);
    QVERIFY(first(6));
    QVERIFY(first(7));
    QCOMPARE(changedRows(changed, MessageListModel::FirstInGroupRole), QList<int>{});
    messages.upsert(message(7, 7, kBob, S("interrupt, edited"), at(0, 0, 7)));
    QCOMPARE(value(messages, 6, MessageListModel::ContentRole).toString(), S("interrupt, edited"));
    QCOMPARE(changedRows(changed, MessageListModel::ContentRole), QList<int>{6});
    changed.clear();
    messages.upsert(message(7, 7, kBob, S("interrupt, edited"), at(0, 0, 7))); // the same: no signal
    QCOMPARE(changed.size(), 0);

    // Alice's 23:57 between Bob's 23:56 and 23:58: Bob's second message starts a group now.
    messages.reset(7);
    messages.setNewestPage({message(2, 7, kBob, S("a"), at(1, 23, 56)),
                            message(4, 7, kBob, S("b"), at(1, 23, 58)),
                            message(10, 7, kBob, S("c"), at(0, 0, 1))},
                           false);
    QVERIFY(!first(1));
    messages.appendNewer({message(3, 7, kAlice, S("between"), at(1, 23, 57))});
    QCOMPARE(changedRows(changed, MessageListModel::FirstInGroupRole), QList<int>{2});
    QVERIFY(first(2));
    // A message of today before today's first one takes its day label.
    changed.clear();
    messages.appendNewer({message(9, 7, kBob, S("零点"), at(0, 0, 0))});
    QCOMPARE(messages.rowOfMessage(9), 3);
    QCOMPARE(day(3), S("Today"));
    QCOMPARE(day(4), QString());
    QCOMPARE(changedRows(changed, MessageListModel::DayLabelRole), QList<int>{4});
}

void TestClientModels::mentionsMe()
{
    UserDirectory users;
    MessageListModel messages(&users);
    Tester tester(&messages, Tester::FailureReportingMode::QtTest);
    messages.setSelfUserId(kAlice);
    messages.reset(7);
    Message toMe = message(1, 7, kBob, S("😀你好 @alice"), at(0, 9, 0));
    toMe.mentions = {{kAlice, 5, 11}};
    toMe.replyTo = 99;
    Message toWang = message(2, 7, kBob, S("@王小明 好"), at(0, 9, 1));
    toWang.mentions = {{kWang, 0, 4}};
    messages.setNewestPage({toMe, toWang}, false);
    QVERIFY(value(messages, 0, MessageListModel::MentionsMeRole).toBool());
    QVERIFY(!value(messages, 1, MessageListModel::MentionsMeRole).toBool());
    const QVariantMap span = value(messages, 0, MessageListModel::MentionsRole).toList().value(0).toMap();
    QCOMPARE(span.value(QStringLiteral("userId")).toDouble(), double(kAlice));
    QCOMPARE(span.value(QStringLiteral("indexStart")).toInt(), 5);
    QCOMPARE(span.value(QStringLiteral("indexEnd")).toInt(), 11);
    QCOMPARE(value(messages, 0, MessageListModel::ReplyToRole).toDouble(), 99.0);
    QCOMPARE(value(messages, 1, MessageListModel::ReplyToRole).toDouble(), 0.0);
    QCOMPARE(messages.roleNames().value(MessageListModel::MentionsMeRole), QByteArray("mentionsMe"));

    // "\r\n" is one paragraph break in a TextEdit: content and spans shown with "\n".
    Message crlf = message(3, 7, kBob, S("第一行\r\n@alice 你好\r\n@bob"), at(0, 9, 2));
    crlf.mentions = {{kAlice, 5, 11}, {kBob, 16, 20}};
    messages.appendNewer({crlf});
    const QString shown = value(messages, 2, MessageListModel::ContentRole).toString();
    QCOMPARE(shown, S("第一行\n@alice 你好\n@bob"));
    const QVariantList spans = value(messages, 2, MessageListModel::MentionsRole).toList();
    QCOMPARE(spans.size(), 2);
    const QVariantMap alice = spans.at(0).toMap();
    const QVariantMap bob = spans.at(1).toMap();
    QVERIFY(validation::mentionSpanMatches(shown,
                                           {kAlice, alice.value(QStringLiteral("indexStart")).toInt(),
                                            alice.value(QStringLiteral("indexEnd")).toInt()},
                                           QStringLiteral("alice")));
    QVERIFY(validation::mentionSpanMatches(shown,
                                           {kBob, bob.value(QStringLiteral("indexStart")).toInt(),
                                            bob.value(QStringLiteral("indexEnd")).toInt()},
                                           QStringLiteral("bob")));
}

void TestClientModels::randomSendSequences()
{
    // Sends acked and echoed in every interleaving, with other people's
    // messages arriving between: always one row per message, ids ascending,
    // pending rows last.
    QRandomGenerator random(20260101);
    for (int round = 0; round < 30; ++round) {
        UserDirectory users;
        MessageListModel messages(&users);
        Tester tester(&messages, Tester::FailureReportingMode::QtTest);
        messages.setSelfUserId(kAlice);
        messages.reset(7);
        Id nextId = 1;
        const qint64 now = at(0, 10, 0);
        struct Send {
            QString tempId;
            Id id = 0;
            bool acked = false;
            bool echoed = false;
        };
        QList<Send> sends;
        for (int step = 0; step < 60; ++step) {
            const int action = int(random.bounded(4));
            if (action == 0) {
                const QString tempId = QStringLiteral("r%1-%2").arg(round).arg(step);
                messages.addPending(tempId, S("发送 %1").arg(step), {}, now + step);
                sends.append({tempId});
            } else if (action == 1) {
                const Id id = nextId++;
                messages.appendNewer({message(id, 7, kBob, S("其他 %1").arg(id), now + step)});
            } else if (!sends.isEmpty()) {
                Send& send = sends[int(random.bounded(int(sends.size())))];
                if (send.id == 0)
                    send.id = nextId++; // the server stores it now
                if (action == 2 && !send.acked) {
                    messages.acknowledge(send.tempId, send.id, now + step);
                    send.acked = true;
                } else if (action == 3 && !send.echoed) {
                    messages.upsert(message(send.id, 7, kAlice, S("sent"), now + step, send.tempId));
                    send.echoed = true;
                }
            }
            const QList<Id> ids = column(messages, MessageListModel::MessageIdRole);
            const int stored = int(ids.size() - ids.count(0));
            for (int i = 1; i < stored; ++i)
                QVERIFY2(ids.at(i - 1) < ids.at(i), "stored ids ascend");
            QCOMPARE(ids.mid(stored), QList<Id>(ids.size() - stored, 0));
        }
        int expectedRows = int(nextId - 1);
        for (const Send& send : std::as_const(sends))
            expectedRows += send.id == 0 ? 1 : 0;
        QCOMPARE(messages.rowCount(), expectedRows);
    }
}

void TestClientModels::userListMinimalChanges()
{
    UserListModel list;
    Tester tester(&list, Tester::FailureReportingMode::QtTest);
    QSignalSpy reset(&list, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&list, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&list, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&list, &QAbstractItemModel::dataChanged);
    QSignalSpy count(&list, &UserListModel::countChanged);
    const User a = user(1, "alice", "Alice");
    const User b = user(2, "bob", "Bob");
    const User c = user(3, "王小明", "小明");
    const User d = user(4, "dora", "");
    list.setUsers({a, b, c});
    QCOMPARE(list.count(), 3);
    QCOMPARE(count.size(), 1);
    list.setUsers({b, c, d});
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 2);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(count.size(), 1); // 3 -> 3
    list.setUsers({d, b, user(3, "王小明", "小明", true)});
    QCOMPARE(column(list, UserListModel::UserIdRole), (QList<Id>{4, 2, 3}));
    QCOMPARE(changedRows(changed, UserListModel::OnlineRole), QList<int>{2});
    QCOMPARE(value(list, 0, UserListModel::DisplayNameRole).toString(), S("dora"));
    list.setPresence(2, true);
    QCOMPARE(list.get(1).value(QStringLiteral("online")).toBool(), true);
    QCOMPARE(list.get(2).value(QStringLiteral("username")).toString(), S("王小明"));
    QVERIFY(list.get(7).isEmpty());
    QCOMPARE(reset.size(), 0);

    // Random targets: the model always ends equal to the target list.
    QRandomGenerator random(7);
    for (int round = 0; round < 100; ++round) {
        QList<User> target;
        for (Id id = 1; id <= 12; ++id) {
            if (random.bounded(2))
                target.append(user(id, "u", "U", random.bounded(2)));
        }
        std::shuffle(target.begin(), target.end(), random);
        list.setUsers(target);
        QList<Id> ids;
        for (const User& u : std::as_const(target))
            ids.append(u.id);
        QCOMPARE(column(list, UserListModel::UserIdRole), ids);
        for (int row = 0; row < target.size(); ++row)
            QCOMPARE(value(list, row, UserListModel::OnlineRole).toBool(), target.at(row).online);
    }
    QCOMPARE(reset.size(), 0);
}

void TestClientModels::messageResults()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    MessageResultsModel results(&users, &rooms);
    Tester tester(&results, Tester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kAlice);
    const QList<User> members{user(kAlice, "alice", "Alice"), user(kBob, "bob", "Bob Wang")};
    rooms.setRooms(
        {room(7, RoomType::Group, "设计评审", members, 1), room(8, RoomType::Dm, "Bob Wang", members, 2)});
    QSignalSpy count(&results, &MessageResultsModel::countChanged);
    QSignalSpy more(&results, &MessageResultsModel::hasMoreChanged);
    results.setResults({message(30, 7, kBob, S("今天下午开会"), at(0, 14, 5)),
                        message(20, 8, kAlice, S("开会吗？😀"), at(40, 9, 0)),
                        message(10, 9, kBob, S("unknown room"), at(400, 9, 0))},
                       true);
    QCOMPARE(results.count(), 3);
    QVERIFY(results.hasMore());
    QCOMPARE(value(results, 0, MessageResultsModel::RoomNameRole).toString(), S("设计评审"));
    QCOMPARE(value(results, 1, MessageResultsModel::RoomNameRole).toString(), S("Bob Wang"));
    QCOMPARE(value(results, 2, MessageResultsModel::RoomNameRole).toString(), QString());
    QCOMPARE(value(results, 0, MessageResultsModel::SenderNameRole).toString(), S("Bob Wang"));
    QCOMPARE(value(results, 0, MessageResultsModel::TimeTextRole).toString(), S("14:05"));
    QCOMPARE(value(results, 2, MessageResultsModel::TimeTextRole).toString(),
             QLocale().toString(QDate::currentDate().addDays(-400), QStringLiteral("d MMM yyyy")));
    QCOMPARE(results.lastId(), Id(10));

    QSignalSpy inserted(&results, &QAbstractItemModel::rowsInserted);
    results.appendResults(
        {message(10, 9, kBob, S("repeat"), 0), message(5, 7, kBob, S("older"), at(0, 8, 0))}, false);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 3);
    QCOMPARE(column(results, MessageResultsModel::MessageIdRole), (QList<Id>{30, 20, 10, 5}));
    QVERIFY(!results.hasMore());
    QCOMPARE(more.size(), 2);

    QSignalSpy changed(&results, &QAbstractItemModel::dataChanged);
    rooms.upsert(room(9, RoomType::Group, "新房间", members, 3)); // the unknown room arrives
    QCOMPARE(value(results, 2, MessageResultsModel::RoomNameRole).toString(), S("新房间"));
    QVERIFY(changedRows(changed, MessageResultsModel::RoomNameRole).contains(2));
    results.prepend(message(40, 7, kBob, S("@alice 看这里"), at(0, 15, 0)));
    results.prepend(message(40, 7, kBob, S("@alice 看这里"), at(0, 15, 0)));
    QCOMPARE(results.count(), 5);
    results.setResults({message(1, 7, kBob, S("new query"), at(0, 1, 0))}, false);
    QCOMPARE(column(results, MessageResultsModel::MessageIdRole), QList<Id>{1});
    results.clear();
    QCOMPARE(results.count(), 0);
    QCOMPARE(results.lastId(), Id(0));
    QCOMPARE(count.size(), 5);
}

QTEST_GUILESS_MAIN(TestClientModels)
#include "tst_client_models.moc"
