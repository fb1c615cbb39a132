// Who gets a desktop notification (NotificationRule, row by row), how they
// group per room and answer clicks (NotificationCenter against a recording
// stand-in for the desktop service), and the unread total that the tray and
// the window title show (muted rooms left out).
#include "desktop_notifier.h"
#include "notification_center.h"
#include "notification_rule.h"
#include "room_list_model.h"
#include "user_directory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;
using Outcome = NotificationRule::Outcome;

namespace {

constexpr Id kMe = 1;
constexpr Id kBob = 2;

// Records what would go to the desktop; ids are handed out when the test says.
class RecordingNotifier : public DesktopNotifier {
public:
    bool available = true;
    QList<Notification> sent;
    QList<std::function<void(uint)>> replies; // one per sent, answered by reply()
    QList<uint> closedIds;

    bool isAvailable() const override { return available; }
    bool notify(const Notification& n, std::function<void(uint)> onId) override
    {
        if (!available)
            return false;
        sent.append(n);
        replies.append(std::move(onId));
        return true;
    }
    void close(uint id) override { closedIds.append(id); }
    void reply(int index, uint id) { replies[index](id); }
    void click(uint id) { emit activated(id); }
    void dismiss(uint id) { emit closed(id); }
};

Message messageFrom(Id sender, QList<Id> mentioned = {})
{
    Message m;
    m.id = 10;
    m.roomId = 5;
    m.senderId = sender;
    m.content = QStringLiteral("hello");
    for (Id id : mentioned)
        m.mentions.append(Mention{id, 0, 4});
    return m;
}

Room roomOf(RoomType type, NotifyLevel level)
{
    Room r;
    r.id = 5;
    r.type = type;
    r.notify = level;
    return r;
}

} // namespace

class TestNotifications : public QObject {
    Q_OBJECT
private slots:
    void rule_data();
    void rule();
    void groupsPerRoom();
    void anActiveWindowShowsItInside();
    void clickOpensTheMessage();
    void readOrDismissedStartsOver();
    void soundCanBeTurnedOff();
    void withoutDesktopServiceShowsInWindow();
    void totalLeavesOutMutedRooms();
};

void TestNotifications::rule_data()
{
    QTest::addColumn<int>("roomType");
    QTest::addColumn<int>("level");
    QTest::addColumn<int>("status");
    QTest::addColumn<Id>("sender");
    QTest::addColumn<bool>("mentionsMe");
    QTest::addColumn<bool>("system");
    QTest::addColumn<bool>("inView");
    QTest::addColumn<int>("expected");
    const int dm = int(RoomType::Dm), group = int(RoomType::Group);
    const int all = int(NotifyLevel::All), mentions = int(NotifyLevel::Mentions),
              none = int(NotifyLevel::None);
    const int available = int(UserStatus::Available), away = int(UserStatus::Away),
              dnd = int(UserStatus::Dnd);
    const int silent = int(Outcome::Silent), message = int(Outcome::Message), mention = int(Outcome::Mention);
    QTest::newRow("dm, default all") << dm << all << available << kBob << false << false << false << message;
    QTest::newRow("group, all") << group << all << available << kBob << false << false << false << message;
    QTest::newRow("away still notifies")
        << group << all << away << kBob << false << false << false << message;
    QTest::newRow("group, mentions level, plain")
        << group << mentions << available << kBob << false << false << false << silent;
    QTest::newRow("dm, mentions level, plain")
        << dm << mentions << available << kBob << false << false << false << silent;
    QTest::newRow("group, mentions level, mention")
        << group << mentions << available << kBob << true << false << false << mention;
    QTest::newRow("group, all, mention")
        << group << all << available << kBob << true << false << false << mention;
    QTest::newRow("group, none, mention")
        << group << none << available << kBob << true << false << false << silent;
    QTest::newRow("dm, none") << dm << none << available << kBob << false << false << false << silent;
    QTest::newRow("dnd, dm") << dm << all << dnd << kBob << false << false << false << silent;
    QTest::newRow("dnd, mention") << group << all << dnd << kBob << true << false << false << silent;
    QTest::newRow("my own") << dm << all << available << kMe << false << false << false << silent;
    QTest::newRow("my own mention of me")
        << group << all << available << kMe << true << false << false << silent;
    QTest::newRow("system line") << group << all << available << kBob << false << true << false << silent;
    QTest::newRow("room in view") << dm << all << available << kBob << true << false << true << silent;
}

