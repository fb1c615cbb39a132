// Read receipts' placement ("Seen" in a DM, avatars in a group), the message
// model's seenBy role (only the rows that change are announced, under
// QAbstractItemModelTester), the offline banner's countdown, and everyone
// offline while presence is not live.
#include "message_list_model.h"
#include "retry_countdown.h"
#include "room_list_model.h"
#include "user_directory.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;

namespace {

constexpr Id kMe = 1;
constexpr Id kBob = 2;
constexpr Id kCarol = 3;
constexpr Id kDan = 4;

using Rows = QList<std::pair<Id, Id>>; // (messageId, senderId) ascending

Message message(Id id, Id senderId)
{
    Message m;
    m.id = id;
    m.roomId = 7;
    m.senderId = senderId;
    m.content = QStringLiteral("消息 %1 😀").arg(id);
    m.createdAt = 1'700'000'000'000 + id * 1000;
    m.tempId = QStringLiteral("t-%1").arg(id);
    return m;
}

User person(Id id, const QString& username, const QString& name, bool online = false)
{
    User u;
    u.id = id;
    u.username = username;
    u.displayName = name;
    u.online = online;
    return u;
}

QStringList namesAt(const MessageListModel& model, Id messageId)
{
    QStringList names;
    const QVariantList list =
        model.index(model.rowOfMessage(messageId)).data(MessageListModel::SeenByRole).toList();
    for (const QVariant& entry : list)
        names.append(entry.toMap().value(QStringLiteral("name")).toString());
    return names;
}

QList<int> seenRowsIn(const QSignalSpy& spy)
{
    QList<int> rows;
    for (const QList<QVariant>& args : spy) {
        if (args.at(2).value<QList<int>>().contains(MessageListModel::SeenByRole))
            rows.append(args.at(0).toModelIndex().row());
    }
    return rows;
}

} // namespace

class TestSeenBy : public QObject {
    Q_OBJECT
private slots:
    void groupPlacesEachReaderAtTheNewestReadRow();
    void dmPlacesSeenUnderMyNewestReadMessage();
    void modelAnnouncesOnlyChangedRows();
    void countdownFollowsTheSchedule();
    void presenceNotLiveReadsOffline();
};

void TestSeenBy::groupPlacesEachReaderAtTheNewestReadRow()
{
    const Rows rows{{10, kMe}, {11, kBob}, {12, kCarol}, {14, kMe}, {15, kBob}};
    // Bob read to 12 but sent 15 later: sending is reading, so 15. Carol's
    // marker 13 is between rows: the newest row before it, 12. Dan read
    // only what is older than the loaded page: nowhere. My own marker never shows.
    const auto placed =
        MessageListModel::placeReceipts(rows, {{kBob, 12}, {kCarol, 13}, {kDan, 5}, {kMe, 15}}, kMe, false);
    QCOMPARE(placed.size(), 2);
    QCOMPARE(placed.value(15), QList<Id>{kBob});
    QCOMPARE(placed.value(12), QList<Id>{kCarol});
    // Everyone at the end sits together, by id.
    const auto together =
        MessageListModel::placeReceipts(rows, {{kDan, 99}, {kBob, 15}, {kCarol, 15}}, kMe, false);
    QCOMPARE(together.value(15), (QList<Id>{kBob, kCarol, kDan}));
    QVERIFY(MessageListModel::placeReceipts({}, {{kBob, 3}}, kMe, false).isEmpty());
}

void TestSeenBy::dmPlacesSeenUnderMyNewestReadMessage()
{
    const Rows rows{{10, kMe}, {11, kMe}, {12, kBob}, {13, kMe}, {14, kMe}};
    // Bob read to 13: "Seen" under my 13, not under his own 12 nor my unread 14.
    QCOMPARE(MessageListModel::placeReceipts(rows, {{kBob, 13}}, kMe, true).value(13), QList<Id>{kBob});
    // His marker is behind his own reply: he has read what came before it.
    const auto behind = MessageListModel::placeReceipts(rows, {{kBob, 10}}, kMe, true);
    QCOMPARE(behind.keys(), QList<Id>{11});
    // Nothing of mine read: nothing shown.
    QVERIFY(MessageListModel::placeReceipts({{20, kBob}, {21, kMe}}, {{kBob, 20}}, kMe, true).isEmpty());
}

