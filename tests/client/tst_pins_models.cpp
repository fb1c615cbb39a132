// The models of pins and the group directory (issue 15), each watched by
// QAbstractItemModelTester: the directory's rows and their Joined state
// following the room list, the message list's PinnedRole, and who may pin.
#include "message_list_model.h"
#include "public_rooms_model.h"
#include "room_list_model.h"
#include "room_rights.h"
#include "user_directory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;
using Tester = QAbstractItemModelTester;

namespace {

constexpr Id kMe = 1;
constexpr Id kBob = 2;

User member(Id id, const QString& name, std::optional<MemberRole> role)
{
    User u;
    u.id = id;
    u.username = name;
    u.role = role;
    return u;
}

Room group(Id id, const QString& name, QList<User> members)
{
    Room r;
    r.id = id;
    r.type = RoomType::Group;
    r.name = name;
    r.members = std::move(members);
    r.createdAt = 1764100000000;
    return r;
}

PublicRoom publicRoom(Id id, const QString& name, const QString& topic, int members)
{
    PublicRoom r;
    r.id = id;
    r.name = name;
    r.topic = topic;
    r.memberCount = members;
    return r;
}

Message text(Id id, Id roomId, const QString& content)
{
    Message m;
    m.id = id;
    m.roomId = roomId;
    m.senderId = kBob;
    m.content = content;
    m.createdAt = 1764100000000 + id * 1000;
    m.tempId = QStringLiteral("t-%1").arg(id);
    return m;
}

} // namespace

class TestPinsModels : public QObject {
    Q_OBJECT
private slots:
    void publicRoomsRowsAndJoined();
    void pinnedRole();
    void whoMayPin();
};

void TestPinsModels::publicRoomsRowsAndJoined()
{
    UserDirectory users;
    RoomListModel mine(&users);
    PublicRoomsModel model(&mine);
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    QSignalSpy counted(&model, &PublicRoomsModel::countChanged);

    const auto roles = model.roleNames();
    QCOMPARE(roles.value(PublicRoomsModel::RoomIdRole), QByteArray("roomId"));
    QVERIFY(PublicRoomsModel::RoomIdRole == Qt::UserRole + 1);

    model.setRooms({publicRoom(9, QStringLiteral("设计评审（公开）"), QStringLiteral("任何人都可以加入"), 12),
                    publicRoom(11, QStringLiteral("Lunch"), QString(), 1)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(counted.size(), 1);
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data(PublicRoomsModel::RoomIdRole).toDouble(), 9.0);
    QCOMPARE(first.data(PublicRoomsModel::NameRole).toString(), QStringLiteral("设计评审（公开）"));
    QCOMPARE(first.data(PublicRoomsModel::TopicRole).toString(), QStringLiteral("任何人都可以加入"));
    QCOMPARE(first.data(PublicRoomsModel::MemberCountRole).toInt(), 12);
    QCOMPARE(first.data(PublicRoomsModel::JoinedRole).toBool(), false);

    // Joining (the `room` that follows `joined`) turns Join into Open; leaving turns it back.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    mine.upsert(group(11, QStringLiteral("Lunch"), {member(kMe, QStringLiteral("me"), MemberRole::Member)}));
    QCOMPARE(model.index(1).data(PublicRoomsModel::JoinedRole).toBool(), true);
    QCOMPARE(model.index(0).data(PublicRoomsModel::JoinedRole).toBool(), false);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.last().at(2).value<QList<int>>(), QList<int>{PublicRoomsModel::JoinedRole});
    mine.remove(11);
    QCOMPARE(model.index(1).data(PublicRoomsModel::JoinedRole).toBool(), false);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(counted.size(), 2);
    model.setLoading(true);
    QVERIFY(model.loading());
}

void TestPinsModels::pinnedRole()
{
    UserDirectory users;
    MessageListModel model(&users);
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    QCOMPARE(model.roleNames().value(MessageListModel::PinnedRole), QByteArray("pinned"));
    model.reset(7);
    model.setNewestPage({text(10, 7, QStringLiteral("a")), text(11, 7, QStringLiteral("b")),
                         text(12, 7, QStringLiteral("c"))},
                        false);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const auto pinnedAt = [&](int row) {
        return model.index(row).data(MessageListModel::PinnedRole).toBool();
    };

    model.setPinned({11, 99}); // 99 is not loaded: no row announces it
    QVERIFY(!pinnedAt(0) && pinnedAt(1) && !pinnedAt(2));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{MessageListModel::PinnedRole});

    changed.clear();
    model.setPinned({11, 99}); // the same: nothing
    QCOMPARE(changed.size(), 0);
    model.setPinned({12});
    QVERIFY(!pinnedAt(1) && pinnedAt(2));
    QCOMPARE(changed.size(), 2);

    // A pending send has no id and is never pinned; another room starts with none.
    model.addPending(QStringLiteral("t-x"), QStringLiteral("sending"), {}, 1764100099000);
    QVERIFY(!pinnedAt(3));
    model.reset(7); // a jump within the room reloads the rows, the pins stay
    model.setNewestPage({text(12, 7, QStringLiteral("c"))}, true);
    QVERIFY(pinnedAt(0));
    model.reset(8);
    QVERIFY(!model.isPinned(12));
}

void TestPinsModels::whoMayPin()
{
    const Room room = group(7, QStringLiteral("team"),
                            {member(kMe, QStringLiteral("me"), MemberRole::Member),
                             member(kBob, QStringLiteral("bob"), MemberRole::Owner),
                             member(3, QStringLiteral("carol"), MemberRole::Admin)});
    QVERIFY(!canPinIn(room, kMe));
    QVERIFY(canPinIn(room, kBob));
    QVERIFY(canPinIn(room, 3));
    QVERIFY(!canPinIn(room, 4)); // not a member

    Room dm = room;
    dm.type = RoomType::Dm;
    QVERIFY(canPinIn(dm, kMe));      // either side
    QVERIFY(!canPinIn(Room(), kMe)); // an unknown room

    // A server without roles: only the ownerId tells.
    Room old = group(8, QStringLiteral("old"), {member(kMe, QStringLiteral("me"), std::nullopt)});
    QVERIFY(!canPinIn(old, kMe));
    old.ownerId = kMe;
    QVERIFY(canPinIn(old, kMe));
}

QTEST_GUILESS_MAIN(TestPinsModels)
#include "tst_pins_models.moc"