void TestNotifications::rule()
{
    QFETCH(int, roomType);
    QFETCH(int, level);
    QFETCH(int, status);
    QFETCH(Id, sender);
    QFETCH(bool, mentionsMe);
    QFETCH(bool, system);
    QFETCH(bool, inView);
    QFETCH(int, expected);
    Message m = messageFrom(sender, mentionsMe ? QList<Id>{kBob, kMe} : QList<Id>{kBob});
    if (system)
        m.kind = MessageKind::System;
    const auto input = NotificationRule::inputFor(m, roomOf(RoomType(roomType), NotifyLevel(level)), kMe,
                                                  UserStatus(status), inView);
    QCOMPARE(input.mentionsMe, mentionsMe);
    QCOMPARE(int(NotificationRule::decide(input)), expected);
}

void TestNotifications::groupsPerRoom()
{
    RecordingNotifier desktop;
    NotificationCenter center(&desktop);
    const auto first = center.show(5, 100, QStringLiteral("Team"), false, QStringLiteral("Bob"),
                                   QStringLiteral("<b>one</b>"), false);
    QCOMPARE(first.title, QStringLiteral("Team"));
    QCOMPARE(first.body, QStringLiteral("Bob: <b>one</b>")); // DesktopNotifier escapes it on the wire
    QVERIFY(first.desktop);
    QCOMPARE(desktop.sent.size(), 1);
    QCOMPARE(desktop.sent.at(0).replacesId, 0u);
    QVERIFY(desktop.sent.at(0).clickable);

    // A second message before the desktop answered with an id: held back,
    // then sent as a replacement of the first once the id is known.
    const auto second = center.show(5, 101, QStringLiteral("Team"), false, QStringLiteral("Bob"),
                                    QStringLiteral("two"), false);
    QCOMPARE(second.title, QStringLiteral("Team (2 new)"));
    QCOMPARE(desktop.sent.size(), 1);
    desktop.reply(0, 41);
    QCOMPARE(desktop.sent.size(), 2);
    QCOMPARE(desktop.sent.at(1).replacesId, 41u);
    QCOMPARE(desktop.sent.at(1).title, QStringLiteral("Team (2 new)"));
    desktop.reply(1, 41);

    // Another room gets its own; a mention names who mentioned me.
    const auto other = center.show(6, 200, QStringLiteral("Ops"), false, QStringLiteral("Bob"),
                                   QStringLiteral("@me look"), true);
    QCOMPARE(other.title, QStringLiteral("Bob mentioned you in Ops"));
    QCOMPARE(desktop.sent.at(2).replacesId, 0u);
    const auto third = center.show(5, 102, QStringLiteral("Team"), false, QStringLiteral("Bob"),
                                   QStringLiteral("three"), false);
    QCOMPARE(third.title, QStringLiteral("Team (3 new)"));
    QCOMPARE(desktop.sent.at(3).replacesId, 41u);
    QCOMPARE(center.countFor(5), 3);
    QCOMPARE(center.countFor(6), 1);

    // A DM: titled with the sender, the body without a name in front.
    const auto dm = center.show(7, 300, QStringLiteral("Bob"), true, QStringLiteral("Bob"),
                                QStringLiteral("line\nbreak"), false);
    QCOMPARE(dm.title, QStringLiteral("Bob"));
    QCOMPARE(dm.body, QStringLiteral("line break"));
}

void TestNotifications::anActiveWindowShowsItInside()
{
    RecordingNotifier desktop;
    NotificationCenter center(&desktop);
    center.setWindowActive(true);
    const auto inside = center.show(5, 100, QStringLiteral("Team"), false, QStringLiteral("Bob"),
                                    QStringLiteral("hi"), false);
    QVERIFY(!inside.desktop); // the window's banner shows it
    QCOMPARE(inside.title, QStringLiteral("Team"));
    QCOMPARE(desktop.sent.size(), 0);
    // The user looks away: the next one goes to the desktop, counting both.
    center.setWindowActive(false);
    const auto outside = center.show(5, 101, QStringLiteral("Team"), false, QStringLiteral("Bob"),
                                     QStringLiteral("there?"), false);
    QVERIFY(outside.desktop);
    QCOMPARE(outside.title, QStringLiteral("Team (2 new)"));
    QCOMPARE(desktop.sent.size(), 1);
}

void TestNotifications::clickOpensTheMessage()
{
    RecordingNotifier desktop;
    NotificationCenter center(&desktop);
    QSignalSpy activated(&center, &NotificationCenter::activated);
    center.show(5, 100, QStringLiteral("Team"), false, QStringLiteral("Bob"), QStringLiteral("a"), false);
    desktop.reply(0, 7);
    center.show(5, 101, QStringLiteral("Team"), false, QStringLiteral("Bob"), QStringLiteral("b"), false);
    desktop.reply(1, 7);
    desktop.click(99); // someone else's notification
    QCOMPARE(activated.size(), 0);
    desktop.click(7);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).value<Id>(), Id(5));
    QCOMPARE(activated.at(0).at(1).value<Id>(), Id(101)); // the message it showed
    QCOMPARE(center.countFor(5), 0);
}