void TestSeenBy::modelAnnouncesOnlyChangedRows()
{
    UserDirectory users;
    users.upsertAll({person(kMe, QStringLiteral("me"), QStringLiteral("Me")),
                     person(kBob, QStringLiteral("bob"), QStringLiteral("Bob")),
                     person(kCarol, QStringLiteral("carol"), QStringLiteral("王芳"))});
    MessageListModel model(&users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSelfUserId(kMe);
    model.reset(7);
    QList<Message> page;
    for (Id id = 10; id <= 20; ++id)
        page.append(message(id, id % 3 == 0 ? kDan : kMe)); // Dan sends no receipts
    model.setNewestPage(page, false);
    QVERIFY(model.roleNames().value(MessageListModel::SeenByRole) == "seenBy");

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setReceipts({{kBob, 14}, {kCarol, 14}}, false);
    QCOMPARE(seenRowsIn(changed), QList<int>{model.rowOfMessage(14)});
    QCOMPARE(namesAt(model, 14), (QStringList{QStringLiteral("Bob"), QStringLiteral("王芳")}));
    QVERIFY(namesAt(model, 13).isEmpty());

    // Carol reads on: her old row and her new one, nothing else.
    changed.clear();
    model.setReceipts({{kBob, 14}, {kCarol, 17}}, false);
    QCOMPARE(seenRowsIn(changed), (QList<int>{model.rowOfMessage(14), model.rowOfMessage(17)}));
    QCOMPARE(namesAt(model, 14), QStringList{QStringLiteral("Bob")});
    // The same markers again: not a single signal.
    changed.clear();
    model.setReceipts({{kBob, 14}, {kCarol, 17}}, false);
    QVERIFY(changed.isEmpty());

    // A DM shows "Seen" under my newest read message only.
    model.setReceipts({{kBob, 16}}, true);
    QCOMPARE(namesAt(model, 16), QStringList{QStringLiteral("Bob")}); // 16 is mine
    model.setReceipts({{kBob, 15}}, true);                            // 15 is not mine: under my 14
    QCOMPARE(namesAt(model, 14), QStringList{QStringLiteral("Bob")});
    QVERIFY(namesAt(model, 16).isEmpty());

    // Bob sends a message: he has read up to it. Placed once the rows have settled.
    model.setReceipts({{kBob, 14}, {kCarol, 17}}, false);
    changed.clear();
    model.appendNewer({message(21, kBob)});
    QVERIFY(seenRowsIn(changed).isEmpty());
    QTRY_COMPARE(namesAt(model, 21), QStringList{QStringLiteral("Bob")});
    QVERIFY(namesAt(model, 14).isEmpty());
    QCOMPARE(namesAt(model, 17), QStringList{QStringLiteral("王芳")});

    // Another room: nothing carried over.
    model.reset(8);
    model.setNewestPage({message(30, kMe)}, false);
    QTest::qWait(20);
    QVERIFY(namesAt(model, 30).isEmpty());
}

void TestSeenBy::countdownFollowsTheSchedule()
{
    QTimer next;
    next.setSingleShot(true);
    bool waiting = false;
    RetryCountdown countdown([&] { return waiting && next.isActive() ? next.remainingTime() : -1; });
    QSignalSpy spy(&countdown, &RetryCountdown::secondsChanged);
    countdown.refresh();
    QCOMPARE(countdown.seconds(), -1);
    QVERIFY(spy.isEmpty());

    waiting = true;
    next.start(2400);
    countdown.refresh();
    QCOMPARE(countdown.seconds(), 3);
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(countdown.seconds(), 2, 1500);
    QVERIFY2(clock.elapsed() >= 300, "dropped to 2 only once fewer than 2 s were left");
    QTRY_COMPARE_WITH_TIMEOUT(countdown.seconds(), 1, 1500);
    // The try starts (nothing waits any more): the countdown goes away on the next refresh.
    waiting = false;
    countdown.refresh();
    QCOMPARE(countdown.seconds(), -1);
    QCOMPARE(spy.count(), 4); // 3, 2, 1, -1
}

void TestSeenBy::presenceNotLiveReadsOffline()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    QAbstractItemModelTester tester(&rooms, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kMe);
    Room dm;
    dm.id = 5;
    dm.type = RoomType::Dm;
    dm.members = {person(kMe, QStringLiteral("me"), QStringLiteral("Me"), true),
                  person(kBob, QStringLiteral("bob"), QStringLiteral("Bob"), true)};
    users.upsertAll(dm.members);
    rooms.setRooms({dm});
    const auto online = [&] { return rooms.index(0).data(RoomListModel::OnlineRole).toBool(); };
    QVERIFY(online());

    QSignalSpy changed(&rooms, &QAbstractItemModel::dataChanged);
    users.setPresenceLive(false); // the connection is lost
    QVERIFY(!online());
    QVERIFY(!changed.isEmpty());
    // Neither a cached room list nor a stray presence brings a dot back meanwhile.
    users.upsertAll(dm.members);
    users.setPresence(kBob, true, 0);
    QVERIFY(!online());

    users.setPresenceLive(true); // connected again: the server's word counts
    QVERIFY(!online());
    users.upsertAll(dm.members); // list_rooms after the reconnect
    QVERIFY(online());
    users.setPresence(kBob, false, 1'700'000'000'000);
    QVERIFY(!online());
}

QTEST_GUILESS_MAIN(TestSeenBy)
#include "tst_seen_by.moc"