void TestNotifications::readOrDismissedStartsOver()
{
    RecordingNotifier desktop;
    NotificationCenter center(&desktop);
    center.show(5, 100, QStringLiteral("Team"), false, QStringLiteral("Bob"), QStringLiteral("a"), false);
    desktop.reply(0, 7);
    center.clearRoom(5); // read in the app: the bubble goes
    QCOMPARE(desktop.closedIds, QList<uint>{7});
    const auto again =
        center.show(5, 101, QStringLiteral("Team"), false, QStringLiteral("Bob"), QStringLiteral("b"), false);
    QCOMPARE(again.title, QStringLiteral("Team"));
    QCOMPARE(desktop.sent.at(1).replacesId, 0u);
    desktop.reply(1, 8);
    desktop.dismiss(8); // closed on the desktop: the next one counts from one
    const auto fresh =
        center.show(5, 102, QStringLiteral("Team"), false, QStringLiteral("Bob"), QStringLiteral("c"), false);
    QCOMPARE(fresh.title, QStringLiteral("Team"));

    // Read while the first Notify was still on its way: closed when the id comes.
    center.show(9, 900, QStringLiteral("X"), false, QStringLiteral("Bob"), QStringLiteral("x"), false);
    center.clearRoom(9);
    desktop.reply(int(desktop.sent.size()) - 1, 12);
    QVERIFY(desktop.closedIds.contains(12u));
}

void TestNotifications::soundCanBeTurnedOff()
{
    RecordingNotifier desktop;
    NotificationCenter center(&desktop);
    QVERIFY(center.soundEnabled());
    center.show(5, 100, QStringLiteral("Team"), false, QStringLiteral("Bob"), QStringLiteral("a"), false);
    QVERIFY(desktop.sent.at(0).sound);
    center.setSoundEnabled(false);
    center.show(6, 101, QStringLiteral("Ops"), false, QStringLiteral("Bob"), QStringLiteral("b"), false);
    QVERIFY(!desktop.sent.at(1).sound);
}

void TestNotifications::withoutDesktopServiceShowsInWindow()
{
    RecordingNotifier desktop;
    desktop.available = false;
    NotificationCenter center(&desktop);
    const auto shown =
        center.show(5, 100, QStringLiteral("Team"), false, QStringLiteral("Bob"), QStringLiteral("a"), false);
    QVERIFY(!shown.desktop);
    QCOMPARE(shown.title, QStringLiteral("Team"));
    QVERIFY(desktop.sent.isEmpty());
}

void TestNotifications::totalLeavesOutMutedRooms()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    QAbstractItemModelTester tester(&rooms, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kMe);
    Room a = roomOf(RoomType::Group, NotifyLevel::All);
    a.id = 1;
    a.unreadCount = 3;
    Room b = roomOf(RoomType::Group, NotifyLevel::None);
    b.id = 2;
    b.unreadCount = 5;
    Room c = roomOf(RoomType::Dm, NotifyLevel::Mentions);
    c.id = 3;
    c.unreadCount = 2;
    rooms.setRooms({a, b, c});
    QCOMPARE(rooms.totalUnread(), 5); // the muted room's 5 do not count

    QSignalSpy total(&rooms, &RoomListModel::totalUnreadChanged);
    QSignalSpy changed(&rooms, &QAbstractItemModel::dataChanged);
    rooms.setNotifyLevel(1, NotifyLevel::None);
    QCOMPARE(rooms.totalUnread(), 2);
    QCOMPARE(total.size(), 1);
    const int row = rooms.rowOf(1);
    QCOMPARE(rooms.data(rooms.index(row), RoomListModel::MutedRole).toBool(), true);
    QCOMPARE(rooms.data(rooms.index(row), RoomListModel::NotifyLevelRole).toInt(), int(NotifyLevel::None));
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(RoomListModel::MutedRole));
    rooms.setNotifyLevel(1, NotifyLevel::None); // unchanged: no signal
    QCOMPARE(changed.size(), 1);

    // A new message in a muted room raises its own count, not the total.
    Message m = messageFrom(kBob);
    m.roomId = 2;
    m.id = 50;
    rooms.applyMessage(m, false);
    QCOMPARE(rooms.room(2).unreadCount, 6);
    QCOMPARE(rooms.totalUnread(), 2);
    rooms.setNotifyLevel(2, NotifyLevel::Mentions);
    QCOMPARE(rooms.totalUnread(), 8);
    rooms.markRead(2);
    QCOMPARE(rooms.totalUnread(), 2);
}

QTEST_GUILESS_MAIN(TestNotifications)
#include "tst_notifications.moc"
